"""CSV imports checked set-based in PostgreSQL (voters/imports/fastpath.py) agree with RowValidator, row for row.

The SQL is an accept filter: rows it does not accept go through RowValidator.  These tests run
the same files through both paths and compare the whole outcome, and check that re-imports
skip unchanged rows without losing a change or a duplicate.
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from core.pinfl import make_pinfl
from core.tabular import registry_date
from tests.voters.test_import import HEADER, csv_bytes, person, run_import
from voters import services
from voters.imports import fastpath, staging
from voters.imports.rows import VOTER_DATA_COLUMNS, RowValidator
from voters.models import ImportJob, ImportRowError, Voter, VoterChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def checked_rows(monkeypatch):
    """Counts the rows RowValidator checks in Python."""
    calls = []
    original = RowValidator.check

    def check(self, row, row_no):
        calls.append(row_no)
        return original(self, row, row_no)

    monkeypatch.setattr(RowValidator, "check", check)
    return calls


def mixed_rows(country):
    """Valid rows of every spelling and bad rows of every kind, in one file."""
    other = country.mahallas["B1"].code
    rows = [person(i, country) for i in range(40)]
    rows += [
        person(40, country, surname="Қодиров", given_name="Ўткир", patronymic="Шавкат ўғли"),  # Cyrillic
        person(41, country, birth_date=date(1981, 6, 12).strftime("%d.%m.%Y")),  # wrong date for the PINFL
        person(42, country, surname="Oʻrinboyev", given_name="G‘ayrat"),
        person(43, country, given_name="Ωmega"),  # a letter SQL leaves to Python: valid
        person(44, country, street="\u00a0Amir Temur\u00a0"),  # white space Python strips: valid
        person(45, country, status="deceased"),
        person(46, country, status="ACTIVE"),  # upper case: refused by RowValidator
        person(47, country, passport="AB1234567"),
        person(48, country, passport="ab1234567"),
        person(49, country, street="=HYPERLINK(1)"),
        person(50, country, surname="<script>"),
        person(51, country, house="1" * 21),
        person(52, country, district_code="999"),
        person(53, country, mahalla_code=other),
        person(54, country, sex="X"),
        person(55, country, pinfl="12345678901234"),
        person(56, country, surname=""),
        person(57, country, flat="a\\b"),
        person(58, country, patronymic="Rustam o‘g‘li"),
        person(59, country, sex="М"),  # Cyrillic М for a man: valid
        person(62, country, sex="М"),  # the PINFL says a woman: refused
    ]
    born = date(1985, 3, 4)
    rows.append(
        person(60, country, birth_date=born.strftime("%d.%m.%Y"), pinfl=person(60, country, birth_date=born.isoformat())["pinfl"])
    )
    rows.append(dict(rows[0]))  # a PINFL written twice: both rows refused
    # cells padded with spaces, which RowValidator strips (SQL leaves every such row to Python)
    rows.append(person(63, country, given_name=" Aziz"))
    rows.append(person(64, country, street="Amir Temur ", passport="AB7654321 "))
    rows.append(dict(person(65, country), pinfl=" " + person(65, country)["pinfl"] + " "))
    rows.append(person(66, country, surname=" <b>"))  # padded and bad: refused
    rows.append(person(67, country, surname="Чош" * 33))  # 99 letters, whose key spells longer in Latin
    # 29 December 2003 as an ISO week date: not a spelling the layout allows (refused, not a crash)
    rows.append(person(68, country, birth_date="2004-W01-1", pinfl=make_pinfl(date(2003, 12, 29), "F", 168, 1)))
    return rows


def outcome(job):
    voters = sorted(Voter.objects.values_list("pinfl", *VOTER_DATA_COLUMNS, "precinct_id"))
    errors = sorted(ImportRowError.objects.filter(job=job).values_list("row", "field", "code", "value"))
    return voters, errors, (job.status, job.rows_read, job.rows_valid, job.rows_invalid, job.inserted)


def test_sql_path_and_python_path_give_the_same_list_and_errors(country, settings, checked_rows):
    content = csv_bytes(mixed_rows(country))
    settings.VOTER_IMPORT_SQL_CHECKS = True
    sql_job = run_import(country, content)
    sql = outcome(sql_job)
    python_checked_by_sql_path = len(checked_rows)
    assert Voter.objects.exclude(registry_hash=None).count() > 0

    Voter.objects.all().delete()
    checked_rows.clear()
    settings.VOTER_IMPORT_SQL_CHECKS = False
    python_job = run_import(country, content)
    python = outcome(python_job)

    assert sql == python
    voters, errors, counters = sql
    assert counters[0] == ImportJob.Status.DONE
    assert {e[2] for e in errors} >= {
        "duplicate_in_file",
        "formula",
        "invalid_characters",
        "too_long",
        "unknown",
        "wrong_district",
        "birth_date_mismatch",
        "sex_mismatch",
        "required",
    }
    # Python checked every row on its own path, and on the SQL path only the rows SQL did not accept.
    assert len(checked_rows) == counters[1]
    assert 0 < python_checked_by_sql_path < 30
    names = {v[3] for v in voters}
    assert {"Ўткир", "Ωmega"} <= names
    assert Voter.objects.filter(pinfl=person(65, country)["pinfl"]).exists()  # the PINFL without its spaces
    assert Voter.objects.get(pinfl=person(64, country)["pinfl"]).passport == "AB7654321"
    assert Voter.objects.filter(given_name="Aziz", pinfl=person(63, country)["pinfl"]).exists()
    long_name = Voter.objects.get(pinfl=person(67, country)["pinfl"])
    assert len(long_name.surname) == 99 and len(long_name.surname_key) == 100


def test_sql_path_falls_back_to_python_for_a_file_postgresql_cannot_parse(country, checked_rows):
    rows = [person(i, country) for i in range(5)]
    content = csv_bytes(rows).replace(b"\r\n", b"\n")
    lines = content.split(b"\n")
    # "\." alone on a line would end a COPY early: nothing after it may be lost
    content = b"\n".join(lines[:3] + [b"\\."] + lines[3:])
    job = run_import(country, content)
    assert job.status == ImportJob.Status.DONE and job.inserted == 5
    assert list(ImportRowError.objects.filter(job=job).values_list("row", "code")) == [(4, "columns")]
    assert len(checked_rows) == 6  # the Python path checked every row


def test_reimport_skips_unchanged_rows_before_any_check(country, checked_rows):
    rows = [person(i, country) for i in range(30)]
    first = run_import(country, csv_bytes(rows))
    assert first.inserted == 30 and checked_rows == []
    versions = dict(Voter.objects.values_list("pinfl", "version"))
    job = run_import(country, csv_bytes(rows))
    assert (job.status, job.rows_read, job.rows_valid, job.unchanged, job.updated, job.inserted) == (
        ImportJob.Status.DONE,
        30,
        30,
        30,
        0,
        0,
    )
    assert checked_rows == []
    assert dict(Voter.objects.values_list("pinfl", "version")) == versions
    assert not VoterChange.objects.exists()


def test_reimport_applies_a_change_among_skipped_rows(country):
    rows = [person(i, country) for i in range(30)]
    run_import(country, csv_bytes(rows))
    rows[7]["street"] = "Navoiy"
    job = run_import(country, csv_bytes(rows))
    assert (job.updated, job.unchanged, job.inserted) == (1, 29, 0)
    voter = Voter.objects.get(pinfl=rows[7]["pinfl"])
    assert voter.street == "Navoiy" and voter.version == 2
    assert VoterChange.objects.get(voter=voter).changes["street"] == ["Amir Temur", "Navoiy"]
    # and the changed row is skipped the next time
    again = run_import(country, csv_bytes(rows))
    assert (again.updated, again.unchanged) == (0, 30)


def test_a_corrected_voter_is_compared_again_on_reimport(country):
    rows = [person(i, country) for i in range(3)]
    run_import(country, csv_bytes(rows))
    voter = Voter.objects.get(pinfl=rows[1]["pinfl"])
    services.voter_update(
        actor=country.users["district"],
        voter=voter,
        data={"street": "Bobur"},
        expected_version=voter.version,
        reason="address checked at home",
    )
    voter.refresh_from_db()
    assert voter.registry_hash is None
    job = run_import(country, csv_bytes(rows))
    # the registry file is the source of the list: its row is applied again
    assert (job.updated, job.unchanged) == (1, 2)
    assert Voter.objects.get(pk=voter.pk).street == "Amir Temur"


def test_a_duplicate_of_an_unchanged_row_is_still_refused(country):
    rows = [person(i, country) for i in range(3)]
    run_import(country, csv_bytes(rows))
    before = sorted(Voter.objects.values_list("pinfl", "version", "street"))
    job = run_import(country, csv_bytes(rows + [dict(rows[0], street="Navoiy")]))
    dups = sorted(ImportRowError.objects.filter(job=job, code="duplicate_in_file").values_list("row", flat=True))
    assert dups == [2, 5]
    assert (job.rows_valid, job.rows_invalid, job.updated) == (2, 2, 0)
    assert sorted(Voter.objects.values_list("pinfl", "version", "street")) == before


def test_header_order_does_not_matter_to_the_sql_path(country, checked_rows):
    header = list(reversed(HEADER))
    rows = [person(i, country) for i in range(10)]
    job = run_import(country, csv_bytes(rows, header=header, delimiter=";"))
    assert (job.status, job.inserted) == (ImportJob.Status.DONE, 10)
    assert checked_rows == []
    assert Voter.objects.get(pinfl=rows[3]["pinfl"]).house == "4"


@pytest.mark.django_db(transaction=True)
def test_progress_of_the_copy_is_written_through_a_second_connection(country):
    """While the main connection streams the COPY, the page still sees rows done (estimated from bytes)."""

    content = csv_bytes([person(i, country) for i in range(40)])
    job = services.voter_import_start(actor=country.users["cec"], uploaded_file=SimpleUploadedFile("r.csv", content))
    assert job.total_estimate > 0

    progress = staging.SideProgress(job)
    progress.last = 0.0  # the one-second throttle has passed
    with connection.cursor() as cur, transaction.atomic():  # the main connection is busy in a transaction ...
        cur.execute("SELECT 1")
        with progress:
            progress(len(content) // 2)
            # ... yet the progress was written through a connection of its own and committed there: the
            # page (here: the busy connection's next statement) sees it at once
            assert progress.side is not None and progress.side.connection is not connection.connection
            assert ImportJob.objects.get(pk=job.pk).rows_read == int(job.total_estimate * (len(content) // 2) / len(content))


def test_sql_staging_table_has_the_python_paths_column_types(country, monkeypatch):
    """Rows are typed once, where they are checked: the merge then copies them without a cast per row."""

    def types(table):
        with connection.cursor() as cur:
            cur.execute(
                """SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute
                            WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped
                              AND attname <> 'ok' ORDER BY attname""",
                [table],
            )
            return cur.fetchall()

    seen = {}
    original = fastpath._stage_checked

    def spy(cur, **kwargs):
        original(cur, **kwargs)
        seen["sql"] = types(kwargs["stage"])

    monkeypatch.setattr(fastpath, "_stage_checked", spy)
    assert run_import(country, csv_bytes([person(i, country) for i in range(3)])).inserted == 3
    with connection.cursor() as cur:
        fastpath.create_stage_table(cur, "voters_stage_types")
    assert seen["sql"] == types("voters_stage_types")


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("1985-03-04", date(1985, 3, 4)),
        ("04.03.1985", date(1985, 3, 4)),
        ("2004-W01-1", None),
        ("19850304", None),
        ("1985-3-4", None),
        ("4.3.1985", None),
        ("1985-02-30", None),
        ("١٩٨٥-٠٣-٠٤", None),
        ("", None),
        ("1985-03-04T00:00", None),
    ],
)
def test_registry_dates_are_the_two_documented_spellings_only(raw, expected):

    assert registry_date(raw) == expected
