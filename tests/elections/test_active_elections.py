"""The one rule for "the elections now being run", which every form, page, API and demo seeder uses."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from elections.models import Election
from elections.selectors import active_elections, next_active_election
from tests.factories import ElectionFactory, make_voter
from voters import services
from voters.models import VotingLocationRequest
from voters.selectors import active_election_id, forget_active_election

pytestmark = pytest.mark.django_db


def test_active_elections_are_the_active_ones_soonest_first():
    Election.objects.all().delete()
    later = ElectionFactory(election_day=date(2031, 3, 1))
    sooner = ElectionFactory(election_day=date(2031, 1, 1))
    ElectionFactory(election_day=date(2030, 12, 1), is_active=False)
    assert list(active_elections()) == [sooner, later]
    assert next_active_election() == sooner
    Election.objects.filter(is_active=True).update(is_active=False)
    assert next_active_election() is None


def test_an_election_being_counted_does_not_take_the_public_services_default():
    """While one election is counted (its day has passed, it is still active), voters ask about the next one."""
    Election.objects.all().delete()
    today = timezone.localdate()
    counted = ElectionFactory(election_day=today - timedelta(days=1))
    upcoming = ElectionFactory(election_day=today + timedelta(days=60))
    assert list(active_elections()) == [counted, upcoming]
    assert next_active_election() == upcoming
    forget_active_election()
    assert active_election_id() == upcoming.pk
    upcoming.delete()
    assert next_active_election() == counted  # with none to come, the latest one
    forget_active_election()
    assert active_election_id() == counted.pk


def test_a_public_request_for_an_inactive_election_is_refused(country):
    """The public API goes through the service's rule: an inactive election is refused on its field."""

    voter = make_voter(country.precincts["A1-2"])

    def ask(election):
        return Client().post(
            "/api/v1/public/location-requests/",
            {
                "pinfl": voter.pinfl,
                "birth_date": voter.birth_date.isoformat(),
                "election": election.pk,
                "precinct": country.precincts["A1-1"].pk,
                "reason": "",
                "contact": "",
            },
            content_type="application/json",
            REMOTE_ADDR="10.77.0.1",
            HTTP_ACCEPT_LANGUAGE="en",
        )

    refused = ask(ElectionFactory(is_active=False))
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"election": ["This election is not open for requests."]}
    assert not VotingLocationRequest.objects.exists()
    assert ask(country.election).status_code == 201  # the same request for the active election


def test_the_service_refuses_a_request_for_an_inactive_election_and_stores_nothing(country):
    """The rule is in voters.services, not only in the API's lookup: any caller is refused."""

    voter = make_voter(country.precincts["A1-1"])
    closed = ElectionFactory(is_active=False)
    try:
        services.location_request_submit(
            pinfl=voter.pinfl, birth_date=voter.birth_date, election=closed, precinct=country.precincts["A1-2"]
        )
    except ValidationError as exc:
        assert exc.message_dict.keys() == {"election"}
        assert exc.error_dict["election"][0].code == "election_inactive"
    else:
        raise AssertionError("a request for an inactive election was accepted")
    assert not VotingLocationRequest.objects.exists()


def test_the_home_page_lists_coming_elections_and_links_the_results_of_counted_ones():
    Election.objects.all().delete()
    today = timezone.localdate()
    counted = ElectionFactory(election_day=today - timedelta(days=1), name_en="Counted election")
    upcoming = ElectionFactory(election_day=today + timedelta(days=60), name_en="Coming election")
    page = Client().get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    coming, results = page.split("Upcoming elections")[1].split("Election results")
    assert "Coming election" in coming and "Counted election" not in coming
    assert f'href="/public/elections/{counted.pk}/results/"' in results
    assert f"/public/elections/{upcoming.pk}/results/" not in page
