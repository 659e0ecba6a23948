"""Shared setup of the observer tests: two organisations with a coordinator each, voters, an election."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.roles import Role
from observers import services
from tests import factories as f
from tests.factories import make_voter
from tests.pages import EN  # noqa: F401 - re-exported for the observer tests


def png(name="photo.png", size=(60, 80)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 90, 200)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@dataclass
class Setup:
    own: object  # the organisation of users["coordinator"]
    other: object  # another organisation with its own coordinator
    other_coordinator: object
    election: object
    voters: list
    observer: object  # Observer record of users["observer"]


def build(country) -> Setup:
    cec = country.users["cec"]
    election = country.election
    election.election_day = timezone.localdate() + timedelta(days=30)
    election.save()
    own = services.organization_register(actor=cec, name="Ochiq jamiyat", kind="ngo", registration_number="NGO-1")
    other = services.organization_register(actor=cec, name="Xalqaro kuzatuv", kind="international", country="DE")
    coordinator = country.users["coordinator"]
    coordinator.email = "coord@example.org"
    coordinator.save()
    services.organization_coordinator_add(actor=cec, organization=own, user=coordinator)
    other_coordinator = f.UserFactory(username="coordinator2", role=Role.OBSERVER_COORDINATOR)
    services.organization_coordinator_add(actor=cec, organization=other, user=other_coordinator)
    voters = [
        make_voter(country.precincts["A1-1"], surname=s, given_name=g, birth_date=date(1985, 1, i + 1))
        for i, (s, g) in enumerate([("Karimova", "Dilnoza"), ("Tursunov", "Jasur"), ("Aliyeva", "Malika"), ("Rahimov", "Anvar")])
    ]
    observer_user = country.users["observer"]
    observer_user.email = "observer@example.org"
    observer_user.save()
    observer = services.observer_register(
        actor=observer_user,
        user=observer_user,
        organization=own,
        pinfl=voters[0].pinfl,
        surname="Karimova",
        given_name="Dilnoza",
        photo=png(),
    )
    return Setup(own, other, other_coordinator, election, voters, observer)


def apply(country, setup: Setup, observer=None, precincts=("A1-1",), actor=None):
    observer = observer or setup.observer
    actor = actor or (observer.user if observer.user_id else country.users["coordinator"])
    return services.accreditation_apply(
        actor=actor, observer=observer, election=setup.election, precincts=[country.precincts[k] for k in precincts]
    )


def approve(country, accreditation, actor="precinct"):
    return services.accreditation_transition(actor=country.users[actor], accreditation=accreditation, name="approve")
