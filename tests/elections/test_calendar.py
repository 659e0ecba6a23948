"""The election's calendar rules every app reads: "start + the rule's N days" (``Election.decide_by``) and
whether election day has passed (``Election.is_over``)."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

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
