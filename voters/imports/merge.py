"""Merging a staged registry file into the voter list, set-based, in ONE transaction.

New voters are inserted (a load larger than the list rebuilds its indexes once, after), changed ones updated
with a ``VoterChange`` per change and moved to the precinct the assignment rules give their new address,
unchanged ones untouched; ``IMPORT_LOCK`` lets one merge into the list run at a time.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from core.services import audit_record
from voters.addressing import precinct_rule_joins
from voters.imports.rows import VOTER_DATA_COLUMNS
from voters.models import ImportJob

#: One merge into the list at a time (and, with the job id, one worker per job).
IMPORT_LOCK = 0x766F_7465

BULK_LOAD_MIN_ROWS = 50_000
_DATA_COLUMNS = VOTER_DATA_COLUMNS


def merge(job: ImportJob, stage: str) -> None:
    cols = ", ".join(_DATA_COLUMNS)
    s_cols = ", ".join(f"s.{c}" for c in _DATA_COLUMNS)
    # derived matching keys are not registry data: they never make a row "changed"
    s_cmp = ", ".join(f"s.{c}" for c in _DATA_COLUMNS if not c.endswith("_key"))
    v_cmp = ", ".join(f"v.{c}" for c in _DATA_COLUMNS if not c.endswith("_key"))
    diff = ", ".join(
        f"'{c}', CASE WHEN v.{c} IS DISTINCT FROM s.{c} THEN jsonb_build_array(v.{c}, s.{c}) END"
        for c in _DATA_COLUMNS
        if not c.endswith("_key")
    )
    source = f"import:{job.pk}"
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
        cur.execute("SET LOCAL work_mem = '256MB'")
        cur.execute("SELECT EXISTS (SELECT 1 FROM voters_voter)")
        listed_any = cur.fetchone()[0]
        updated = retired = 0
        if listed_any:  # (into an empty list every row is new: nothing to compare)
            cur.execute(f"ANALYZE {stage}")
            updated, retired = _merge_changed(cur, job, stage, diff=diff, v_cmp=v_cmp, s_cmp=s_cmp, source=source)
        # 2. new voters
        joins, expr = precinct_rule_joins(stage, "s", "pinfl")
        cur.execute(f"SELECT count(*) FROM {stage}")
        staged = cur.fetchone()[0]
        listed = 0
        if listed_any:  # the planner's estimate (from the last ANALYZE) is enough to choose the path
            cur.execute("SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE relname = 'voters_voter'")
            listed = cur.fetchone()[0]
        if staged >= BULK_LOAD_MIN_ROWS and staged > listed:
            # bulk load: keep only new rows first (while the PINFL index still exists) ...
            if listed_any:
                cur.execute(f"DELETE FROM {stage} s USING voters_voter v WHERE v.pinfl = s.pinfl")
            rebuild = _bulk_load_indexes_drop(cur)
            # ... ids given here (the file's row order) rather than drawn one by one from the sequence
            cur.execute("SELECT pg_get_serial_sequence('voters_voter', 'id')")
            sequence = cur.fetchone()[0]
            cur.execute(f"""SELECT GREATEST((SELECT coalesce(max(id), 0) FROM voters_voter),
                                            (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {sequence}))""")
            base = cur.fetchone()[0]
            cur.execute(
                f"""
                INSERT INTO voters_voter (id, pinfl, {cols}, precinct_id, version, source, status_reason, created_at,
                                          updated_at, registry_hash)
                SELECT %s + s.row_no, s.pinfl, {s_cols}, {expr}, 1, %s, '', now(), now(), s.registry_hash
                  FROM {stage} s {joins}""",
                [base, source],
            )
            inserted = cur.rowcount
            cur.execute(f"SELECT setval('{sequence}', %s + (SELECT max(row_no) FROM {stage}))", [base])
            _bulk_load_indexes_restore(cur, rebuild)
        else:
            cur.execute(
                f"""
                INSERT INTO voters_voter (pinfl, {cols}, precinct_id, version, source, status_reason, created_at,
                                          updated_at, registry_hash)
                SELECT s.pinfl, {s_cols}, {expr}, 1, %s, '', now(), now(), s.registry_hash
                  FROM {stage} s {joins}
                 WHERE NOT EXISTS (SELECT 1 FROM voters_voter v WHERE v.pinfl = s.pinfl)""",
                [source],
            )
            inserted = cur.rowcount
        cur.execute(f"DROP TABLE {stage}")
        # re-imported rows skipped before staging (voters.staging) are valid and unchanged too
        counters = {
            "inserted": inserted,
            "updated": updated,
            "unchanged": job.rows_valid - inserted - updated,
            "retired": retired,
        }
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.DONE, finished_at=timezone.now(), heartbeat_at=timezone.now(), **counters
        )
        audit_record(actor=job.created_by, action="voters.import.done", obj=job, after=counters)


def _merge_changed(cur, job: ImportJob, stage: str, *, diff: str, v_cmp: str, s_cmp: str, source: str):
    """Update the voters whose registry data differ from their staged row; returns (updated, retired)."""
    cur.execute("DROP TABLE IF EXISTS import_changed")
    cur.execute(f"""
        CREATE TEMP TABLE import_changed ON COMMIT DROP AS
        SELECT v.id, v.status AS old_status, v.mahalla_id AS old_mahalla, v.street AS old_street,
               v.house AS old_house, s.*,
               jsonb_strip_nulls(jsonb_build_object({diff})) AS diff
          FROM {stage} s JOIN voters_voter v ON v.pinfl = s.pinfl
         WHERE ({v_cmp}) IS DISTINCT FROM ({s_cmp})""")
    cur.execute(
        """
        INSERT INTO voters_voterchange (voter_id, created_at, kind, changes, reason, import_job_id, document)
        SELECT id, now(),
               CASE WHEN status = 'deceased' AND old_status <> 'deceased' THEN 'death'
                    WHEN status = 'incapable' AND old_status <> 'incapable' THEN 'court'
                    ELSE 'import' END,
               diff, '', %s, ''
          FROM import_changed""",
        [job.pk],
    )
    # One UPDATE per voter: voters whose address changed follow the assignment rules to their
    # new precinct in the same statement (a second UPDATE would write every row twice).
    joins, expr = precinct_rule_joins("import_changed", "c", "id")
    cur.execute(
        f"""
        UPDATE voters_voter v SET {", ".join(f"{c} = m.{c}" for c in _DATA_COLUMNS)},
               registry_hash = m.registry_hash, version = v.version + 1, updated_at = now(), source = %s,
               precinct_id = CASE WHEN m.moved THEN COALESCE(m.new_precinct, v.precinct_id)
                                  ELSE v.precinct_id END
          FROM (SELECT c.*, (c.mahalla_id, c.street, c.house)
                            IS DISTINCT FROM (c.old_mahalla, c.old_street, c.old_house) AS moved,
                       {expr} AS new_precinct
                  FROM import_changed c {joins}) m
         WHERE v.id = m.id""",
        [source],
    )
    updated = cur.rowcount
    cur.execute("SELECT count(*) FROM import_changed WHERE old_status = 'active' AND status <> 'active'")
    return updated, cur.fetchone()[0]


def _bulk_load_indexes_drop(cur) -> tuple[list[str], list[tuple[str, str, str]]]:
    """For a load larger than the list: drop its indexes and constraints, to rebuild each once after.

    Building an index from sorted data is several times faster than updating it row by
    row; this includes the primary key, so the foreign keys of other tables that refer
    to it go and come back too (checked again then).  Runs inside the merge transaction,
    so readers wait (they never see the list without its indexes) and a failure restores
    everything.
    """
    cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # fire deferred FK checks: ALTER TABLE needs none pending
    # the key, unique constraints and foreign keys from and to the list (most-dependent first)
    cur.execute("""
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
         WHERE (conrelid = 'voters_voter'::regclass AND contype IN ('p', 'u', 'f'))
            OR (confrelid = 'voters_voter'::regclass AND contype = 'f')
         ORDER BY contype = 'f' DESC, contype = 'u' DESC""")
    constraints = cur.fetchall()
    cur.execute("""
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
         WHERE i.indrelid = 'voters_voter'::regclass
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""")
    indexes = cur.fetchall()
    for table, name, _definition in constraints:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cur.execute(f"DROP INDEX {name}")
    cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
    return [d for _n, d in indexes], constraints


def _bulk_load_indexes_restore(cur, rebuild) -> None:
    indexes, constraints = rebuild
    for table, name, definition in reversed(constraints):  # the key first, foreign keys last
        cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for definition in indexes:
        cur.execute(definition)
