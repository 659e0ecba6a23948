"""Every write to the voter list.

Imports follow DESIGN.md: stream and validate in chunks, ``COPY`` valid rows into
a per-job UNLOGGED staging table, then merge with set-based SQL in ONE
transaction (new voters inserted, changed ones updated with a ``VoterChange``
per change, unchanged ones untouched).  A file that fails midway leaves the list
as it was; a killed worker's job is picked up again (``voter_import_resume``)
and ends in the same state as an uninterrupted run.
"""

from __future__ import annotations

import logging
import os
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from core.files import sha256_hex
from core.identity import is_citizen_passport
from core.services import audit_record
from core.text import name_error, text_error
from elections.models import District, Mahalla
from voters.importing import FileRejected, RowValidator, open_registry_file
from voters.models import ImportJob, ImportRowError
from voters.staging import NotForSql, all_distinct, create_stage_table, stage_csv

log = logging.getLogger(__name__)

CHUNK_ROWS = 20_000
MAX_STORED_ERRORS = 100_000
_IMPORT_LOCK = 0x766F_7465  # one merge into the list at a time

# Voter columns a registry import owns, in staging-table order.
#: A load of at least this many new rows, more than the list holds, rebuilds the list's indexes after.
BULK_LOAD_MIN_ROWS = 50_000
_DATA_COLUMNS = ("passport", "surname", "given_name", "patronymic", "surname_key", "given_key", "patronymic_key",
                 "birth_date", "sex", "district_id", "mahalla_id", "street", "house", "flat", "status")


# --------------------------------------------------------------------------- import: start


def voter_import_start(*, actor, uploaded_file, encoding: str = "auto", request=None,
                       language: str | None = None) -> ImportJob:
    """Store an uploaded registry file and queue its import (CEC staff only).

    Messages of the job (rejections, row errors) are written in the uploader's language.
    """
    if not actor.is_cec:
        raise PermissionDenied(_("Only Central Election Commission staff may import registry files."))
    limit = settings.VOTER_IMPORT_MAX_BYTES
    if uploaded_file.size > limit:
        raise ValidationError(_("The file is %(size)s MB; at most %(limit)s MB is accepted.")
                              % {"size": uploaded_file.size // 2**20, "limit": limit // 2**20}, code="too_large")
    if uploaded_file.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    sha256 = sha256_hex(uploaded_file)
    with transaction.atomic():
        job = ImportJob(created_by=actor, original_name=os.path.basename(uploaded_file.name)[:255],
                        size=uploaded_file.size, sha256=sha256,
                        encoding=encoding if encoding in ("auto", "utf-8", "utf-8-sig", "cp1251") else "auto",
                        language=(language or get_language() or settings.LANGUAGE_CODE)[:10])
        job.file.save(f"{timezone.now():%Y%m%d%H%M%S}-{job.sha256[:12]}.dat", uploaded_file, save=False)
        job.total_estimate = _estimate_rows(job.file.path, uploaded_file.size)
        job.save()
        audit_record(actor=actor, action="voters.import.start", obj=job, request=request,
                     after={"file": job.original_name, "sha256": job.sha256, "size": job.size})
        _enqueue(job)
    return job


def _enqueue(job: ImportJob) -> None:
    from voters.tasks import voter_import_task

    transaction.on_commit(lambda: voter_import_task.delay(job.pk))


def _estimate_rows(path: str, size: int) -> int:
    with open(path, "rb") as fh:
        sample = fh.read(1 << 20)
    if sample.startswith(b"PK"):
        return max(1, size // 60)  # compressed XLSX: a rough guess, refined while reading
    lines = sample.count(b"\n") or 1
    return max(1, int(size / (len(sample) / lines)) - 1)


# --------------------------------------------------------------------------- import: run


def voter_import_run(*, job_id: int) -> ImportJob | None:
    """Run (or resume) an import job; safe to call more than once and after a crash.

    A session-level advisory lock on the job id marks the job as being worked on:
    a worker that dies loses its connection and so the lock, which is how
    ``voter_import_resume`` tells an orphaned job from a running one.
    """
    with connection.cursor() as cur:
        cur.execute("SELECT pg_try_advisory_lock(%s, %s)", [_IMPORT_LOCK, job_id])
        if not cur.fetchone()[0]:
            return None  # another worker holds it
    try:
        job = ImportJob.objects.get(pk=job_id)
        if job.is_finished:
            return job
        with override(job.language or settings.LANGUAGE_CODE):
            return _run_locked(job)
    finally:
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_unlock(%s, %s)", [_IMPORT_LOCK, job_id])


def _stage_table(job: ImportJob) -> str:
    return f"voters_stage_{job.pk}"


def _run_locked(job: ImportJob) -> ImportJob:
    stage = _stage_table(job)
    # A previous attempt may have died at any point: start the reading from scratch.
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {stage}")
    ImportRowError.objects.filter(job=job).delete()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.VALIDATING, attempts=job.attempts + 1, started_at=timezone.now(),
        heartbeat_at=timezone.now(), rows_read=0, rows_valid=0, rows_invalid=0, message="")
    job.refresh_from_db()
    try:
        _read_and_stage(job, stage)
        job.refresh_from_db()
        if job.rows_valid == 0:
            raise FileRejected("no_valid_rows", _("No valid rows: every row of the file has errors "
                                                  "(see the error report). Nothing was changed."))
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.MERGING, heartbeat_at=timezone.now())
        _merge(job, stage)
    except FileRejected as exc:
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {stage}")
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.REJECTED, message=exc.message,
                                                   finished_at=timezone.now())
        with transaction.atomic():
            audit_record(actor=job.created_by, action="voters.import.rejected", obj=job,
                         after={"reason": exc.message, "code": exc.code})
    job.refresh_from_db()
    return job


def _read_and_stage(job: ImportJob, stage: str) -> None:
    districts = dict(District.objects.values_list("code", "id"))
    mahallas = {code: (pk, d) for code, pk, d in Mahalla.objects.values_list("code", "id", "district_id")}
    registry = open_registry_file(job.file.path, encoding=job.encoding or "auto")
    ImportJob.objects.filter(pk=job.pk).update(encoding=registry.encoding)
    validator = RowValidator(registry.header, districts, mahallas)
    errors = _ErrorSink(job)
    if registry.kind == "csv" and settings.VOTER_IMPORT_SQL_CHECKS:
        try:
            with _SideProgress(job) as progress:
                staged = stage_csv(job=job, path=job.file.path, registry=registry, stage=stage,
                                   validator=validator, store_errors=errors, progress=progress)
        except NotForSql:
            log.info("import %s: PostgreSQL cannot parse the file as it stands; checking it in Python", job.pk)
        else:
            valid = staged.staged + staged.skipped
            ImportJob.objects.filter(pk=job.pk).update(
                rows_read=staged.read, rows_valid=valid, rows_invalid=staged.invalid, heartbeat_at=timezone.now(),
                total_estimate=staged.read)
            _after_stage(job, stage, read=staged.read, valid=valid, invalid=staged.invalid)
            return
    _python_stage(job, stage, registry, validator, errors)


class _ErrorSink:
    """Stores row errors with COPY, at most ``MAX_STORED_ERRORS`` of them per job."""

    def __init__(self, job: ImportJob):
        self.job_id, self.stored = job.pk, 0

    def __call__(self, errors: list[tuple]) -> None:
        keep = errors[: max(0, MAX_STORED_ERRORS - self.stored)]
        if keep:
            with connection.cursor() as cur, cur.copy(
                    "COPY voters_importrowerror (job_id, row, field, code, message, value) FROM STDIN") as copy:
                for e in keep:
                    copy.write_row((self.job_id, *e))
            self.stored += len(keep)


class _SideProgress:
    """Progress of a long statement, written through a second connection while the first is busy.

    Rows done are estimated from the bytes sent; at most one update a second.
    """

    def __init__(self, job: ImportJob):
        self.job_id, self.size, self.estimate = job.pk, max(job.file.size, 1), job.total_estimate
        self.last = time.monotonic()
        self.side = None

    def __enter__(self):
        return self

    def __call__(self, done_bytes: int) -> None:
        now = time.monotonic()
        if now - self.last < 1:
            return
        self.last = now
        if self.side is None:
            from django.db import connections

            self.side = connections.create_connection("default")
        with self.side.cursor() as cur:
            cur.execute("UPDATE voters_importjob SET rows_read = %s, heartbeat_at = now() WHERE id = %s",
                        [int(self.estimate * min(done_bytes / self.size, 1.0)), self.job_id])

    def __exit__(self, *exc):
        if self.side is not None:
            self.side.close()


def _python_stage(job: ImportJob, stage: str, registry, validator: RowValidator, store_errors) -> None:
    """Check every row in Python (XLSX files, and CSV files PostgreSQL cannot parse as they stand)."""
    with connection.cursor() as cur:
        create_stage_table(cur, stage)
    read = valid = invalid = 0
    lines: list[str] = []
    errors: list[tuple] = []
    row_no = 1
    last_flush = time.monotonic()
    copy_sql = f"COPY {stage} ({', '.join(RowValidator.STAGE_COLUMNS)}) FROM STDIN"
    # Outside a transaction a second connection streams the staging COPY while this
    # thread validates the next rows (PostgreSQL parses on the other core).  Inside a
    # transaction (tests) the staging table is not visible to another connection.
    writer = None if connection.in_atomic_block else _StageWriter(copy_sql)

    def flush(final=False):
        nonlocal lines, errors, last_flush
        if lines:
            text = "\n".join(lines) + "\n"
            if writer is not None:
                writer.put(text)
            else:
                with connection.cursor() as cur, cur.copy(copy_sql) as copy:
                    copy.write(text)
        if errors:
            store_errors(errors)
        ImportJob.objects.filter(pk=job.pk).update(
            rows_read=read, rows_valid=valid, rows_invalid=invalid, heartbeat_at=timezone.now(),
            total_estimate=max(read, job.total_estimate) if not final else read)
        lines, errors = [], []
        last_flush = time.monotonic()

    check = validator.check
    try:
        for row in registry.rows:
            row_no += 1
            line, problems = check(row, row_no)
            if line is not None:
                lines.append(line)
                valid += 1
                read += 1
            elif problems:
                invalid += 1
                read += 1
                errors.extend((row_no, *p) for p in problems)
            if len(lines) + len(errors) >= CHUNK_ROWS or (row_no & 1023 == 0 and time.monotonic() - last_flush > 1):
                flush()
        flush(final=True)
    finally:
        if writer is not None:
            writer.close()
    _after_stage(job, stage, read=read, valid=valid, invalid=invalid)


def _after_stage(job: ImportJob, stage: str, *, read: int, valid: int, invalid: int) -> None:
    if read == 0:
        raise FileRejected("empty", _("The file has a header but no data rows."))
    # A PINFL written on more than one row cannot be trusted: all its rows are refused.
    with connection.cursor() as cur:
        if all_distinct(cur, stage, "pinfl"):
            return
        cur.execute(f"""
            WITH dup AS (DELETE FROM {stage} s USING (
                    SELECT pinfl FROM {stage} GROUP BY pinfl HAVING count(*) > 1) d
                 WHERE s.pinfl = d.pinfl RETURNING s.row_no, s.pinfl)
            INSERT INTO voters_importrowerror (job_id, row, field, code, message, value)
            SELECT %s, row_no, 'pinfl', 'duplicate_in_file', %s, pinfl FROM dup""",
                    [job.pk, _("This PINFL appears on more than one row of the file.")])
        dups = cur.rowcount
    if dups:
        ImportJob.objects.filter(pk=job.pk).update(rows_valid=valid - dups, rows_invalid=invalid + dups)


class _StageWriter:
    """One long COPY into the staging table, fed from a bounded queue by a thread of its own."""

    def __init__(self, copy_sql: str):
        import queue
        import threading

        self.queue: queue.Queue = queue.Queue(maxsize=4)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(copy_sql,), name="import-stage-copy", daemon=True)
        self.thread.start()

    def _run(self, copy_sql: str) -> None:
        from django.db import connection as thread_connection  # a connection of this thread

        try:
            with thread_connection.cursor() as cur, cur.copy(copy_sql) as copy:
                while (text := self.queue.get()) is not None:
                    copy.write(text)
        except BaseException as exc:  # reported to the reading thread
            self.error = exc
            while self.queue.get() is not None:  # drain so the reader never blocks
                pass
        finally:
            thread_connection.close()

    def put(self, text: str) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(text)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


def precinct_rule_joins(table: str, alias: str, key: str) -> tuple[str, str]:
    """Joins and expression giving the precinct the assignment rules assign to rows of ``table``.

    The one place for the rule: a rule for the row's street (and house range) wins over
    the rule for its whole mahalla.  Returns ``(joins, expression)`` to put after
    ``FROM {table} {alias}``; hash joins, so it runs set-based over millions of rows.
    """
    joins = f"""
        LEFT JOIN voters_assignmentrule mr ON mr.mahalla_id = {alias}.mahalla_id AND mr.street = ''
        LEFT JOIN (
            SELECT DISTINCT ON (y.{key}) y.{key} AS k, r.precinct_id
              FROM {table} y JOIN voters_assignmentrule r
                ON r.mahalla_id = y.mahalla_id AND r.street <> '' AND lower(r.street) = lower(y.street)
               AND (r.house_from IS NULL
                    OR NULLIF(substring(y.house FROM '^[0-9]{{1,9}}'), '')::int BETWEEN r.house_from AND r.house_to)
             ORDER BY y.{key}, r.house_from NULLS LAST
        ) sr ON sr.k = {alias}.{key}"""
    return joins, "COALESCE(sr.precinct_id, mr.precinct_id)"


def _merge(job: ImportJob, stage: str) -> None:
    cols = ", ".join(_DATA_COLUMNS)
    s_cols = ", ".join(f"s.{c}" for c in _DATA_COLUMNS)
    # derived matching keys are not registry data: they never make a row "changed"
    s_cmp = ", ".join(f"s.{c}" for c in _DATA_COLUMNS if not c.endswith("_key"))
    v_cmp = ", ".join(f"v.{c}" for c in _DATA_COLUMNS if not c.endswith("_key"))
    diff = ", ".join(
        f"'{c}', CASE WHEN v.{c} IS DISTINCT FROM s.{c} THEN jsonb_build_array(v.{c}, s.{c}) END"
        for c in _DATA_COLUMNS if not c.endswith("_key"))
    source = f"import:{job.pk}"
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", [_IMPORT_LOCK])
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
            cur.execute(f"""
                INSERT INTO voters_voter (id, pinfl, {cols}, precinct_id, version, source, status_reason, created_at,
                                          updated_at, registry_hash)
                SELECT %s + s.row_no, s.pinfl, {s_cols}, {expr}, 1, %s, '', now(), now(), s.registry_hash
                  FROM {stage} s {joins}""", [base, source])
            inserted = cur.rowcount
            cur.execute(f"SELECT setval('{sequence}', %s + (SELECT max(row_no) FROM {stage}))", [base])
            _bulk_load_indexes_restore(cur, rebuild)
        else:
            cur.execute(f"""
                INSERT INTO voters_voter (pinfl, {cols}, precinct_id, version, source, status_reason, created_at,
                                          updated_at, registry_hash)
                SELECT s.pinfl, {s_cols}, {expr}, 1, %s, '', now(), now(), s.registry_hash
                  FROM {stage} s {joins}
                 WHERE NOT EXISTS (SELECT 1 FROM voters_voter v WHERE v.pinfl = s.pinfl)""", [source])
            inserted = cur.rowcount
        cur.execute(f"DROP TABLE {stage}")
        # re-imported rows skipped before staging (voters.staging) are valid and unchanged too
        counters = {"inserted": inserted, "updated": updated, "unchanged": job.rows_valid - inserted - updated,
                    "retired": retired}
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE, finished_at=timezone.now(),
                                                   heartbeat_at=timezone.now(), **counters)
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
    cur.execute("""
        INSERT INTO voters_voterchange (voter_id, created_at, kind, changes, reason, import_job_id, document)
        SELECT id, now(),
               CASE WHEN status = 'deceased' AND old_status <> 'deceased' THEN 'death'
                    WHEN status = 'incapable' AND old_status <> 'incapable' THEN 'court'
                    ELSE 'import' END,
               diff, '', %s, ''
          FROM import_changed""", [job.pk])
    # One UPDATE per voter: voters whose address changed follow the assignment rules to their
    # new precinct in the same statement (a second UPDATE would write every row twice).
    joins, expr = precinct_rule_joins("import_changed", "c", "id")
    cur.execute(f"""
        UPDATE voters_voter v SET {", ".join(f"{c} = m.{c}" for c in _DATA_COLUMNS)},
               registry_hash = m.registry_hash, version = v.version + 1, updated_at = now(), source = %s,
               precinct_id = CASE WHEN m.moved THEN COALESCE(m.new_precinct, v.precinct_id)
                                  ELSE v.precinct_id END
          FROM (SELECT c.*, (c.mahalla_id, c.street, c.house)
                            IS DISTINCT FROM (c.old_mahalla, c.old_street, c.old_house) AS moved,
                       {expr} AS new_precinct
                  FROM import_changed c {joins}) m
         WHERE v.id = m.id""", [source])
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


def voter_import_resume() -> list[int]:
    """Re-queue jobs whose worker died (no live session holds their lock)."""
    requeued = []
    for job in ImportJob.objects.filter(status__in=[ImportJob.Status.QUEUED, ImportJob.Status.VALIDATING,
                                                    ImportJob.Status.MERGING]):
        with connection.cursor() as cur:
            cur.execute("SELECT pg_try_advisory_lock(%s, %s)", [_IMPORT_LOCK, job.pk])
            free = cur.fetchone()[0]
            if free:
                cur.execute("SELECT pg_advisory_unlock(%s, %s)", [_IMPORT_LOCK, job.pk])
        stale = job.status == ImportJob.Status.QUEUED and job.created_at < timezone.now() - timedelta(
            minutes=2)
        if free and (job.status != ImportJob.Status.QUEUED or stale):
            from voters.tasks import voter_import_task

            voter_import_task.delay(job.pk)
            requeued.append(job.pk)
    return requeued


# --------------------------------------------------------------------------- corrections by officials

class StaleEdit(ValidationError):
    """The record changed since the official opened it (optimistic locking)."""


_EDITABLE = ("surname", "given_name", "patronymic", "passport", "street", "house", "flat", "mahalla_id")


def _voter_in_scope(user, voter) -> bool:
    from voters.models import Voter

    return Voter.objects.restrict(user).filter(pk=voter.pk).exists()


def _refuse_merged(voter) -> None:
    """A record retired by a confirmed duplicate keeps its history but is changed no more (nor brought back)."""
    if voter.merged_into_id:
        raise ValidationError(_("This record was merged into another voter's record (a confirmed duplicate) and "
                                "can no longer be changed. Correct the record it was merged into."), code="merged")


def voter_update(*, actor, voter, data: dict, expected_version: int, reason: str, request=None):
    """Correct a voter's data; refused if someone else changed the record meanwhile."""
    from core.names import normalize_name, normalize_patronymic
    from voters.models import Voter, VoterChange

    if not actor.is_official or not _voter_in_scope(actor, voter):
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the record is corrected.")})
    data = dict(data)  # cleaned here; the caller's dict is left as it was
    problems = {}
    for field in ("surname", "given_name", "patronymic"):
        if field in data:
            data[field] = (data[field] or "").strip()
            problem = name_error(data[field], field != "patronymic")
            if problem:
                problems[field] = problem[1]
    for field, limit in (("street", 150), ("house", 20), ("flat", 20)):
        if field in data:
            data[field] = (data[field] or "").strip()
            problem = text_error(data[field], limit)
            if problem:
                problems[field] = problem[1]
    if data.get("passport") and not is_citizen_passport(data["passport"]):
        problems["passport"] = _("Two Latin capital letters and 7 digits.")
    if problems:  # the same rules as the registry import
        raise ValidationError(problems)
    with transaction.atomic():
        current = Voter.objects.select_for_update().get(pk=voter.pk)
        _refuse_merged(current)
        if current.version != expected_version:
            raise StaleEdit(_("This record was changed by someone else after you opened it (version %(v)s, you "
                              "edited version %(mine)s). Reload the page to see the current data; nothing was "
                              "saved.") % {"v": current.version, "mine": expected_version}, code="stale")
        changes = {}
        for field in _EDITABLE:
            if field in data and getattr(current, field) != data[field]:
                changes[field] = [getattr(current, field), data[field]]
                setattr(current, field, data[field])
        if not changes:
            return current
        if "mahalla_id" in changes and current.mahalla_id:
            from elections.models import Mahalla

            if Mahalla.objects.get(pk=current.mahalla_id).district_id != current.district_id:
                raise ValidationError({"mahalla": _("The mahalla is not in the voter's district.")})
        current.surname_key = normalize_name(current.surname)
        current.given_key = normalize_name(current.given_name)
        current.patronymic_key = normalize_patronymic(current.patronymic) if current.patronymic else ""
        current.version += 1
        current.updated_at = timezone.now()
        current.source = "correction"
        current.registry_hash = None
        current.full_clean(exclude=["pinfl", "district", "mahalla", "precinct", "merged_into"])
        current.save()
        if {"mahalla_id", "street", "house"} & changes.keys():
            voter_reassign_one(voter=current)
        VoterChange.objects.create(voter=current, kind=VoterChange.Kind.CORRECTION, changes=changes,
                                   reason=reason.strip(), actor=actor)
        audit_record(actor=actor, action="voters.voter.correct", obj=current, request=request,
                     before={k: v[0] for k, v in changes.items()}, after={k: v[1] for k, v in changes.items()})
    return current


def voter_set_status(*, actor, voter, status: str, reason: str, expected_version: int, document=None, request=None):
    """Record a death, a court decision or an exclusion (with a reason and supporting document)."""
    from voters.models import Voter, VoterChange, VoterStatus

    if not actor.is_official or not _voter_in_scope(actor, voter):
        raise PermissionDenied
    if status not in VoterStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("A reason is required for a status change.")})
    if status in (VoterStatus.DECEASED, VoterStatus.INCAPABLE) and document is None:
        raise ValidationError({"document": _("Attach the death certificate or the court decision.")})
    with transaction.atomic():
        current = Voter.objects.select_for_update().get(pk=voter.pk)
        _refuse_merged(current)
        if current.version != expected_version:
            raise StaleEdit(_("This record was changed by someone else after you opened it. Reload the page; "
                              "nothing was saved."), code="stale")
        if current.status == status:
            return current
        before = current.status
        current.status, current.status_reason = status, reason.strip()[:300]
        current.version += 1
        current.updated_at = timezone.now()
        current.registry_hash = None
        try:
            current.full_clean(exclude=["pinfl", "district", "mahalla", "precinct", "merged_into"])
        except ValidationError as exc:  # the reason is the form's field
            errors = exc.message_dict
            raise ValidationError({"reason" if k == "status_reason" else k: v for k, v in errors.items()})
        current.save(update_fields=["status", "status_reason", "version", "updated_at", "registry_hash"])
        kind = {VoterStatus.DECEASED: VoterChange.Kind.DEATH, VoterStatus.INCAPABLE: VoterChange.Kind.COURT}.get(
            status, VoterChange.Kind.STATUS)
        change = VoterChange(voter=current, kind=kind, changes={"status": [before, status]}, reason=reason.strip(),
                             actor=actor)
        if document is not None:
            change.document.save(os.path.basename(document.name), document, save=False)
        change.save()
        audit_record(actor=actor, action="voters.voter.status", obj=current, request=request,
                     before={"status": before}, after={"status": status, "reason": reason})
    return current


# --------------------------------------------------------------------------- precinct assignment

def voter_reassign_one(*, voter) -> None:
    from voters.models import Voter

    with connection.cursor() as cur:
        joins, expr = precinct_rule_joins("voters_voter", "x", "id")
        cur.execute(f"SELECT {expr} FROM voters_voter x {joins} WHERE x.id = %s", [voter.pk])
        row = cur.fetchone()
    if row and row[0] and row[0] != voter.precinct_id:
        Voter.objects.filter(pk=voter.pk).update(precinct_id=row[0])
        voter.precinct_id = row[0]


def _moves_sql(district_ids=None) -> tuple[str, list]:
    joins, expr = precinct_rule_joins("voters_voter", "x", "id")
    where, params = "", []
    if district_ids is not None:
        where, params = "AND x.district_id = ANY(%s)", [list(district_ids)]
    return (f"""SELECT x.id, x.precinct_id AS old_precinct, {expr} AS new_precinct
                  FROM voters_voter x {joins}
                 WHERE x.merged_into_id IS NULL {where}""", params)


def assignment_preview(*, district_ids=None) -> list[dict]:
    """How many voters each rule change would move: [{from, to, voters}], largest first."""
    sql, params = _moves_sql(district_ids)
    with connection.cursor() as cur:
        cur.execute(f"""
            SELECT m.old_precinct, m.new_precinct, count(*) FROM ({sql}) m
             WHERE m.new_precinct IS NOT NULL AND m.new_precinct IS DISTINCT FROM m.old_precinct
             GROUP BY 1, 2 ORDER BY 3 DESC""", params)
        return [{"from": a, "to": b, "voters": n} for a, b, n in cur.fetchall()]


def assignment_apply(*, actor, district_ids=None, request=None) -> int:
    """Move every voter to the precinct the rules give them: one set-based statement, with history."""
    from accounts.scope import scope_for

    scope = scope_for(actor)
    if scope.is_empty:
        raise PermissionDenied
    if not scope.everything:
        from elections.models import District

        allowed = set(District.objects.restrict(actor).values_list("pk", flat=True))
        if not allowed:
            raise PermissionDenied(_("Precinct commissions cannot change the assignment of voters."))
        district_ids = allowed if district_ids is None else set(district_ids) & allowed
    sql, params = _moves_sql(district_ids)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS assignment_moves")
        cur.execute(f"""CREATE TEMP TABLE assignment_moves ON COMMIT DROP AS
                        SELECT * FROM ({sql}) m
                         WHERE m.new_precinct IS NOT NULL AND m.new_precinct IS DISTINCT FROM m.old_precinct""",
                    params)
        cur.execute("""
            INSERT INTO voters_voterchange (voter_id, created_at, kind, changes, reason, actor_id, document)
            SELECT id, now(), 'assignment', jsonb_build_object('precinct_id', jsonb_build_array(old_precinct,
                   new_precinct)), %s, %s, '' FROM assignment_moves""",
                    [_("precinct assignment rules changed"), actor.pk])
        cur.execute("""UPDATE voters_voter v SET precinct_id = m.new_precinct, version = v.version + 1,
                              updated_at = now()
                         FROM assignment_moves m WHERE v.id = m.id""")
        moved = cur.rowcount
        audit_record(actor=actor, action="voters.assignment.apply", object_type="voters.assignment",
                     after={"moved": moved, "districts": sorted(district_ids) if district_ids else "all"},
                     request=request)
    return moved


def assignment_rule_save(*, actor, mahalla, precinct, street: str = "", house_from=None, house_to=None,
                         request=None):
    from accounts.scope import scope_for
    from voters.models import AssignmentRule

    if not scope_for(actor).covers(mahalla):
        raise PermissionDenied
    if precinct.district_id != mahalla.district_id:
        raise ValidationError({"precinct": _("The precinct must be in the mahalla's district.")})
    street = (street or "").strip()
    if (house_from is None) != (house_to is None):
        raise ValidationError(_("Give both ends of the house range, or neither."))
    if house_from is not None and not street:
        raise ValidationError(_("A house range needs a street."))
    if house_from is not None and house_from > house_to:
        raise ValidationError(_("The range must go from a lower to a higher house number."))
    overlapping = AssignmentRule.objects.filter(mahalla=mahalla, street__iexact=street).exclude(
        house_from__gt=house_to if house_to is not None else 10**9).exclude(
        house_to__lt=house_from if house_from is not None else -1)
    with transaction.atomic():
        rule = overlapping.filter(house_from=house_from, house_to=house_to).first() or AssignmentRule(
            mahalla=mahalla, street=street, house_from=house_from, house_to=house_to)
        if overlapping.exclude(pk=rule.pk).exists():
            raise ValidationError(_("This house range overlaps another rule for the same street."))
        before = {"precinct": rule.precinct_id} if rule.pk else None
        rule.precinct = precinct
        rule.full_clean()
        rule.save()
        audit_record(actor=actor, action="voters.assignment.rule", obj=rule, before=before,
                     after={"mahalla": mahalla.pk, "street": street, "house_from": house_from, "house_to": house_to,
                            "precinct": precinct.pk}, request=request)
    return rule


# --------------------------------------------------------------------------- requests to vote elsewhere

class NotFoundForPublic(ValidationError):
    """The same answer for an unknown PINFL and a wrong birth date."""


def location_request_submit(*, pinfl: str, birth_date, election, precinct, reason: str = "", contact: str = "",
                            request=None):
    """A voter (no login) asks to vote at ``precinct`` for ``election``; returns the request with its code."""
    import secrets

    from core.workflow import workflow_transition
    from voters.models import ListEntryOverride, Voter, VotingLocationRequest

    if not election.is_active:
        raise ValidationError({"election": ValidationError(_("This election is not open for requests."),
                                                           code="election_inactive")})
    contact = (contact or "").strip()
    if "@" in contact:  # an e-mail address gets the decision (a phone number is read by the commission)
        from django.core.validators import validate_email

        try:
            validate_email(contact)
        except ValidationError:
            raise ValidationError({"contact": ValidationError(_("Enter a valid e-mail address or a phone number."),
                                                              code="invalid_contact")})
    voter = Voter.objects.listed().filter(pinfl=(pinfl or "").strip(), birth_date=birth_date).first()
    if voter is None:
        raise NotFoundForPublic(_("No voter matches this PINFL and birth date."), code="not_found")
    current = ListEntryOverride.objects.filter(voter=voter, election=election).values_list(
        "precinct_id", flat=True).first() or voter.precinct_id
    if precinct.pk == current:
        raise ValidationError({"precinct": _("You are already on this precinct's list.")}, code="same_precinct")
    if VotingLocationRequest.objects.filter(voter=voter, election=election,
                                            status__in=["submitted", "under_review"]).exists():
        raise ValidationError(_("You already have an open request for this election; withdraw it first."),
                              code="open_request")
    with transaction.atomic():
        req = VotingLocationRequest.objects.create(
            tracking_code=secrets.token_hex(5).upper(), voter=voter, election=election, precinct=precinct,
            reason=reason.strip()[:300], contact=contact.strip()[:120])
        workflow_transition(obj=req, name="submit", actor=None, request=request)
    req.refresh_from_db()
    return req


def location_request_decide(*, actor, req, approve: bool, reason: str = "", request=None):
    """The target precinct's commission approves (the voter moves to its list for that election) or rejects."""
    from core.workflow import workflow_transition
    from voters.models import ListEntryOverride, Voter

    def move(locked):
        if approve:
            if not Voter.objects.listed().filter(pk=locked.voter_id).exists():
                raise ValidationError(_("The voter is no longer on the voter list (a death, a court decision, an "
                                        "exclusion or a merged duplicate since the request). Refuse the request "
                                        "instead."), code="voter_not_active")
            ListEntryOverride.objects.update_or_create(
                voter_id=locked.voter_id, election_id=locked.election_id,
                defaults={"precinct_id": locked.precinct_id, "request": locked})

    # the voter hears of the decision through the workflow's policy (voters.workflows)
    return workflow_transition(obj=req, name="approve" if approve else "reject", actor=actor, reason=reason,
                               request=request, extra_check=move)


def location_request_withdraw(*, tracking_code: str, birth_date, request=None):
    from core.workflow import workflow_transition
    from voters.models import VotingLocationRequest

    req = VotingLocationRequest.objects.filter(tracking_code=(tracking_code or "").strip().upper(),
                                               voter__birth_date=birth_date).first()
    if req is None:
        raise NotFoundForPublic(_("No request matches this code and birth date."), code="not_found")
    return workflow_transition(obj=req, name="withdraw", actor=None, request=request)


# --------------------------------------------------------------------------- exports of large areas

def export_start(*, actor, district, fmt: str, election=None, request=None):
    from accounts.scope import scope_for
    from voters.models import ExportJob

    # the whole district's lists: only for an official whose area holds the whole district (not a precinct's)
    if not scope_for(actor).covers(district):
        raise PermissionDenied
    if fmt not in ExportJob.Format.values:
        raise ValidationError({"format": _("Choose CSV or PDF.")})
    with transaction.atomic():
        job = ExportJob.objects.create(created_by=actor, district=district, election=election, format=fmt)
        audit_record(actor=actor, action="voters.export.start", obj=job, request=request,
                     after={"district": district.pk, "format": fmt})
        from voters.tasks import export_task

        transaction.on_commit(lambda: export_task.delay(job.pk))
    return job


def export_run(*, job_id: int):
    """Write the district's voter lists to a file (idempotent: a finished export is kept)."""
    from django.core.files.base import ContentFile

    from elections.models import Precinct
    from voters import exports
    from voters.models import ExportJob

    job = ExportJob.objects.select_related("district", "election").get(pk=job_id)
    if job.status == ExportJob.Status.DONE:
        return job
    precincts = list(Precinct.objects.filter(district=job.district).order_by("number"))
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, done=0, total=len(precincts))
    import io

    buffer = io.BytesIO()
    last = [0.0]

    def progress(done, total):
        now = time.monotonic()
        if now - last[0] > 0.5 or done == total:
            ExportJob.objects.filter(pk=job.pk).update(done=done, total=total)
            last[0] = now

    try:
        if job.format == ExportJob.Format.CSV:
            exports.write_precinct_csv(buffer, precincts, job.election)
        else:
            exports.write_district_pdf(buffer, precincts, job.election, progress=progress)
    except Exception as exc:
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, message=str(exc)[:1000])
        raise
    job.file.save(f"voters-{job.district.code}-{job.pk}.{job.format}", ContentFile(buffer.getvalue()), save=False)
    ExportJob.objects.filter(pk=job.pk).update(file=job.file.name, status=ExportJob.Status.DONE)
    job.refresh_from_db()
    return job


# --------------------------------------------------------------------------- duplicates

def duplicate_confirm(*, actor, candidate, keep, request=None):
    """The two records are one person: ``keep`` stays, the other is retired and its history merged."""
    from voters.models import DuplicateCandidate, Voter, VoterChange, VoterStatus

    if not actor.is_official:
        raise PermissionDenied
    if keep.pk not in (candidate.voter_a_id, candidate.voter_b_id):
        raise ValidationError(_("Keep one of the two records."))
    other_id = candidate.voter_b_id if keep.pk == candidate.voter_a_id else candidate.voter_a_id
    if not (_voter_in_scope(actor, keep) and _voter_in_scope(actor, Voter(pk=other_id))):
        raise PermissionDenied
    with transaction.atomic():
        cand = DuplicateCandidate.objects.select_for_update().filter(pk=candidate.pk).first()
        if cand is None or cand.decision != DuplicateCandidate.Decision.OPEN:
            raise ValidationError(_("This pair was already decided."), code="decided")
        both = {v.pk: v for v in Voter.objects.select_for_update().filter(pk__in=[keep.pk, other_id])}
        keep, other = both[keep.pk], both[other_id]
        if keep.merged_into_id or other.merged_into_id or keep.status != VoterStatus.ACTIVE:
            raise ValidationError(_("One of these records was already merged or is not active: scan again."),
                                  code="retired")
        VoterChange.objects.filter(voter=other).update(voter=keep)  # the history follows the person
        before = {"status": other.status, "merged_into": None}
        other.status, other.merged_into = VoterStatus.EXCLUDED, keep
        other.status_reason = _("duplicate of PINFL %(pinfl)s") % {"pinfl": keep.pinfl}
        other.version += 1
        other.updated_at = timezone.now()
        other.registry_hash = None
        other.save(update_fields=["status", "merged_into", "status_reason", "version", "updated_at",
                                  "registry_hash"])
        for voter, changes in ((keep, {"merged_from": [None, other.pinfl]}),
                               (other, {"status": [before["status"], other.status], "merged_into": [None, keep.pinfl]})):
            VoterChange.objects.create(voter=voter, kind=VoterChange.Kind.MERGE, changes=changes, actor=actor,
                                       reason=_("confirmed duplicate"))
        cand.decision, cand.decided_by, cand.decided_at = DuplicateCandidate.Decision.CONFIRMED, actor, timezone.now()
        cand.save(update_fields=["decision", "decided_by", "decided_at"])
        # other open pairs with the retired record are void; the next scan proposes them with the kept one
        DuplicateCandidate.objects.filter(decision=DuplicateCandidate.Decision.OPEN).filter(
            Q(voter_a=other) | Q(voter_b=other)).delete()
        audit_record(actor=actor, action="voters.duplicate.confirm", obj=cand, request=request,
                     after={"kept": keep.pk, "retired": other.pk})
    return cand


def duplicate_reject(*, actor, candidate, request=None):
    """Different people: the pair is never proposed again."""
    from voters.models import DuplicateCandidate

    if not actor.is_official or not (_voter_in_scope(actor, candidate.voter_a) and
                                      _voter_in_scope(actor, candidate.voter_b)):
        raise PermissionDenied
    with transaction.atomic():
        cand = DuplicateCandidate.objects.select_for_update().filter(pk=candidate.pk).first()
        if cand is None or cand.decision != DuplicateCandidate.Decision.OPEN:
            raise ValidationError(_("This pair was already decided."), code="decided")
        cand.decision, cand.decided_by, cand.decided_at = DuplicateCandidate.Decision.REJECTED, actor, timezone.now()
        cand.save(update_fields=["decision", "decided_by", "decided_at"])
        audit_record(actor=actor, action="voters.duplicate.reject", obj=cand, request=request)
    return cand


def duplicates_scan_start(*, actor, request=None) -> None:
    """The CEC asks for a scan of the whole list; it runs in a worker (``duplicates_scan_run``)."""
    if not actor.is_cec:
        raise PermissionDenied
    from voters.tasks import duplicates_scan_task

    audit_record(actor=actor, action="voters.duplicates.scan_start", object_type="voters.duplicates",
                 request=request)
    transaction.on_commit(lambda: duplicates_scan_task.delay(actor.pk))


def duplicates_scan_run(*, actor_id: int | None = None, region_id: int | None = None):
    """Scan for possible duplicates as the user who asked (``actor_id``; the system when None): the scan's audit
    event names them."""
    from django.contrib.auth import get_user_model

    from voters import dedup

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id is not None else None
    return dedup.scan(actor=actor, region_id=region_id)


def voter_view_record(*, actor, voter, request=None) -> None:
    """Reading a voter's personal data is an audit event too."""
    audit_record(actor=actor, action="voters.voter.view", obj=voter, request=request)


def voter_list_export_record(*, actor, precinct, fmt: str, request=None) -> None:
    """Downloading a precinct's list is reading personal data: audited."""
    audit_record(actor=actor, action=f"voters.list.export_{fmt}", obj=precinct, request=request)
