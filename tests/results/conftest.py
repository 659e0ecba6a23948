"""A contest on the test country: one single-mandate constituency over district A1, two registered candidates,
two members of precinct A1-1's commission, and 20 voters on that precinct's list."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from results.selectors import reporting_moment
from tests import factories as f


@pytest.fixture(autouse=True)
def english(settings):
    """These tests read the pages' and the API's English: a request without Accept-Language gets it."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def contest(country):
    return f.results_contest(country)


def figures(contest, **change):
    """A consistent protocol of precinct A1-1 (20 on the list, 15 voted, 1 invalid)."""
    return f.protocol_figures(contest, **change)


def on_the_day(election, hh_mm: str, minutes: int = 5):
    return reporting_moment(election, time.fromisoformat(hh_mm)) + timedelta(minutes=minutes)


@pytest.fixture
def day(contest):
    """Election day was yesterday (every reporting time has passed; the count goes on into the night)."""
    election = contest["election"]
    election.election_day = timezone.localdate() - timedelta(days=1)
    election.save()
    return contest


@pytest.fixture
def national(country, contest):
    """A national list of 3 seats over precinct A1-1, three parties with candidates
    at list positions 2, 1, 3 (entered in that order)."""
    constituency = f.ConstituencyFactory(election=contest["election"], number=99, kind="national", seats=3, name_uz="Umumiy")
    constituency.precincts.set([contest["precinct"]])
    parties = [f.PartyFactory(registration_number=f"L{i}", name_uz=f"Roʻyxat {i}") for i in range(3)]
    for party in parties:
        for position in (2, 1, 3):
            f.NominationFactory(
                party=party,
                election=contest["election"],
                constituency=constituency,
                status="approved",
                list_position=position,
                voter=f.make_voter(country.precincts["A1-2"], surname=f"{party.registration_number}-{position}"),
            )
    return constituency, parties
