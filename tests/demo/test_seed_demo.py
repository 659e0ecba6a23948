import pytest
from django.core.management import call_command

from accounts.models import User
from core.models import AuditEvent
from elections.models import Commission, Constituency, District, Election, Mahalla, Precinct, Region
from voters import services
from voters.models import DuplicateCandidate, ImportJob, Voter

pytestmark = pytest.mark.django_db


def _counts():
    return {
        m.__name__: m.objects.count() for m in (Region, District, Mahalla, Precinct, Commission, Election, Constituency, User)
    }


def test_seed_demo_builds_the_country_and_is_idempotent(capsys):
    call_command("seed_demo", "--precincts", "300", "--voters", "0")
    first = _counts()
    assert first["Region"] == 14
    assert first["District"] >= 190
    assert 295 <= first["Precinct"] <= 305
    assert Precinct.objects.exclude(abroad_country="").exists()
    # a commission at every level: 1 central + 14 regional + every district + every precinct
    assert first["Commission"] == 1 + 14 + first["District"] + first["Precinct"]
    assert first["Constituency"] == 76  # 75 single-mandate + the national one
    election = Election.objects.get()
    assert election.deadlines.count() >= 8
    assert {u.username for u in User.objects.all()} >= {
        "admin",
        "cec",
        "region",
        "district",
        "precinct",
        "party",
        "coordinator",
        "observer",
        "editor",
        "journalist",
    }
    events = AuditEvent.objects.count()
    capsys.readouterr()

    call_command("seed_demo", "--precincts", "300", "--voters", "0")
    assert _counts() == first
    assert AuditEvent.objects.count() == events  # nothing changed, nothing recorded
    assert "nothing changed" in capsys.readouterr().out


def test_every_precinct_is_in_exactly_one_single_mandate_constituency():
    call_command("seed_demo", "--precincts", "200", "--voters", "0", "--quiet-logins")
    through = Constituency.precincts.through
    single = through.objects.filter(constituency__kind=Constituency.Kind.SINGLE)
    assert single.count() == Precinct.objects.count()
    assert single.values("precinct").distinct().count() == Precinct.objects.count()


def test_seed_demo_with_voters_is_idempotent(capsys, settings, tmp_path, monkeypatch):

    settings.MEDIA_ROOT = tmp_path
    scans = []
    scan = services.duplicates_scan_run
    monkeypatch.setattr(services, "duplicates_scan_run", lambda **kw: scans.append(kw) or scan(**kw))
    call_command("seed_demo", "--precincts", "100", "--voters", "3000", "--quiet-logins")
    assert scans == [{"actor_id": None}]  # the demo scans through the service, as the system
    assert AuditEvent.objects.filter(action="voters.duplicates.scan", actor__isnull=True).count() == 1
    voters = Voter.objects.count()
    assert voters >= 2950  # a handful of generated rows may be refused, never silently
    assert ImportJob.objects.get().status == "done"
    # every voter with a full address is on a precinct list; the registry's incomplete addresses
    # (no mahalla) wait for a correction and are counted as "without precinct"
    assert not Voter.objects.filter(precinct__isnull=True, mahalla__isnull=False).exists()
    assert Voter.objects.filter(precinct__isnull=True).count() < voters * 0.05
    assert DuplicateCandidate.objects.exists()  # the demo plants near-duplicates for the review page
    first = _counts()
    capsys.readouterr()
    call_command("seed_demo", "--precincts", "100", "--voters", "3000", "--quiet-logins")
    assert _counts() == first and Voter.objects.count() == voters
    assert ImportJob.objects.count() == 1
    assert "nothing changed" in capsys.readouterr().out
