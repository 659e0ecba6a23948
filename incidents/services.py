"""Writes of incident reports: an accredited observer or journalist reports (``incident_report``), a commission
whose area covers the precinct answers (``incident_answer``) and closes (``incident_close``); each audited, the
precinct's commission and the reporter notified after commit."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import scope_for
from core.errors import field_error
from core.files import sha256_hex
from core.images import image_check
from core.services import audit_record, notification_queue
from elections.models import CommissionMember
from incidents.models import Incident, IncidentPhoto
from incidents.selectors import may_report_incident

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

    from accounts.models import User
    from elections.models import Election, Precinct

#: Photos per report and bytes per photo; reports are taken on election day and the day after.
INCIDENT_MAX_PHOTOS = 5
INCIDENT_PHOTO_MAX_BYTES = 5 * 2**20
INCIDENT_DAYS_AFTER_ELECTION = 1


def _incident_window(election: Election) -> tuple[date, date]:
    return election.election_day, election.election_day + timedelta(days=INCIDENT_DAYS_AFTER_ELECTION)


def incident_report(
    *,
    actor: User,
    election: Election,
    precinct: Precinct,
    category: str,
    description: str,
    occurred_at: datetime | None = None,
    photos: Iterable[UploadedFile] = (),
    request: HttpRequest | None = None,
) -> Incident:
    """An accredited observer or journalist reports an incident at a precinct they are accredited to, for an
    active election (``elections.selectors.active_elections``), with at most ``INCIDENT_MAX_PHOTOS`` photos."""

    if not election.is_active:
        raise field_error("election", _("This election is not open for incident reports."), "election_inactive")
    if not may_report_incident(actor, election, precinct):
        raise PermissionDenied(_("You are not accredited to this precinct for this election."))
    first, last = _incident_window(election)
    today = timezone.localdate()
    if not first <= today <= last:
        raise field_error(
            "election",
            _("Incidents are reported on election day (%(day)s) and the day after.") % {"day": election.election_day},
            "not_election_day",
        )
    now = timezone.now()
    occurred_at = occurred_at or now
    if occurred_at > now + timedelta(minutes=5):
        raise field_error("occurred_at", _("The time of the incident is in the future."), "future")
    if timezone.localdate(occurred_at) < first:
        raise field_error("occurred_at", _("The incident must have happened on or after election day."), "too_early")
    description = (description or "").strip()
    if not description:
        raise field_error("description", _("Describe what happened."), "required")
    photos = [p for p in photos if p]
    if len(photos) > INCIDENT_MAX_PHOTOS:
        raise field_error("photos", _("At most %(n)s photos.") % {"n": INCIDENT_MAX_PHOTOS}, "too_many_photos")
    checked = []
    for photo in photos:
        try:
            checked.append((photo, *image_check(photo, max_bytes=INCIDENT_PHOTO_MAX_BYTES, field="photos")))
        except ValidationError as exc:
            raise ValidationError({"photos": [f"{os.path.basename(photo.name)}: {m}" for m in exc.message_dict["photos"]]})
    incident = Incident(
        election=election, precinct=precinct, reporter=actor, category=category, description=description, occurred_at=occurred_at
    )
    incident.full_clean(exclude=["reporter"])
    with transaction.atomic():
        incident.save()
        for photo, content_type, ext in checked:
            sha256 = sha256_hex(photo)
            item = IncidentPhoto(incident=incident, content_type=content_type, size=photo.size, sha256=sha256)
            item.file.save(f"{incident.pk}-{sha256[:16]}{ext}", photo, save=False)
            item.save()
        audit_record(
            actor=actor,
            action="incidents.incident.report",
            obj=incident,
            request=request,
            after={"election": election.pk, "precinct": precinct.pk, "category": category, "photos": len(checked)},
        )
        _notify_commission(incident)
    return incident


def _notify_commission(incident: Incident) -> None:
    subject = _("Incident at %(precinct)s (%(district)s): %(category)s") % {
        "precinct": incident.precinct,
        "district": incident.precinct.district,
        "category": incident.get_category_display(),
    }
    for member in CommissionMember.objects.filter(commission__precinct=incident.precinct).select_related("user"):
        notification_queue(recipient=member.user, subject=subject, body=incident.description[:2000])


def _may_handle(actor: User, incident: Incident) -> bool:
    """A commission whose area covers the precinct (the precinct's own, or one above it) handles the incident."""

    return scope_for(actor).covers(incident.precinct)


def _notify_reporter(incident: Incident) -> None:
    subject = _("Your incident report #%(id)s: %(state)s") % {"id": incident.pk, "state": incident.get_status_display()}
    notification_queue(recipient=incident.reporter, subject=subject, body=incident.answer or subject)


@transaction.atomic
def incident_answer(*, actor: User, incident: Incident, answer: str, request: HttpRequest | None = None) -> Incident:
    """The commission answers; the reporter sees the answer (and is told)."""
    if not _may_handle(actor, incident):
        raise PermissionDenied
    answer = (answer or "").strip()
    if not answer:
        raise field_error("answer", _("Write the commission's answer."), "required")
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if locked.status == Incident.Status.CLOSED:
        raise ValidationError(_("The incident is closed."), code="closed")
    before = {"status": locked.status, "answer": locked.answer}
    locked.answer, locked.answered_by, locked.answered_at = answer[:5000], actor, timezone.now()
    locked.status = Incident.Status.ANSWERED
    locked.full_clean()
    locked.save()
    audit_record(
        actor=actor,
        action="incidents.incident.answer",
        obj=locked,
        request=request,
        before=before,
        after={"status": locked.status, "answer": locked.answer},
    )
    _notify_reporter(locked)
    return locked


@transaction.atomic
def incident_close(*, actor: User, incident: Incident, answer: str = "", request: HttpRequest | None = None) -> Incident:
    """Close an incident; it needs the commission's answer (given now or before)."""
    if not _may_handle(actor, incident):
        raise PermissionDenied
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if locked.status == Incident.Status.CLOSED:
        raise ValidationError(_("The incident is already closed."), code="closed")
    answer = (answer or "").strip()
    if answer:
        locked.answer, locked.answered_by, locked.answered_at = answer[:5000], actor, timezone.now()
    if not locked.answer:
        raise field_error("answer", _("Answer the incident before closing it."), "answer_required")
    before = {"status": locked.status}
    locked.status, locked.closed_at = Incident.Status.CLOSED, timezone.now()
    locked.full_clean()
    locked.save()
    audit_record(
        actor=actor,
        action="incidents.incident.close",
        obj=locked,
        request=request,
        before=before,
        after={"status": locked.status, "answer": locked.answer},
    )
    _notify_reporter(locked)
    return locked
