"""Demo observers: three organisations (the demo coordinator on the first), the demo observer accredited with a
badge at the demo precinct commission's precinct, and a foreign observer's application waiting there.
Idempotent and fast (a handful of rows)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from candidates.models import Party
from core.images import placeholder_portrait
from elections.models import CommissionMember
from elections.selectors import next_active_election
from observers import services
from observers.models import Observer, ObserverAccreditation, ObserverOrganization
from voters.models import Voter, VoterStatus

NGO, INTERNATIONAL, PARTY = "Ochiq jamiyat (demo)", "OSCE/ODIHR (demo)", "Party observers (demo)"


def _organization(cec, name, **kw) -> ObserverOrganization:
    org = ObserverOrganization.objects.filter(name=name).first()
    return org or services.organization_register(actor=cec, name=name, **kw)


def _apply(actor, observer, election, precinct) -> ObserverAccreditation | None:
    if ObserverAccreditation.objects.filter(observer=observer, election=election).exists():
        return None
    try:
        return services.accreditation_apply(actor=actor, observer=observer, election=election, precincts=[precinct])
    except ValidationError:  # e.g. the demo election's accreditation deadline has passed
        return None


def seed_observers() -> dict[str, int]:
    """Returns what was created, by name (empty when everything was already there)."""
    users = get_user_model().objects
    cec, coordinator, observer_user = (users.filter(username=n).first() for n in ("cec", "coordinator", "observer"))
    created: dict[str, int] = {}
    if cec is None:
        return created
    before = ObserverOrganization.objects.count()
    ngo = _organization(cec, NGO, kind="ngo", registration_number="DEMO-NGO-1")
    international = _organization(cec, INTERNATIONAL, kind="international", country="PL")
    party = Party.objects.order_by("registration_number").first()
    if party is not None and not ObserverOrganization.objects.filter(party=party).exists():
        services.organization_register(actor=cec, name=PARTY, kind="party", party=party)
    if ObserverOrganization.objects.count() > before:
        created["observer organisations"] = ObserverOrganization.objects.count() - before
    if coordinator is not None and not ngo.coordinators.filter(user=coordinator).exists():
        services.organization_coordinator_add(actor=cec, organization=ngo, user=coordinator)
    before = Observer.objects.count()
    own = Observer.objects.filter(user=observer_user).first() if observer_user else None
    if own is None and observer_user is not None:
        # the second active voter (the first is the demo journalist)
        voter = (
            Voter.objects.filter(status=VoterStatus.ACTIVE, merged_into__isnull=True)
            .exclude(pinfl__in=Observer.objects.values("pinfl"))
            .order_by("pk")[1:2]
            .first()
        )
        if voter is not None:
            own = services.observer_register(
                actor=observer_user,
                user=observer_user,
                organization=ngo,
                pinfl=voter.pinfl,
                surname=voter.surname,
                given_name=voter.given_name,
                photo=placeholder_portrait("observer.png"),
            )
    visitor = Observer.objects.filter(passport_number="P0000001", country="PL").first() or services.observer_register(
        actor=cec,
        organization=international,
        is_foreign=True,
        passport_number="P0000001",
        country="PL",
        surname="Kowalska",
        given_name="Anna",
        birth_date=date(1978, 6, 12),
        photo=placeholder_portrait("visitor.png"),
    )
    if Observer.objects.count() > before:
        created["observers"] = Observer.objects.count() - before
    election = next_active_election()
    member = CommissionMember.objects.filter(user__username="precinct", commission__precinct__isnull=False).first()
    if election is None or member is None:
        return created
    precinct = member.commission.precinct
    if own is not None:
        accreditation = _apply(observer_user, own, election, precinct)
        if accreditation is not None:
            services.accreditation_transition(actor=cec, accreditation=accreditation, name="approve")
            created["observer badges"] = 1
    if _apply(cec, visitor, election, precinct) is not None:
        created["observer applications"] = 1
    return created
