"""Turnout during the day: entered by the precinct, never down, never above the list, corrected after
publication only by the district with a reason; summed by area."""

from datetime import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEvent
from results import selectors, services
from results.models import TurnoutReport
from tests.results.conftest import on_the_day

pytestmark = pytest.mark.django_db

T10, T13, T17 = time(10), time(13), time(17)


def enter(contest, at, actor=None, now=None, **figures):
    actor = actor or contest["members"][0]
    return services.turnout_report_enter(
        actor=actor,
        election=contest["election"],
        precinct=contest["precinct"],
        at=at,
        now=now or on_the_day(contest["election"], at.strftime("%H:%M")),
        **figures,
    )


def test_precinct_enters_and_the_area_sums(country, contest):
    report = enter(contest, T10, voted_station=4, voted_early=2)
    assert (report.voted, report.on_list) == (6, 20)
    assert AuditEvent.objects.filter(action="results.turnout.enter", object_id=str(report.pk)).exists()
    rows = selectors.turnout_by_time(contest["election"], contest["constituency"].precincts.all())
    at10 = rows[0]
    assert (at10.at, at10.voted, at10.on_list, at10.reported, at10.precincts) == (T10, 6, 20, 1, 3)
    assert at10.share == pytest.approx(0.3)
    assert selectors.turnout_valid(contest["election"], at10) is False  # 30% is not more than 33%


def test_default_reporting_times_are_data(contest):
    assert selectors.reporting_times(contest["election"]) == [time(10), time(13), time(17), time(20)]
    contest["election"].rules = {"turnout_times": ["12:00", "08:00"]}
    assert selectors.reporting_times(contest["election"]) == [time(8), time(12)]
    with pytest.raises(ValidationError) as exc:
        enter(contest, time(11), voted_station=1)
    assert exc.value.error_dict["at"][0].code == "not_a_reporting_time"


def test_a_figure_never_goes_down(contest):
    enter(contest, T10, voted_station=5, voted_home=1)
    with pytest.raises(ValidationError) as exc:
        enter(contest, T13, voted_station=7, voted_home=0)
    assert exc.value.error_dict["voted_home"][0].code == "decreasing"
    enter(contest, T13, voted_station=7, voted_home=1)
    # a correction of the earlier time cannot go above the later one either
    with pytest.raises(ValidationError) as exc:
        enter(contest, T10, voted_station=8, voted_home=1, now=on_the_day(contest["election"], "13:00"))
    assert exc.value.error_dict["voted_station"][0].code == "above_later"
    assert TurnoutReport.objects.get(at=T10).voted_station == 5


def test_never_above_the_list_and_nothing_stored(contest):
    with pytest.raises(ValidationError) as exc:
        enter(contest, T10, voted_station=19, voted_early=2)
    assert exc.value.error_dict["voted_station"][0].code == "above_list"
    assert not TurnoutReport.objects.exists()


def test_not_before_the_time(contest):
    with pytest.raises(ValidationError) as exc:
        enter(contest, T13, voted_station=1, now=on_the_day(contest["election"], "13:00", minutes=-1))
    assert exc.value.error_dict["at"][0].code == "too_early"


def test_other_precincts_and_roles_may_not_enter(country, contest):
    for name in ("region", "cec", "party", "observer"):
        with pytest.raises(PermissionDenied):
            enter(contest, T10, actor=country.users[name], voted_station=1)
    with pytest.raises(PermissionDenied):
        services.turnout_report_enter(
            actor=country.users["precinct"],
            election=contest["election"],
            precinct=country.precincts["A1-2"],
            at=T10,
            voted_station=0,
            now=on_the_day(contest["election"], "10:00"),
        )


def test_after_publication_only_the_district_corrects_with_a_reason(country, contest):
    enter(contest, T10, voted_station=4)
    election = contest["election"]
    with pytest.raises(PermissionDenied):
        services.turnout_publish(actor=country.users["district"], election=election, at=T10, now=on_the_day(election, "10:00"))
    services.turnout_publish(actor=country.users["cec"], election=election, at=T10, now=on_the_day(election, "10:00"))
    assert selectors.published_times(election) == [T10]
    with pytest.raises(PermissionDenied):
        enter(contest, T10, voted_station=5)
    with pytest.raises(ValidationError) as exc:
        enter(contest, T10, actor=country.users["district"], voted_station=5)
    assert exc.value.error_dict["reason"][0].code == "reason_required"
    report = enter(contest, T10, actor=country.users["district"], voted_station=5, reason="Typing error in the SMS")
    assert (report.voted_station, report.corrections) == (5, 1)
    event = AuditEvent.objects.get(action="results.turnout.correct")
    assert event.before == {"voted_station": 4, "voted_early": 0, "voted_home": 0}
    assert event.after["reason"] == "Typing error in the SMS"


def test_public_sums_show_published_times_only(country, contest):
    enter(contest, T10, voted_station=4)
    enter(contest, T13, voted_station=6)
    services.turnout_publish(
        actor=country.users["cec"], election=contest["election"], at=T10, now=on_the_day(contest["election"], "10:00")
    )
    rows = selectors.turnout_by_time(contest["election"], contest["constituency"].precincts.all(), published_only=True)
    assert [(r.at, r.voted) for r in rows] == [(T10, 4)]


def test_publishing_a_time_shows_at_once_on_the_cached_public_page(clients, country, contest, django_capture_on_commit_callbacks):
    enter(contest, T10, voted_station=4)
    url = f"/api/v1/public/elections/{contest['election'].pk}/results/"
    assert clients["anon"].get(url).json()["turnout"] == []
    with django_capture_on_commit_callbacks(execute=True):
        services.turnout_publish(
            actor=country.users["cec"], election=contest["election"], at=T10, now=on_the_day(contest["election"], "10:00")
        )
    assert clients["anon"].get(url).json()["turnout"][0]["voted"] == 4
