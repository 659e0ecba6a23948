"""Exports of voter lists: a whole district's lists as a Celery job with progress (``export_start`` /
``export_run``), and the audit of every list downloaded."""

from __future__ import annotations

import io
import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.scope import scope_for
from core.services import audit_record
from elections.models import Precinct
from voters import (
    exports,
    tasks,  # the module, not its names: tasks import services
)
from voters.models import ExportJob

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User
    from elections.models import District, Election


def export_start(
    *,
    actor: User,
    district: District,
    fmt: str,
    election: Election | None = None,
    language: str | None = None,
    request: HttpRequest | None = None,
) -> ExportJob:
    """Queue the export of a district's lists, to be written in ``language`` (by default the active language:
    the interface language of the request that asks)."""
    # the whole district's lists: only for an official whose area holds the whole district (not a precinct's)
    if not scope_for(actor).covers(district):
        raise PermissionDenied
    if fmt not in ExportJob.Format.values:
        raise ValidationError({"format": _("Choose CSV or PDF.")})
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).lower()
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with transaction.atomic():
        job = ExportJob.objects.create(created_by=actor, district=district, election=election, format=fmt, language=language)
        audit_record(
            actor=actor,
            action="voters.export.start",
            obj=job,
            request=request,
            after={"district": district.pk, "format": fmt, "language": language},
        )

        transaction.on_commit(lambda: tasks.export_task.delay(job.pk))
    return job


def export_run(*, job_id: int) -> ExportJob:
    """Write the district's voter lists to a file (idempotent: a finished export is kept), in the language of
    the official who asked (headings, names, dates), whatever language the worker runs in."""

    job = ExportJob.objects.select_related("district", "election").get(pk=job_id)
    if job.status == ExportJob.Status.DONE:
        return job
    with translation.override(job.language or settings.LANGUAGE_CODE):
        return _export_write(job)


def _export_write(job: ExportJob) -> ExportJob:
    precincts = list(Precinct.objects.filter(district=job.district).order_by("number"))
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, done=0, total=len(precincts))

    buffer = io.BytesIO()
    last = [0.0]

    def progress(done: int, total: int) -> None:
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


def voter_list_export_record(*, actor: User, precinct: Precinct, fmt: str, request: HttpRequest | None = None) -> None:
    """Downloading a precinct's list is reading personal data: audited."""
    audit_record(actor=actor, action=f"voters.list.export_{fmt}", obj=precinct, request=request)
