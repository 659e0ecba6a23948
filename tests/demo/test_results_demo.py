"""seed_demo simulates election day and the count in a second demo election (demo.results), once."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from core.models import AuditEvent, Credential
from demo.results import ELECTION_NAME
from elections.models import CommissionMember, Constituency, Election
from results import selectors
from results.models import (
    ObserverProtocolCopy,
    Protocol,
    ProtocolCorrection,
    ProtocolEntry,
    ProtocolState,
    ProtocolVersion,
    SeatCalculation,
    TurnoutPublication,
    TurnoutReport,
)
from results.protocol import check_relations, checksum, subject_of

pytestmark = pytest.mark.django_db

SEED = ("seed_demo", "--precincts", "100", "--voters", "3000", "--quiet-logins")
MODELS = (
    Election,
    Constituency,
    User,
    CommissionMember,
    Credential,
    TurnoutReport,
    TurnoutPublication,
    Protocol,
    ProtocolVersion,
    ProtocolEntry,
    ProtocolCorrection,
    ObserverProtocolCopy,
    SeatCalculation,
    AuditEvent,
)


@pytest.fixture
def seeded(settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    call_command(*SEED)
    out = capsys.readouterr().out
    return Election.objects.get(name_uz=ELECTION_NAME), out


def _home():
    member = CommissionMember.objects.get(user__username="precinct", commission__precinct__isnull=False)
    return member.commission.precinct


def test_protocols_satisfy_the_control_relations_at_every_stage(seeded):
    election, out = seeded
    assert election.is_over and election.is_active
    protocols = list(Protocol.objects.filter(election=election).select_related("current", "precinct"))
    assert protocols and all(p.current is not None for p in protocols)
    for p in protocols:
        assert check_relations(p.current.figures) == [], p
        assert p.current.checksum == checksum(subject_of(p), p.current.figures)
        assert p.current.figures["voters_on_list"] == selectors.listed_on_precinct(p.precinct)
    statuses = {p.status for p in protocols}
    assert statuses == set(ProtocolState.values)
    published = [p for p in protocols if p.status == ProtocolState.PUBLISHED]
    assert len(published) > len(protocols) / 2
    for entry in ProtocolEntry.objects.all():  # nothing breaking a relation was ever stored
        assert check_relations(entry.figures) == []

    national = election.constituencies.get(kind=Constituency.Kind.NATIONAL)
    singles = list(election.constituencies.filter(kind=Constituency.Kind.SINGLE).order_by("number"))
    assert len(singles) == 3 and national.seats == 15
    assert set(national.precincts.values_list("pk", flat=True)) == {p.pk for c in singles for p in c.precincts.all()}
    assert selectors.summary(national, certified_only=True).missing == 0
    counting = selectors.summary(singles[0])
    assert counting.missing >= 2 and counting.disputed >= 2  # missing ones, the mismatch, the open correction
    for c in singles[1:]:
        assert selectors.summary(c, certified_only=True).missing == 0
    assert "refused protocol entries (nothing stored)" in out


def test_turnout_never_decreases_and_every_time_is_published(seeded):
    election, _out = seeded
    times = selectors.reporting_times(election)
    assert sorted(TurnoutPublication.objects.filter(election=election).values_list("at", flat=True)) == times
    precincts = set(election.constituencies.values_list("precincts", flat=True))
    reports = TurnoutReport.objects.filter(election=election).order_by("precinct_id", "at")
    by_precinct = {}
    for r in reports:
        by_precinct.setdefault(r.precinct_id, []).append(r)
    assert set(by_precinct) == precincts
    for rows in by_precinct.values():
        assert [r.at for r in rows] == times
        for before, after in zip(rows, rows[1:], strict=False):
            for line in ("voted_station", "voted_early", "voted_home"):
                assert getattr(before, line) <= getattr(after, line)
        assert rows[-1].voted <= rows[-1].on_list
    # those who had voted by the last time are those the protocols say took part
    for p in Protocol.objects.filter(election=election).select_related("current"):
        last, figures = by_precinct[p.precinct_id][-1], p.current.figures
        assert [figures[f"issued_{k}"] for k in ("station", "early", "home")] == [
            last.voted_station,
            last.voted_early,
            last.voted_home,
        ]


def test_public_results_and_seat_sheets_show_the_published_count(seeded):
    election, _out = seeded
    anonymous = Client()
    response = anonymous.get(reverse("results:public_results", args=[election.pk]))
    assert response.status_code == 200
    results = response.context["results"]
    national = election.constituencies.get(kind=Constituency.Kind.NATIONAL)
    contest = next(c for c in results["contests"] if c["constituency"] == national.pk)
    published = Protocol.objects.published().filter(constituency=national).select_related("current")
    assert contest["protocols_published"] == published.count() > 0
    for line in contest["votes"]:
        assert line["votes"] == sum(p.current.figures.get(line["line"], 0) for p in published)
    html = response.content.decode()
    leader = max(contest["votes"], key=lambda line: line["votes"])
    assert f">{leader['votes']}<" in html.replace("\u00a0", "").replace(" ", "")
    assert len(results["turnout"]) == len(selectors.reporting_times(election))
    assert contest["seats"] and sum(contest["seats"].values()) == national.seats

    sheets = SeatCalculation.objects.filter(election=election, published_at__isnull=False)
    assert {s.constituency.number for s in sheets} == {0, 2, 3}  # constituency 1 is still being counted
    assert {s.constituency.number: s.outcome for s in sheets} == {0: "allocated", 2: "elected", 3: "repeat_vote"}
    for sheet in sheets:
        assert anonymous.get(reverse("results:public_seats", args=[sheet.constituency_id])).status_code == 200
    assert AuditEvent.objects.filter(action="results.seats.publish").count() == 3
    assert AuditEvent.objects.filter(action="results.turnout.publish").count() == len(selectors.reporting_times(election))


def test_the_demo_precinct_has_work_left_for_its_members(seeded):
    election, _out = seeded
    home = _home()
    own = home.constituencies.get(election=election, kind=Constituency.Kind.SINGLE)
    national = home.constituencies.get(election=election, kind=Constituency.Kind.NATIONAL)
    # the two members' entries did not match; the refused attempt (a broken relation) left nothing
    assert not Protocol.objects.filter(constituency=own, precinct=home).exists()
    entries = ProtocolEntry.objects.filter(constituency=own, precinct=home)
    assert [(e.round, e.outcome) for e in entries] == [(1, "mismatched"), (1, "mismatched")]
    assert {e.entered_by.username for e in entries} == {"precinct", "precinct2"}
    assert entries[0].mismatched_fields
    # the national protocol was entered blind by both and went through the whole workflow
    protocol = Protocol.objects.get(constituency=national, precinct=home)
    assert protocol.status == ProtocolState.PUBLISHED
    assert {"results.protocol.accept", "results.protocol.publish"} <= set(
        AuditEvent.objects.filter(object_type="results.protocol", object_id=str(protocol.pk)).values_list("action", flat=True)
    )
    # the demo observer's copy differs from it
    copy = ObserverProtocolCopy.objects.get(precinct=home, constituency=national)
    assert copy.submitted_by.username == "observer"
    assert selectors.copy_differences(copy)
    # a correction is open, waiting for another official
    correction = ProtocolCorrection.objects.get(protocol__election=election)
    assert correction.version is None and correction.protocol.constituency.number == 1
    # the second member logs in like the demo users
    assert User.objects.get(username="precinct2").has_usable_password()


def test_a_second_run_creates_nothing(seeded, capsys):
    counts = {m.__name__: m.objects.count() for m in MODELS}
    call_command(*SEED)
    assert {m.__name__: m.objects.count() for m in MODELS} == counts
    assert "nothing changed" in capsys.readouterr().out


def test_no_count_without_voters_or_when_asked(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--precincts", "50", "--voters", "0", "--quiet-logins")
    assert not Election.objects.filter(name_uz=ELECTION_NAME).exists()
    call_command("seed_demo", "--precincts", "50", "--voters", "3000", "--quiet-logins", "--no-results")
    assert not Election.objects.filter(name_uz=ELECTION_NAME).exists()
    assert not Protocol.objects.exists()
