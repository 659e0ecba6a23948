"""Staging a registry file row by row in Python: the path for XLSX files and for CSV files PostgreSQL cannot
parse as they stand (``voters.imports.fastpath`` is the set-based path for the rest).

Every row is checked by ``RowValidator`` and valid ones are ``COPY``'d into the job's UNLOGGED staging table
(through a second connection that streams while this one checks); errors are stored with ``COPY`` too, at
most ``MAX_STORED_ERRORS`` per job; progress is written as rows go.
"""

from __future__ import annotations

import queue
import threading
import time

from django.db import connection, connections
from django.db import connection as thread_connection
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tabular import FileRejected
from voters.imports.fastpath import all_distinct, create_stage_table
from voters.imports.rows import RowValidator
from voters.models import ImportJob

CHUNK_ROWS = 20_000
MAX_STORED_ERRORS = 100_000


class ErrorSink:
    """Stores row errors with COPY, at most ``MAX_STORED_ERRORS`` of them per job."""

    def __init__(self, job: ImportJob):
        self.job_id, self.stored = job.pk, 0

    def __call__(self, errors: list[tuple]) -> None:
        keep = errors[: max(0, MAX_STORED_ERRORS - self.stored)]
        if keep:
            with (
                connection.cursor() as cur,
                cur.copy("COPY voters_importrowerror (job_id, row, field, code, message, value) FROM STDIN") as copy,
            ):
                for e in keep:
                    copy.write_row((self.job_id, *e))
            self.stored += len(keep)


class SideProgress:
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
            self.side = connections.create_connection("default")
        with self.side.cursor() as cur:
            cur.execute(
                "UPDATE voters_importjob SET rows_read = %s, heartbeat_at = now() WHERE id = %s",
                [int(self.estimate * min(done_bytes / self.size, 1.0)), self.job_id],
            )

    def __exit__(self, *exc):
        if self.side is not None:
            self.side.close()


def python_stage(job: ImportJob, stage: str, registry, validator: RowValidator, store_errors) -> None:
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
            rows_read=read,
            rows_valid=valid,
            rows_invalid=invalid,
            heartbeat_at=timezone.now(),
            total_estimate=max(read, job.total_estimate) if not final else read,
        )
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
    after_stage(job, stage, read=read, valid=valid, invalid=invalid)


def after_stage(job: ImportJob, stage: str, *, read: int, valid: int, invalid: int) -> None:
    if read == 0:
        raise FileRejected("empty", _("The file has a header but no data rows."))
    # A PINFL written on more than one row cannot be trusted: all its rows are refused.
    with connection.cursor() as cur:
        if all_distinct(cur, stage, "pinfl"):
            return
        cur.execute(
            f"""
            WITH dup AS (DELETE FROM {stage} s USING (
                    SELECT pinfl FROM {stage} GROUP BY pinfl HAVING count(*) > 1) d
                 WHERE s.pinfl = d.pinfl RETURNING s.row_no, s.pinfl)
            INSERT INTO voters_importrowerror (job_id, row, field, code, message, value)
            SELECT %s, row_no, 'pinfl', 'duplicate_in_file', %s, pinfl FROM dup""",
            [job.pk, _("This PINFL appears on more than one row of the file.")],
        )
        dups = cur.rowcount
    if dups:
        ImportJob.objects.filter(pk=job.pk).update(rows_valid=valid - dups, rows_invalid=invalid + dups)


class _StageWriter:
    """One long COPY into the staging table, fed from a bounded queue by a thread of its own."""

    def __init__(self, copy_sql: str):
        self.queue: queue.Queue = queue.Queue(maxsize=4)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(copy_sql,), name="import-stage-copy", daemon=True)
        self.thread.start()

    def _run(self, copy_sql: str) -> None:
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
