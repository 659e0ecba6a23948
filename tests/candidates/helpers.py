"""Shared steps of the decision, objection and signature API tests."""

from __future__ import annotations

from datetime import date

from accounts.roles import Role
from candidates import services
from tests import factories as f
from tests.candidates.test_nominations import _nominate, upload_all
from tests.factories import make_voter


def set_rules(election, **rules) -> None:
    election.rules = {**(election.rules or {}), **rules}
    election.save()


def submitted(country, setup, **kw):
    """A nomination of the own party with every document, submitted."""
    n = _nominate(country, setup, **kw)
    upload_all(country, n)
    services.nomination_transition(actor=country.users["party"], nomination=n, name="submit")
    n.refresh_from_db()
    return n


def registered(country, setup, actor="district"):
    """A registered nomination of the own party (the election requires no signatures), decided by ``actor``."""
    set_rules(setup["election"], signatures_required=0)
    n = submitted(country, setup)
    services.nomination_transition(
        actor=country.users[actor], nomination=n, name="approve", reason="Documents complete; eligible."
    )
    n.refresh_from_db()
    return n


def rival_party_rep(country, setup, username="rival"):
    """A representative of the other party, which has its own nomination in the same election."""
    user = f.UserFactory(username=username, role=Role.PARTY_REP, email=f"{username}@example.org")
    services.party_representative_add(actor=country.users["cec"], party=setup["other"], user=user)
    voter = make_voter(country.precincts["B1-1"], surname="Raqib", given_name="Botir", birth_date=date(1966, 2, 3))
    rival = services.nomination_create(
        actor=country.users["cec"],
        party=setup["other"],
        election=setup["election"],
        constituency=setup["national"],
        pinfl=voter.pinfl,
        surname=voter.surname,
        given_name=voter.given_name,
        list_position=1,
    )
    return user, rival


def third_party_rep(country, username="third"):
    """A representative of a party that takes no part in the election."""
    party = services.party_register(actor=country.users["cec"], registration_number="03", name_uz="Uchinchi")
    user = f.UserFactory(username=username, role=Role.PARTY_REP)
    services.party_representative_add(actor=country.users["cec"], party=party, user=user)
    return user
