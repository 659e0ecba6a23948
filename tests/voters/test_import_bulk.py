"""A bulk load (more new rows than the list holds) drops the list's keys and indexes and rebuilds them once.

The threshold is lowered so that a small file takes that path; the outcome must be the one of
the row-by-row path, with every index, key and foreign key (to and from the list) back as it was.
"""

import pytest
from django.db import connection

from tests.voters.test_import import csv_bytes, person, run_import
from voters.imports import merge
from voters.models import ImportRowError, Voter, VoterChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def bulk(monkeypatch):
    """The threshold lowered; returns the list of loads that dropped the keys and indexes (to prove the path ran)."""
    monkeypatch.setattr(merge, "BULK_LOAD_MIN_ROWS", 5)
    dropped = []
    real = merge._bulk_load_indexes_drop

    def spy(cur):
        rebuild = real(cur)
        dropped.append(rebuild)
        return rebuild

    monkeypatch.setattr(merge, "_bulk_load_indexes_drop", spy)
    return dropped


def schema():
    """Every constraint on or referring to the list, and every index of it, as PostgreSQL defines them."""
    with connection.cursor() as cur:
        cur.execute("""
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), condeferrable, condeferred
              FROM pg_constraint
             WHERE conrelid = 'voters_voter'::regclass OR confrelid = 'voters_voter'::regclass ORDER BY 1, 2""")
        constraints = cur.fetchall()
        cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'voters_voter' ORDER BY 1")
        return constraints, cur.fetchall()


def test_bulk_load_into_an_empty_list_rebuilds_every_key_and_index(country, bulk):
    before = schema()
    assert any(c[0] != "voters_voter" for c in before[0])  # other tables' foreign keys are part of it
    rows = [person(i, country) for i in range(12)]
    job = run_import(country, csv_bytes(rows))
    assert (job.status, job.inserted, job.rows_invalid) == ("done", 12, 0)
    assert len(bulk) == 1 and bulk[0][1]  # the bulk path ran: keys and indexes were dropped ...
    assert schema() == before  # ... and are back as they were
    # ids follow the file's rows, and the sequence continues after them
    ids = list(Voter.objects.order_by("id").values_list("pinfl", flat=True))
    assert ids == [r["pinfl"] for r in rows]
    later = run_import(country, csv_bytes([person(100, country)]))  # a small load: row by row
    assert later.inserted == 1 and len(bulk) == 1  # (a small load did not take the bulk path)
    assert Voter.objects.get(pinfl=person(100, country)["pinfl"]).id > max(
        Voter.objects.exclude(pinfl=person(100, country)["pinfl"]).values_list("id", flat=True)
    )


def test_bulk_load_into_a_smaller_list_updates_inserts_and_refuses_as_row_by_row(country, bulk):
    seeded = [person(i, country) for i in range(3)]
    assert run_import(country, csv_bytes(seeded)).inserted == 3
    with connection.cursor() as cur:  # the path is chosen on the planner's row estimate: make it today's
        cur.execute("ANALYZE voters_voter")
    before = schema()
    twin = person(50, country)
    rows = [dict(seeded[0], street="Bobur"), seeded[1], seeded[2]] + [person(i, country) for i in range(10, 18)]
    rows += [twin, dict(twin, given_name="Boshqa")]
    job = run_import(country, csv_bytes(rows))
    assert (job.status, job.inserted, job.updated, job.unchanged, job.rows_invalid) == ("done", 8, 1, 2, 2)
    assert len(bulk) == 1  # the second import took the bulk path (the first, of 3 rows, did not)
    assert schema() == before
    moved = Voter.objects.get(pinfl=seeded[0]["pinfl"])
    assert (moved.street, moved.version) == ("Bobur", 2)
    assert VoterChange.objects.get(voter=moved).changes == {"street": ["Amir Temur", "Bobur"]}
    assert not Voter.objects.filter(pinfl=twin["pinfl"]).exists()
    assert ImportRowError.objects.filter(job=job, code="duplicate_in_file").count() == 2
    assert Voter.objects.count() == 11
