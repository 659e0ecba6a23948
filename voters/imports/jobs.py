"""An import job from upload to the end: store the file and queue it (``voter_import_start``), run or resume it
in a worker (``voter_import_run``: read and stage, then merge), pick up jobs a killed worker left
(``voter_import_resume``).

A session-level advisory lock on the job id marks a job as being worked on; a file that fails midway leaves
the list as it was, and a killed worker's job ends, once resumed, in the same state as an uninterrupted run.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from core.files import sha256_hex
from core.services import audit_record
from core.tabular import FileRejected
from elections.models import District, Mahalla
from voters import tasks  # the module, not its names: tasks import services
from voters.imports.fastpath import NotForSql, stage_csv
from voters.imports.merge import IMPORT_LOCK, merge
from voters.imports.reader import open_voter_file
from voters.imports.rows import RowValidator
from voters.imports.staging import ErrorSink, SideProgress, after_stage, python_stage
from voters.models import ImportJob, ImportRowError

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

    from accounts.models import User

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- import: start


def voter_import_start(
    *,
    actor: User,
    uploaded_file: UploadedFile,
    encoding: str = "auto",
    request: HttpRequest | None = None,
    language: str | None = None,
) -> ImportJob:
    """Store an uploaded registry file and queue its import (CEC staff only).

    Messages of the job (rejections, row errors) are written in the uploader's language.
    """
    if not actor.is_cec:
        raise PermissionDenied(_("Only Central Election Commission staff may import registry files."))
    limit = settings.VOTER_IMPORT_MAX_BYTES
    if uploaded_file.size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; at most %(limit)s MB is accepted.")
            % {"size": uploaded_file.size // 2**20, "limit": limit // 2**20},
            code="too_large",
        )
    if uploaded_file.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    sha256 = sha256_hex(uploaded_file)
    with transaction.atomic():
        job = ImportJob(
            created_by=actor,
            original_name=os.path.basename(uploaded_file.name)[:255],
            size=uploaded_file.size,
            sha256=sha256,
            encoding=encoding if encoding in ("auto", "utf-8", "utf-8-sig", "cp1251") else "auto",
            language=(language or get_language() or settings.LANGUAGE_CODE)[:10],
        )
        job.file.save(f"{timezone.now():%Y%m%d%H%M%S}-{job.sha256[:12]}.dat", uploaded_file, save=False)
        job.total_estimate = _estimate_rows(job.file.path, uploaded_file.size)
        job.save()
        audit_record(
            actor=actor,
            action="voters.import.start",
            obj=job,
            request=request,
            after={"file": job.original_name, "sha256": job.sha256, "size": job.size},
        )
        _enqueue(job)
    return job


def _enqueue(job: ImportJob) -> None:
    transaction.on_commit(lambda: tasks.voter_import_task.delay(job.pk))


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
        cur.execute("SELECT pg_try_advisory_lock(%s, %s)", [IMPORT_LOCK, job_id])
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
            cur.execute("SELECT pg_advisory_unlock(%s, %s)", [IMPORT_LOCK, job_id])


def _stage_table(job: ImportJob) -> str:
    return f"voters_stage_{job.pk}"


def _run_locked(job: ImportJob) -> ImportJob:
    stage = _stage_table(job)
    # A previous attempt may have died at any point: start the reading from scratch.
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {stage}")
    ImportRowError.objects.filter(job=job).delete()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.VALIDATING,
        attempts=job.attempts + 1,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        rows_read=0,
        rows_valid=0,
        rows_invalid=0,
        message="",
    )
    job.refresh_from_db()
    try:
        _read_and_stage(job, stage)
        job.refresh_from_db()
        if job.rows_valid == 0:
            raise FileRejected(
                "no_valid_rows", _("No valid rows: every row of the file has errors (see the error report). Nothing was changed.")
            )
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.MERGING, heartbeat_at=timezone.now())
        merge(job, stage)
    except FileRejected as exc:
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {stage}")
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.REJECTED, message=exc.message, finished_at=timezone.now()
        )
        with transaction.atomic():
            audit_record(
                actor=job.created_by, action="voters.import.rejected", obj=job, after={"reason": exc.message, "code": exc.code}
            )
    job.refresh_from_db()
    return job


def _read_and_stage(job: ImportJob, stage: str) -> None:
    districts = dict(District.objects.values_list("code", "id"))
    mahallas = {code: (pk, d) for code, pk, d in Mahalla.objects.values_list("code", "id", "district_id")}
    registry = open_voter_file(job.file.path, encoding=job.encoding or "auto")
    ImportJob.objects.filter(pk=job.pk).update(encoding=registry.encoding)
    validator = RowValidator(registry.header, districts, mahallas)
    errors = ErrorSink(job)
    if registry.kind == "csv" and settings.VOTER_IMPORT_SQL_CHECKS:
        try:
            with SideProgress(job) as progress:
                staged = stage_csv(
                    job=job,
                    path=job.file.path,
                    registry=registry,
                    stage=stage,
                    validator=validator,
                    store_errors=errors,
                    progress=progress,
                )
        except NotForSql:
            log.info("import %s: PostgreSQL cannot parse the file as it stands; checking it in Python", job.pk)
        else:
            valid = staged.staged + staged.skipped
            ImportJob.objects.filter(pk=job.pk).update(
                rows_read=staged.read,
                rows_valid=valid,
                rows_invalid=staged.invalid,
                heartbeat_at=timezone.now(),
                total_estimate=staged.read,
            )
            after_stage(job, stage, read=staged.read, valid=valid, invalid=staged.invalid)
            return
    python_stage(job, stage, registry, validator, errors)


def voter_import_resume() -> list[int]:
    """Re-queue jobs whose worker died (no live session holds their lock)."""
    requeued = []
    for job in ImportJob.objects.filter(
        status__in=[ImportJob.Status.QUEUED, ImportJob.Status.VALIDATING, ImportJob.Status.MERGING]
    ):
        with connection.cursor() as cur:
            cur.execute("SELECT pg_try_advisory_lock(%s, %s)", [IMPORT_LOCK, job.pk])
            free = cur.fetchone()[0]
            if free:
                cur.execute("SELECT pg_advisory_unlock(%s, %s)", [IMPORT_LOCK, job.pk])
        stale = job.status == ImportJob.Status.QUEUED and job.created_at < timezone.now() - timedelta(minutes=2)
        if free and (job.status != ImportJob.Status.QUEUED or stale):
            tasks.voter_import_task.delay(job.pk)
            requeued.append(job.pk)
    return requeued
