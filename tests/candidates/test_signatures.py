"""Signature sheets: every reason code on a planted defect, refused files, party isolation, the decision under
the Uzbek and Russian presets, and a repeatable sample."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import Role
from candidates import services
from candidates.models import Signature, SignatureSheetUpload
from candidates.signatures import COLUMNS, decide, signatures_upload, signatures_verify, upload_sample
from candidates.tasks import signatures_verify_task
from core.models import AuditEvent
from core.pinfl import make_pinfl
from elections.models import Deadline
from elections.rules import DEFAULT_RULES, PRESETS
from tests import factories as f
from tests.candidates.helpers import registered
from tests.candidates.test_nominations import _nominate, setup  # noqa: F401 - the fixture
from tests.conftest import verified_client
from tests.factories import make_voter
from voters.models import VoterStatus

pytestmark = pytest.mark.django_db

SIGNED = date.today() - timedelta(days=3)


def row(voter=None, **kw) -> dict:
    base = {
        "pinfl": voter.pinfl if voter else "",
        "surname": voter.surname if voter else "",
        "given_name": voter.given_name if voter else "",
        "patronymic": voter.patronymic if voter else "",
        "birth_date": voter.birth_date.isoformat() if voter else "",
        "address": "Navoiy 1",
        "date_signed": SIGNED.isoformat(),
        "sheet_number": "1",
        "collector": "Collector A",
        "online": "no",
    }
    base.update(kw)
    return base


def sheet(rows: list[dict], columns=COLUMNS, encoding="utf-8") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for r in rows:
        writer.writerow([r.get(c, "") for c in columns])
    return SimpleUploadedFile("signatures.csv", out.getvalue().encode(encoding))


def verify(country, nomination, rows, actor="party", **kw) -> SignatureSheetUpload:
    upload = signatures_upload(actor=country.users[actor], nomination=nomination, uploaded_file=sheet(rows), **kw)
    return signatures_verify(upload_id=upload.pk)


def verdicts(upload) -> dict[int, list[str]]:
    return dict(Signature.objects.filter(upload=upload).values_list("row_no", "reasons"))


@pytest.fixture
def signers(country, setup):  # noqa: F811
    p = country.precincts
    return [
        make_voter(p["A1-1"], surname="Karimov", given_name="Jasur", birth_date=date(1985, 1, 2)),
        make_voter(p["A1-2"], surname="Qodirova", given_name="Dilnoza", sex="F", birth_date=date(1990, 6, 7)),
        make_voter(p["A1-1"], surname="Toshmatov", given_name="Ulugʻbek", birth_date=date(1979, 11, 30)),
    ]


def _planted(country, setup, signers, code):  # noqa: F811
    """A valid control row and one row with the planted defect; returns (rows, extra setup done)."""
    control = row(signers[0])
    bad = row(signers[1])
    if code == "malformed":
        bad["pinfl"] = bad["pinfl"][:-1] + str((int(bad["pinfl"][-1]) + 1) % 10)  # wrong check digit
    elif code == "unknown_voter":
        bad["pinfl"] = make_pinfl(date(1990, 6, 7), "F", 900, 900)
    elif code == "data_mismatch":
        bad["surname"] = "Boshqa"
    elif code == "not_active":
        dead = make_voter(country.precincts["A1-1"], status=VoterStatus.DECEASED)
        bad = row(dead)
    elif code == "under_18":
        born = SIGNED.replace(year=SIGNED.year - 17)
        bad = row(make_voter(country.precincts["A1-1"], birth_date=born))
    elif code == "outside_period":
        election = setup["election"]
        Deadline.objects.create(
            election=election,
            key="signatures_start",
            due=timezone.make_aware(datetime.combine(SIGNED - timedelta(days=10), datetime.min.time())),
        )
        Deadline.objects.create(
            election=election,
            key="signatures_end",
            due=timezone.make_aware(datetime.combine(SIGNED + timedelta(days=1), datetime.min.time())),
        )
        bad["date_signed"] = (SIGNED - timedelta(days=20)).isoformat()
    elif code == "duplicate":
        return [control, bad, dict(bad, sheet_number="2")], 4  # the first occurrence stays valid
    elif code == "competitor":
        election = setup["election"]
        election.rules = {"forbid_signing_for_competitors": True}
        election.save()
        rival_voter = make_voter(country.precincts["A1-1"], surname="Rival", given_name="Candidate")
        rival = _nominate(country, setup, actor=country.users["cec"], party=setup["other"], pinfl=rival_voter.pinfl)
        verify(country, rival, [row(signers[1])], actor="cec")
    elif code == "outside_constituency":
        bad = row(make_voter(country.precincts["B1-1"]))
    return [control, bad], 3


@pytest.mark.parametrize(
    "code",
    [
        "malformed",
        "unknown_voter",
        "data_mismatch",
        "not_active",
        "under_18",
        "outside_period",
        "duplicate",
        "competitor",
        "outside_constituency",
    ],
)
def test_each_reason_code(country, setup, signers, code):  # noqa: F811
    rows, bad_row = _planted(country, setup, signers, code)
    n = _nominate(country, setup)
    upload = verify(country, n, rows)
    assert upload.status == "done", upload.message
    found = verdicts(upload)
    assert found[2] == []  # the control row stays valid
    assert found[bad_row] == [code]
    assert upload.result["by_reason"][code] == 1
    assert upload.invalid == 1 and upload.total == len(rows)
    assert sum(upload.result["by_reason"].values()) == 1
    assert AuditEvent.objects.filter(action="candidates.signatures.verify").exists()


def test_cyrillic_against_latin_is_not_a_mismatch(country, setup):  # noqa: F811
    voter = make_voter(country.precincts["A1-1"], surname="Abdullayev", given_name="Shoxrux", patronymic="Gʻayratovich")
    cyr = row(voter, surname="Абдуллаев", given_name="Шохрух", patronymic="Ғайратович")
    n = _nominate(country, setup)
    upload = verify(country, n, [cyr, row(voter, surname="Boshqa", pinfl=voter.pinfl)])
    assert verdicts(upload)[2] == []
    assert verdicts(upload)[3] == ["data_mismatch", "duplicate"]


def test_national_constituency_skips_the_area_check(country, setup):  # noqa: F811
    far = make_voter(country.precincts["B2-2"])
    n = _nominate(country, setup, constituency=setup["national"], list_position=1)
    assert verdicts(verify(country, n, [row(far)]))[2] == []


def _bad_file(kind, voter):
    good = [row(voter)]
    if kind == "header":
        return sheet(good, columns=("pinfl", "surname", "name", "birth_date", "date_signed", "sheet_number", "collector"))
    if kind == "encoding":
        return sheet(good, encoding="utf-16")
    if kind == "empty":
        return SimpleUploadedFile("empty.csv", b"")
    if kind == "header_only":
        return sheet([])
    if kind == "formula":
        return sheet(good + [row(voter, address='=HYPERLINK("http://evil","x")')])
    if kind == "too_large":
        return sheet(good * 50)
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["header", "encoding", "empty", "header_only", "formula", "too_large"])
def test_bad_files_are_refused_with_nothing_stored(country, setup, settings, kind):  # noqa: F811
    settings.SIGNATURE_UPLOAD_MAX_BYTES = 2000
    n = _nominate(country, setup)
    with pytest.raises(ValidationError) as err:
        signatures_upload(actor=country.users["party"], nomination=n, uploaded_file=_bad_file(kind, setup["voter"]))
    assert err.value.messages[0]
    assert not SignatureSheetUpload.objects.exists() and not Signature.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="candidates.signatures").exists()


def test_scans_must_be_a_pdf(country, setup):  # noqa: F811
    n = _nominate(country, setup)
    with pytest.raises(ValidationError) as err:
        signatures_upload(
            actor=country.users["party"],
            nomination=n,
            uploaded_file=sheet([row(setup["voter"])]),
            scans=SimpleUploadedFile("scan.pdf", b"not a pdf"),
        )
    assert err.value.error_dict["scans"][0].code == "wrong_content"
    assert not SignatureSheetUpload.objects.exists()
    upload = signatures_upload(
        actor=country.users["party"],
        nomination=n,
        uploaded_file=sheet([row(setup["voter"])]),
        scans=SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    assert upload.scans.name.endswith(".pdf")


def test_scans_too_large_are_refused_on_their_field(country, setup, settings):  # noqa: F811
    settings.SIGNATURE_UPLOAD_MAX_BYTES = 2000
    n = _nominate(country, setup)
    with pytest.raises(ValidationError) as err:
        signatures_upload(
            actor=country.users["party"],
            nomination=n,
            uploaded_file=sheet([row(setup["voter"])]),
            scans=SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * 3000),
        )
    assert err.value.error_dict["scans"][0].code == "too_large"
    assert not SignatureSheetUpload.objects.exists()


def test_xlsx_is_read(country, setup, signers):  # noqa: F811

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(list(COLUMNS))
    r = row(signers[0])
    ws.append([r[c] if c != "birth_date" else signers[0].birth_date for c in COLUMNS])
    buf = io.BytesIO()
    book.save(buf)
    n = _nominate(country, setup)
    upload = signatures_upload(
        actor=country.users["party"], nomination=n, uploaded_file=SimpleUploadedFile("s.xlsx", buf.getvalue())
    )
    assert verdicts(signatures_verify(upload_id=upload.pk)) == {2: []}


def test_another_party_cannot_upload_or_read(country, setup, signers):  # noqa: F811
    n = _nominate(country, setup)
    upload = verify(country, n, [row(signers[0])])
    stranger = f.UserFactory(username="rep2", role=Role.PARTY_REP)
    services.party_representative_add(actor=country.users["cec"], party=setup["other"], user=stranger)
    with pytest.raises(PermissionDenied):
        signatures_upload(actor=stranger, nomination=n, uploaded_file=sheet([row(signers[0])]))
    client = verified_client(stranger)
    assert client.get(f"/nominations/{n.pk}/signatures/").status_code == 404
    assert client.get(f"/nominations/{n.pk}/signatures/{upload.pk}/").status_code == 404
    assert client.get(f"/nominations/{n.pk}/signatures/{upload.pk}/report.csv").status_code == 404
    observer = verified_client(country.users["observer"])
    assert observer.get(f"/nominations/{n.pk}/signatures/{upload.pk}/").status_code == 403
    # the district official may read, not upload
    official = verified_client(country.users["district"])
    assert official.get(f"/nominations/{n.pk}/signatures/{upload.pk}/").status_code == 200
    assert official.post(f"/nominations/{n.pk}/signatures/", {}).status_code == 403


def test_pages_upload_result_and_report(country, setup, signers, django_capture_on_commit_callbacks):  # noqa: F811
    n = _nominate(country, setup)
    client = verified_client(country.users["party"])
    assert client.get(f"/nominations/{n.pk}/signatures/").status_code == 200
    rows = [row(signers[0]), row(signers[1], surname="=cmd")]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"/nominations/{n.pk}/signatures/", {"file": sheet(rows)})
    assert response.status_code == 400 and not callbacks  # formula: refused
    rows[1]["surname"] = "Boshqa"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"/nominations/{n.pk}/signatures/", {"file": sheet(rows)})
    assert response.status_code == 302 and len(callbacks) == 1
    upload = SignatureSheetUpload.objects.get()
    assert upload.status == "queued"
    page = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in page
    signatures_verify(upload_id=upload.pk)
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-counter="invalid">1<' in page and 'data-reason="data_mismatch"' in page
    report = b"".join(client.get(f"{response.url}report.csv").streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(report)))
    assert lines[1][4] == "valid" and lines[2][4:] == ["invalid", "data_mismatch"]


def test_task_is_idempotent(country, setup, signers):  # noqa: F811

    n = _nominate(country, setup)
    upload = verify(country, n, [row(signers[0])])
    assert signatures_verify_task.run(upload.pk) == "done"
    assert Signature.objects.count() == 1


class _Election:
    def __init__(self, rules):
        self.rules = rules

    def rule(self, name):

        return self.rules.get(name, DEFAULT_RULES[name])


def test_decision_uzbek_preset():
    election = _Election(PRESETS["uz_parliament"])
    flags = [True] * 41_000 + [False] * 1_000
    d = decide(election, flags, online=0, seed=7)
    assert d["accepted"] and d["sample"]["size"] == 6300 and d["sample"]["accepted"]
    d = decide(election, [True] * 39_000 + [False] * 100, online=0, seed=7)
    assert not d["accepted"] and [c["check"] for c in d["checks"] if not c["ok"]] == ["required"]
    d = decide(election, [True] * 41_000, online=30_000, seed=7)
    assert not d["accepted"] and [c["check"] for c in d["checks"] if not c["ok"]] == ["online_share"]


def test_decision_russian_preset_with_extra_sample():
    election = _Election(PRESETS["ru_presidential"])
    # 6% invalid: the first 60,000 are over 5%, 30,000 more are drawn, and the signatures are refused
    flags = [i % 50 not in (0, 1, 2) for i in range(105_000)]
    d = decide(election, flags, online=0, seed=11)
    s = d["sample"]
    assert s["size"] == 60_000 and s["extra_size"] == 30_000 and not s["accepted"] and not d["accepted"]
    # 2% invalid: no extra sample, accepted
    flags = [i % 50 != 0 for i in range(105_000)]
    d = decide(election, flags, online=0, seed=11)
    assert d["sample"]["extra_size"] == 0 and d["sample"]["accepted"] and d["accepted"]


def test_the_seed_makes_the_sample_repeatable(country, setup, signers):  # noqa: F811
    election = setup["election"]
    election.rules = {"signature_sample_size": 2, "signatures_required": 1}
    election.save()
    n = _nominate(country, setup)
    upload = verify(country, n, [row(signers[0]), row(signers[1]), row(signers[2]), row(signers[0], sheet_number="9")])
    assert upload.result["decision"]["sample"]["seed"] == upload.seed
    first = upload_sample(upload)
    assert first == upload_sample(upload) and len(first) == 2
    flags = [True, True, True, False]
    assert decide(election, flags, online=0, seed=upload.seed) == decide(election, flags, online=0, seed=upload.seed)


def test_nomination_page_links_to_the_signatures(country, setup):  # noqa: F811
    n = _nominate(country, setup)
    page = verified_client(country.users["party"]).get(f"/nominations/{n.pk}/").content.decode()
    assert f'href="/nominations/{n.pk}/signatures/"' in page


@pytest.mark.parametrize("state", ["approved", "rejected", "withdrawn"])
def test_no_upload_once_the_nomination_is_decided(country, setup, state):  # noqa: F811
    """The decision weighed the upload that was latest then: a later file would replace it after the fact."""

    if state == "approved":
        n = registered(country, setup)
    else:
        n = _nominate(country, setup)
        n.status = state
        n.save(update_fields=["status"])
    with pytest.raises(ValidationError) as err:
        signatures_upload(actor=country.users["party"], nomination=n, uploaded_file=sheet([row(setup["voter"])]))
    assert err.value.code == "closed"
    assert not SignatureSheetUpload.objects.filter(nomination=n).exists()
