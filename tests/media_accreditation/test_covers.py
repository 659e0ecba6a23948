"""``media_covers_precinct``: the incident reports' question "may this journalist report on this precinct?"."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from incidents.selectors import may_report_incident
from media_accreditation import services
from media_accreditation.models import MediaAccreditation
from media_accreditation.selectors import media_covers_precinct
from tests import factories as f
from tests.media_accreditation.helpers import apply, approve

pytestmark = pytest.mark.django_db


def covers(country, media, key, user=None, election=None):
    return media_covers_precinct(
        user=user or country.users["journalist"], election=election or media.election, precinct=country.precincts[key]
    )


@pytest.mark.parametrize(
    "scope,region,expected",
    [
        ("all_precincts", None, {"A1-1": True, "A2-2": True, "B1-1": True}),
        ("region", "A", {"A1-1": True, "A2-2": True, "B1-1": False}),
        ("region", "B", {"A1-1": False, "A2-2": False, "B1-1": True}),
        ("press_centre", None, {"A1-1": False, "A2-2": False, "B1-1": False}),
    ],
)
def test_each_scope(country, media, scope, region, expected):
    a = apply(media, scope=scope, region=country.regions[region] if region else None)
    assert not any(covers(country, media, key) for key in expected)  # not before approval
    approve(country, a)
    assert {key: covers(country, media, key) for key in expected} == expected


def test_revoked_expired_other_election_and_other_people_are_not_covered(country, media):
    a = apply(media)
    approve(country, a)
    assert covers(country, media, "A1-1")
    other_election = f.ElectionFactory()
    assert not covers(country, media, "A1-1", election=other_election)
    for role in ("editor", "observer", "cec", "precinct"):
        assert not covers(country, media, "A1-1", user=country.users[role])
    MediaAccreditation.objects.filter(pk=a.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    assert not covers(country, media, "A1-1")
    MediaAccreditation.objects.filter(pk=a.pk).update(valid_until=timezone.localdate())
    assert covers(country, media, "A1-1")
    services.accreditation_transition(actor=country.users["cec"], accreditation=a, name="revoke", reason="Misconduct")
    assert not covers(country, media, "A1-1")


def test_anonymous_is_not_covered(country, media):

    assert not covers(country, media, "A1-1", user=AnonymousUser())


def test_incident_reports_ask_media_covers_precinct(country, media):
    """The incidents app's one rule for incident reports lets an accredited journalist report where the press
    accreditation covers the precinct, and nowhere else."""

    journalist = country.users["journalist"]
    a = apply(media, scope="region", region=country.regions["A"])
    assert not may_report_incident(journalist, media.election, country.precincts["A1-1"])
    approve(country, a)
    assert may_report_incident(journalist, media.election, country.precincts["A1-1"])
    assert not may_report_incident(journalist, media.election, country.precincts["B1-1"])
    services.accreditation_transition(actor=country.users["cec"], accreditation=a, name="revoke", reason="Misconduct")
    assert not may_report_incident(journalist, media.election, country.precincts["A1-1"])
