"""The election's calendar rules every app reads: "start + the rule's N days" (``Election.decide_by``),
a deadline's moment (``Election.deadline_due``) and whether election day has passed (``Election.is_over``)."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from core.workflow import workflow_deadline
from elections.models import Deadline
from media_accreditation.models import Journalist, MediaAccreditation, MediaOutlet
from observers.models import Observer, ObserverAccreditation, ObserverOrganization
from tests.factories import ElectionFactory

pytestmark = pytest.mark.django_db

START = timezone.make_aware(datetime(2030, 5, 1, 9, 30))


@pytest.mark.parametrize("rule", ["objection_decision_days", "accreditation_decision_days"])
def test_decide_by_is_the_start_plus_the_rules_days(rule):
    election = ElectionFactory()
    assert election.decide_by(START, rule) == START + timedelta(days=5)  # the default
    election.rules = {rule: 2}
    assert election.decide_by(START, rule) == START + timedelta(days=2)
    election.rules = {rule: "7"}  # a value typed into the JSON as text still counts whole days
    assert election.decide_by(START, rule) == START + timedelta(days=7)


def test_decide_by_needs_a_start():
    assert ElectionFactory().decide_by(None, "accreditation_decision_days") is None


def test_election_is_over_only_after_election_day():
    today = timezone.localdate()
    assert not ElectionFactory(election_day=today + timedelta(days=1)).is_over
    assert not ElectionFactory(election_day=today).is_over
    assert ElectionFactory(election_day=today - timedelta(days=1)).is_over


# --------------------------------------------------------------------------- a deadline's moment (Election.deadline_due)


def test_a_calendar_row_gives_the_deadline():
    election = ElectionFactory()
    due = timezone.make_aware(datetime(2030, 4, 20, 9, 0))
    Deadline.objects.create(election=election, key="accreditation_closes", due=due)
    assert election.deadline_due("accreditation_closes") == due


def test_without_a_row_the_rule_places_accreditation_closing_at_the_calendar_time():
    election = ElectionFactory(election_day=date(2030, 5, 12))
    expected = timezone.make_aware(datetime(2030, 5, 2, 18, 0))  # 10 days before, at 18:00 local time
    assert election.deadline_due("accreditation_closes") == expected
    election.rules = {"accreditation_days_before": 12}
    assert election.deadline_due("accreditation_closes") == expected - timedelta(days=2)


def test_a_deadline_no_rule_places_is_none_without_its_row():
    assert ElectionFactory().deadline_due("nomination_closes") is None


def test_observers_and_media_read_one_deadline(country):
    """Both accreditation workflows answer the same moment for the same election (they had two fallbacks:
    the end of the day for observers, 18:00 for the media)."""

    election = ElectionFactory(election_day=date(2030, 5, 12))
    org = ObserverOrganization.objects.create(name="NGO", kind="ngo")
    observer = Observer.objects.create(
        organization=org,
        is_foreign=True,
        passport_number="N1",
        country="DE",
        surname="Muller",
        given_name="Anna",
        birth_date=date(1980, 1, 1),
    )
    outlet = MediaOutlet.objects.create(name="TV", kind="tv", certificate_number="1")
    journalist = Journalist.objects.create(
        outlet=outlet, is_foreign=True, passport_number="N2", country="DE", surname="Schmidt", given_name="Paul", photo="x.png"
    )
    observed = ObserverAccreditation(observer=observer, organization=org, election=election)
    covered = MediaAccreditation(journalist=journalist, election=election, scope="press_centre")
    key = "accreditation_closes"
    assert workflow_deadline(observed, key) == workflow_deadline(covered, key) == election.deadline_due(key)
