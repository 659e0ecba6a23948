"""Registry imports: every bad input gives a specific error and changes nothing."""

import csv
import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from core.models import AuditEvent
from core.pinfl import make_pinfl
from esaylov.celery import app
from voters import services
from voters.imports import merge
from voters.models import AssignmentRule, ImportJob, ImportRowError, Voter, VoterChange

pytestmark = pytest.mark.django_db

HEADER = [
    "pinfl",
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "sex",
    "district_code",
    "mahalla_code",
    "street",
    "house",
    "flat",
    "status",
    "passport",
]


def person(n, country, **over):
    born = date(1970 + n % 30, 1 + n % 12, 1 + n % 28)
    sex = "M" if n % 2 else "F"
    row = {
        "pinfl": make_pinfl(born, sex, 100 + n % 800, 1 + n // 800),
        "surname": "Karimov" if sex == "M" else "Karimova",
        "given_name": "Aziz" if sex == "M" else "Dilnoza",
        "patronymic": "Rustamovich" if sex == "M" else "Rustamovna",
        "birth_date": born.isoformat(),
        "sex": sex,
        "district_code": country.districts["A1"].code,
        "mahalla_code": country.mahallas["A1"].code,
        "street": "Amir Temur",
        "house": str(n + 1),
        "flat": "",
        "status": "",
        "passport": "",
    }
    row.update(over)
    return row


def csv_bytes(rows, *, delimiter=",", encoding="utf-8", header=HEADER):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for r in rows:
        writer.writerow([r.get(h, "") for h in header])
    return out.getvalue().encode(encoding)


def run_import(country, content, name="registry.csv", encoding="auto"):
    job = services.voter_import_start(
        actor=country.users["cec"], uploaded_file=SimpleUploadedFile(name, content), encoding=encoding
    )
    return services.voter_import_run(job_id=job.pk)


def snapshot():
    return sorted(
        Voter.objects.values_list("pinfl", "surname", "given_name", "street", "house", "status", "version", "precinct_id")
    )


@pytest.fixture
def seeded(country):
    """A list of three voters loaded by a first import."""
    rows = [person(i, country) for i in range(3)]
    job = run_import(country, csv_bytes(rows))
    assert job.status == ImportJob.Status.DONE and job.inserted == 3
    return rows


def test_import_inserts_and_assigns_by_rules(country):

    AssignmentRule.objects.create(mahalla=country.mahallas["A1"], precinct=country.precincts["A1-2"])
    AssignmentRule.objects.create(
        mahalla=country.mahallas["A1"], street="Amir Temur", house_from=1, house_to=1, precinct=country.precincts["A1-1"]
    )
    rows = [person(i, country) for i in range(3)]
    job = run_import(country, csv_bytes(rows))
    assert (job.status, job.rows_read, job.rows_valid, job.inserted, job.updated, job.unchanged) == ("done", 3, 3, 3, 0, 0)
    by_house = dict(Voter.objects.values_list("house", "precinct_id"))
    assert by_house == {"1": country.precincts["A1-1"].pk, "2": country.precincts["A1-2"].pk, "3": country.precincts["A1-2"].pk}
    voter = Voter.objects.get(pinfl=rows[1]["pinfl"])  # Karimov: the key folds o/a
    assert voter.surname_key == "karimav" and voter.source == f"import:{job.pk}"
    assert AuditEvent.objects.filter(action="voters.import.done", object_id=str(job.pk)).exists()


def test_reimport_changes_nothing(country, seeded):
    before = snapshot()
    job = run_import(country, csv_bytes(seeded))
    assert (job.inserted, job.updated, job.unchanged) == (0, 0, 3)
    assert snapshot() == before
    assert not VoterChange.objects.exists()


def test_changes_are_recorded_per_voter(country, seeded):
    changed = [dict(seeded[0], street="Bobur", house="7"), dict(seeded[1], status="deceased"), seeded[2]]
    job = run_import(country, csv_bytes(changed))
    assert (job.inserted, job.updated, job.unchanged, job.retired) == (0, 2, 1, 1)
    moved = Voter.objects.get(pinfl=seeded[0]["pinfl"])
    assert (moved.street, moved.house, moved.version) == ("Bobur", "7", 2)
    change = VoterChange.objects.get(voter=moved)
    assert change.kind == "import" and change.changes == {"street": ["Amir Temur", "Bobur"], "house": ["1", "7"]}
    dead = Voter.objects.get(pinfl=seeded[1]["pinfl"])
    assert dead.status == "deceased"
    assert VoterChange.objects.get(voter=dead).kind == "death"


@pytest.mark.parametrize(
    "encoding,delimiter,name", [("utf-8", ",", "plain.csv"), ("utf-8-sig", ",", "bom.csv"), ("cp1251", ";", "win.csv")]
)
def test_accepted_encodings_and_delimiters(country, encoding, delimiter, name):
    rows = [person(1, country, surname="Каримов", given_name="Азиз", patronymic="Рустамович")]
    job = run_import(country, csv_bytes(rows, delimiter=delimiter, encoding=encoding), name=name)
    assert job.status == "done", job.message
    assert Voter.objects.get().surname == "Каримов"


def test_xlsx_is_accepted(country):

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    r = person(4, country)
    sheet.append([r[h] for h in HEADER])
    buffer = io.BytesIO()
    book.save(buffer)
    job = run_import(country, buffer.getvalue(), name="registry.xlsx")
    assert job.status == "done", job.message
    assert Voter.objects.filter(pinfl=r["pinfl"]).exists()


@pytest.mark.parametrize(
    "content,code_text",
    [
        (b"", "empty"),
        (b"pinfl,surname\n1,2\n", "missing columns: given_name, birth_date, sex, district_code"),
        (b"pinfl,surname,given_name,birth_date,sex,district_code,favourite_colour\n", "unknown columns"),
        (",".join(HEADER).encode() + b"\n", "no data rows"),
        ("\ufeffpinfl,surname".encode("utf-16"), "UTF-16"),
    ],
)
def test_rejected_files_change_nothing(country, seeded, content, code_text):
    before, events = snapshot(), AuditEvent.objects.count()
    if content == b"":
        with pytest.raises(Exception, match="empty"):
            run_import(country, content)
        assert snapshot() == before
        return
    job = run_import(country, content)
    assert job.status == ImportJob.Status.REJECTED
    assert code_text.lower() in job.message.lower()
    assert snapshot() == before
    assert AuditEvent.objects.filter(action="voters.import.rejected").count() == 1
    assert AuditEvent.objects.count() > events


def test_wrong_declared_encoding_is_rejected(country, seeded):
    before = snapshot()
    rows = [person(9, country, surname="Каримов")]
    job = run_import(country, csv_bytes(rows, encoding="cp1251"), encoding="utf-8")
    assert job.status == "rejected" and "utf-8" in job.message.lower()
    assert snapshot() == before


def test_all_rows_bad_is_rejected_with_report(country, seeded):
    before = snapshot()
    bad = [person(10 + i, country, pinfl="12345678901234") for i in range(5)]
    job = run_import(country, csv_bytes(bad))
    assert job.status == "rejected"
    assert "no valid rows" in job.message.lower()
    assert job.rows_invalid == 5
    assert ImportRowError.objects.filter(job=job, field="pinfl").count() == 5
    assert snapshot() == before


BAD_ROWS = [
    ({"pinfl": "3170580123045"}, "pinfl", "length"),
    ({"pinfl": "31705801230450"}, "pinfl", "check_digit"),
    ({"birth_date": "1980-02-30"}, "birth_date", "invalid"),
    ({"birth_date": ""}, "birth_date", "required"),
    ({"sex": "X"}, "sex", "invalid"),
    ({"surname": ""}, "surname", "required"),
    ({"surname": '=HYPERLINK("http://x")'}, "surname", "formula"),
    ({"given_name": "<script>alert(1)</script>"}, "given_name", "invalid_characters"),
    ({"street": "@SUM(A1)"}, "street", "formula"),
    ({"street": "<b>bold</b>"}, "street", "invalid_characters"),
    ({"district_code": "0000"}, "district_code", "unknown"),
    ({"mahalla_code": "NOPE"}, "mahalla_code", "unknown"),
    ({"status": "asleep"}, "status", "invalid"),
    ({"passport": "123"}, "passport", "invalid"),
]


@pytest.mark.parametrize("override,field,code", BAD_ROWS)
def test_bad_row_is_reported_with_row_field_and_reason(country, override, field, code):
    good = person(20, country)
    bad = person(21, country, **override)
    job = run_import(country, csv_bytes([good, bad]))
    assert job.status == "done" and job.inserted == 1 and job.rows_invalid == 1
    error = ImportRowError.objects.get(job=job, field=field)
    assert (error.row, error.code) == (3, code)  # the header is row 1
    assert error.message
    assert not Voter.objects.filter(pinfl=bad["pinfl"]).exists() or field != "pinfl"
    assert Voter.objects.count() == 1


def test_pinfl_must_agree_with_birth_date_and_sex(country):
    r = person(30, country)
    wrong_date = dict(r, birth_date="1999-01-01")
    wrong_sex = dict(person(31, country), sex="F" if person(31, country)["sex"] == "M" else "M")
    job = run_import(country, csv_bytes([r, wrong_date | {"pinfl": person(32, country)["pinfl"]}, wrong_sex]))
    codes = set(ImportRowError.objects.filter(job=job).values_list("code", flat=True))
    assert {"birth_date_mismatch", "sex_mismatch"} <= codes


def test_mahalla_of_another_district_is_refused(country):
    r = person(33, country, mahalla_code=country.mahallas["B1"].code)
    job = run_import(country, csv_bytes([person(34, country), r]))
    assert ImportRowError.objects.get(job=job).code == "wrong_district"


def test_duplicate_pinfl_in_file_refuses_all_its_rows(country):
    a = person(40, country)
    twin = dict(a, given_name="Boshqa")
    job = run_import(country, csv_bytes([a, person(41, country), twin]))
    assert job.status == "done"
    assert (job.inserted, job.rows_invalid) == (1, 2)
    assert set(ImportRowError.objects.filter(job=job, code="duplicate_in_file").values_list("row", flat=True)) == {2, 4}
    assert not Voter.objects.filter(pinfl=a["pinfl"]).exists()


def test_oversized_file_is_refused_before_anything_is_stored(country, settings):
    settings.VOTER_IMPORT_MAX_BYTES = 100
    content = csv_bytes([person(i, country) for i in range(5)])

    with pytest.raises(ValidationError, match="at most"):
        run_import(country, content)
    assert not ImportJob.objects.exists()


def test_only_cec_may_import(country):

    for role in ["district", "region", "party"]:
        with pytest.raises(PermissionDenied):
            services.voter_import_start(
                actor=country.users[role], uploaded_file=SimpleUploadedFile("x.csv", csv_bytes([person(1, country)]))
            )
    assert not ImportJob.objects.exists()


def test_running_twice_is_harmless(country):
    job = run_import(country, csv_bytes([person(50, country)]))
    again = services.voter_import_run(job_id=job.pk)
    assert again.status == "done" and Voter.objects.count() == 1


def test_upload_page_and_error_report(country, clients):
    rows = [person(60, country), person(61, country, sex="X")]
    response = clients["cec"].post("/voters/imports/", {"file": SimpleUploadedFile("r.csv", csv_bytes(rows)), "encoding": "auto"})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    services.voter_import_run(job_id=job.pk)  # the worker's part (a real worker is tested elsewhere)
    page = clients["cec"].get(response["Location"])
    assert page.status_code == 200 and b'data-counter="inserted">1<' in page.content
    report = clients["cec"].get(f"/voters/imports/{job.pk}/errors.csv")
    body = b"".join(report.streaming_content).decode("utf-8-sig")
    assert "3,sex,invalid" in body


def test_bad_encoding_deep_in_the_file_rejects_the_whole_file(country, seeded):
    """The first rows are valid and already staged when row 25,002 turns out not to be UTF-8."""
    before = snapshot()
    rows = [person(100 + i, country) for i in range(25_000)]
    content = csv_bytes(rows) + "99999999999999,Каримов,Азиз,,1980-01-01,M,X,,,,,,\n".encode("cp1251")
    job = run_import(country, content, encoding="utf-8")
    assert job.status == "rejected"
    assert job.message.endswith("at row 25002.")  # the header is row 1
    assert snapshot() == before  # nothing of the 25,000 good rows reached the list

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_tables WHERE tablename = %s", [f"voters_stage_{job.pk}"])
        assert cur.fetchone()[0] == 0  # the staging table is gone


def test_failure_inside_the_merge_leaves_the_list_as_it_was_and_a_rerun_finishes(country, seeded, monkeypatch):
    before = snapshot()
    changed = [dict(seeded[0], street="Navoiy"), person(300, country), person(301, country)]
    job = services.voter_import_start(actor=country.users["cec"], uploaded_file=SimpleUploadedFile("r.csv", csv_bytes(changed)))

    def crash(**kwargs):
        if kwargs.get("action") == "voters.import.done":
            raise RuntimeError("power cut during the merge")

    original = merge.audit_record
    monkeypatch.setattr(merge, "audit_record", lambda **kw: (crash(**kw), original(**kw))[1])
    with pytest.raises(RuntimeError, match="power cut"):
        services.voter_import_run(job_id=job.pk)
    assert snapshot() == before  # the merge is one transaction: nothing of it remains
    assert not VoterChange.objects.exists()
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.MERGING  # left for the resume
    monkeypatch.setattr(merge, "audit_record", original)
    done = services.voter_import_run(job_id=job.pk)
    assert (done.status, done.inserted, done.updated, done.unchanged) == ("done", 2, 1, 0)
    assert Voter.objects.get(pinfl=seeded[0]["pinfl"]).street == "Navoiy"


def test_resume_requeues_only_orphaned_jobs(country, django_capture_on_commit_callbacks):

    with django_capture_on_commit_callbacks(execute=False):
        job = services.voter_import_start(
            actor=country.users["cec"], uploaded_file=SimpleUploadedFile("r.csv", csv_bytes([person(1, country)]))
        )
    # a job just queued is left to its task; one queued long ago, or left half-way by a dead worker, is re-queued
    assert services.voter_import_resume() == []
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=10))

    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    with app.connection_for_write() as conn:  # the real broker: count the messages on this run's queue
        client = conn.default_channel.client
        before = client.llen(queue)
        assert services.voter_import_resume() == [job.pk]
        assert client.llen(queue) == before + 1
        client.delete(queue)  # no worker runs in this test: drop what it would have consumed
    done = services.voter_import_run(job_id=job.pk)
    assert done.status == "done" and services.voter_import_resume() == []


def test_reimport_moves_only_voters_whose_address_changed(country):

    AssignmentRule.objects.create(mahalla=country.mahallas["A1"], precinct=country.precincts["A1-2"])
    AssignmentRule.objects.create(
        mahalla=country.mahallas["A1"], street="Amir Temur", house_from=1, house_to=1, precinct=country.precincts["A1-1"]
    )
    rows = [person(i, country) for i in range(3)]
    run_import(country, csv_bytes(rows))
    assert Voter.objects.get(pinfl=rows[0]["pinfl"]).precinct_id == country.precincts["A1-1"].pk
    # a voter placed elsewhere by hand keeps that precinct while the registry does not move them
    Voter.objects.filter(pinfl=rows[2]["pinfl"]).update(precinct=country.precincts["A1-1"])
    rows[0]["house"] = "7"  # moves out of the street rule's range
    rows[2]["surname"] = "Karimova-Sobirova"  # a change that is not an address
    job = run_import(country, csv_bytes(rows))
    assert (job.updated, job.unchanged) == (2, 1)
    moved = Voter.objects.get(pinfl=rows[0]["pinfl"])
    assert (moved.precinct_id, moved.version) == (country.precincts["A1-2"].pk, 2)
    renamed = Voter.objects.get(pinfl=rows[2]["pinfl"])
    assert (renamed.precinct_id, renamed.surname, renamed.version) == (country.precincts["A1-1"].pk, "Karimova-Sobirova", 2)
