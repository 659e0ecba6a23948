"""A contest on the test country: one single-mandate constituency over district A1, two registered candidates,
two members of precinct A1-1's commission, and 20 voters on that precinct's list."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from results.selectors import reporting_moment
from tests import factories as f
from tests.factories import make_voter


@pytest.fixture
def contest(country):
    election = country.election
    constituency = f.ConstituencyFactory(election=election, number=1, name_uz="1-okrug")
    constituency.precincts.set([country.precincts["A1-1"], country.precincts["A1-2"], country.precincts["B1-1"]])
    precinct = country.precincts["A1-1"]
    for i in range(20):
        make_voter(precinct, surname=f"Voter{i}")
    parties = [f.PartyFactory(registration_number=f"P{i}", name_uz=f"Partiya {i}") for i in (1, 2)]
    candidates = [
        f.NominationFactory(
            party=party,
            election=election,
            constituency=constituency,
            status="approved",
            voter=make_voter(country.precincts["A1-2"], surname=f"Nomzod{i}"),
        )
        for i, party in enumerate(parties)
    ]
    second = f.UserFactory(username="precinct2", role=Role.COMMISSION_STAFF)
    f.add_member(second, f.commission_for(level="precinct", precinct=precinct))
    return {
        "election": election,
        "constituency": constituency,
        "precinct": precinct,
        "candidates": candidates,
        "members": [country.users["precinct"], second],
    }


def figures(contest, **change):
    """A consistent protocol of precinct A1-1 (20 on the list, 15 voted, 1 invalid)."""
    a, b = (f"votes:n{n.pk}" for n in contest["candidates"])
    good = {
        "voters_added": 0,
        "ballots_received": 20,
        "issued_station": 12,
        "issued_early": 2,
        "issued_home": 1,
        "cancelled_unused": 5,
        "ballots_lost": 0,
        "found_in_boxes": 15,
        "invalid": 1,
        "valid": 14,
        a: 9,
        b: 5,
    }
    return {**good, **change}


def on_the_day(election, hh_mm: str, minutes: int = 5):
    return reporting_moment(election, time.fromisoformat(hh_mm)) + timedelta(minutes=minutes)


@pytest.fixture
def day(contest):
    """Election day was yesterday (every reporting time has passed; the count goes on into the night)."""
    election = contest["election"]
    election.election_day = timezone.localdate() - timedelta(days=1)
    election.save()
    return contest
