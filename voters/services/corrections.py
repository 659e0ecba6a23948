"""Corrections and status changes of voter records by officials, with optimistic locking and history; reading a
voter's personal data as an official is recorded too."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.identity import is_citizen_passport
from core.names import normalize_name, normalize_patronymic
from core.services import audit_record
from core.text import name_error, text_error
from elections.models import Mahalla
from voters.models import Voter, VoterChange, VoterStatus
from voters.selectors import voter_in_area
from voters.services.assignment import voter_reassign_one

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

    from accounts.models import User


class StaleEdit(ValidationError):
    """The record changed since the official opened it (optimistic locking)."""


_EDITABLE = ("surname", "given_name", "patronymic", "passport", "street", "house", "flat", "mahalla_id")


def _refuse_merged(voter: Voter) -> None:
    """A record retired by a confirmed duplicate keeps its history but is changed no more (nor brought back)."""
    if voter.merged_into_id:
        raise ValidationError(
            _(
                "This record was merged into another voter's record (a confirmed duplicate) and "
                "can no longer be changed. Correct the record it was merged into."
            ),
            code="merged",
        )


def voter_update(
    *, actor: User, voter: Voter, data: dict, expected_version: int, reason: str, request: HttpRequest | None = None
) -> Voter:
    """Correct a voter's data; refused if someone else changed the record meanwhile."""

    if not actor.is_official or not voter_in_area(actor, voter):
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
            raise StaleEdit(
                _(
                    "This record was changed by someone else after you opened it (version %(v)s, you "
                    "edited version %(mine)s). Reload the page to see the current data; nothing was "
                    "saved."
                )
                % {"v": current.version, "mine": expected_version},
                code="stale",
            )
        changes = {}
        for field in _EDITABLE:
            if field in data and getattr(current, field) != data[field]:
                changes[field] = [getattr(current, field), data[field]]
                setattr(current, field, data[field])
        if not changes:
            return current
        if "mahalla_id" in changes and current.mahalla_id:
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
        VoterChange.objects.create(
            voter=current, kind=VoterChange.Kind.CORRECTION, changes=changes, reason=reason.strip(), actor=actor
        )
        audit_record(
            actor=actor,
            action="voters.voter.correct",
            obj=current,
            request=request,
            before={k: v[0] for k, v in changes.items()},
            after={k: v[1] for k, v in changes.items()},
        )
    return current


def voter_set_status(
    *,
    actor: User,
    voter: Voter,
    status: str,
    reason: str,
    expected_version: int,
    document: UploadedFile | None = None,
    request: HttpRequest | None = None,
) -> Voter:
    """Record a death, a court decision or an exclusion (with a reason and supporting document)."""

    if not actor.is_official or not voter_in_area(actor, voter):
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
            raise StaleEdit(
                _("This record was changed by someone else after you opened it. Reload the page; nothing was saved."),
                code="stale",
            )
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
            status, VoterChange.Kind.STATUS
        )
        change = VoterChange(voter=current, kind=kind, changes={"status": [before, status]}, reason=reason.strip(), actor=actor)
        if document is not None:
            change.document.save(os.path.basename(document.name), document, save=False)
        change.save()
        audit_record(
            actor=actor,
            action="voters.voter.status",
            obj=current,
            request=request,
            before={"status": before},
            after={"status": status, "reason": reason},
        )
    return current


def voter_view_record(*, actor: User, voter: Voter, request: HttpRequest | None = None) -> None:
    """Reading a voter's personal data is an audit event too."""
    audit_record(actor=actor, action="voters.voter.view", obj=voter, request=request)
