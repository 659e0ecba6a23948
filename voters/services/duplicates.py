"""Possible duplicates: officials confirm a pair (one record retired, its history merged) or reject it (never
proposed again); the CEC starts a scan of the whole list, which runs in a worker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import audit_record
from core.text import clean_reason
from voters import (
    dedup,
    tasks,  # the module, not its names: tasks import services
)
from voters.models import DuplicateCandidate, Voter, VoterChange, VoterStatus
from voters.selectors import voter_in_area

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User
    from voters.dedup import ScanResult


def duplicate_confirm(
    *, actor: User, candidate: DuplicateCandidate, keep: Voter, reason: str = "", request: HttpRequest | None = None
) -> DuplicateCandidate:
    """The two records are one person: ``keep`` stays, the other is retired and its history merged; ``reason``
    (why the official is sure; the page always asks) goes on the pair, both records' history and the audit."""

    if not actor.is_official:
        raise PermissionDenied
    reason = clean_reason(reason, limit=DuplicateCandidate._meta.get_field("reason").max_length)
    if keep.pk not in (candidate.voter_a_id, candidate.voter_b_id):
        raise ValidationError(_("Keep one of the two records."))
    other_id = candidate.voter_b_id if keep.pk == candidate.voter_a_id else candidate.voter_a_id
    if not (voter_in_area(actor, keep) and voter_in_area(actor, Voter(pk=other_id))):
        raise PermissionDenied
    with transaction.atomic():
        cand = DuplicateCandidate.objects.select_for_update().filter(pk=candidate.pk).first()
        if cand is None or cand.decision != DuplicateCandidate.Decision.OPEN:
            raise ValidationError(_("This pair was already decided."), code="decided")
        both = {v.pk: v for v in Voter.objects.select_for_update().filter(pk__in=[keep.pk, other_id])}
        keep, other = both[keep.pk], both[other_id]
        if keep.merged_into_id or other.merged_into_id or keep.status != VoterStatus.ACTIVE:
            raise ValidationError(_("One of these records was already merged or is not active: scan again."), code="retired")
        VoterChange.objects.filter(voter=other).update(voter=keep)  # the history follows the person
        before = {"status": other.status, "merged_into": None}
        other.status, other.merged_into = VoterStatus.EXCLUDED, keep
        other.status_reason = _("duplicate of PINFL %(pinfl)s") % {"pinfl": keep.pinfl}
        other.version += 1
        other.updated_at = timezone.now()
        other.registry_hash = None
        other.save(update_fields=["status", "merged_into", "status_reason", "version", "updated_at", "registry_hash"])
        for voter, changes in (
            (keep, {"merged_from": [None, other.pinfl]}),
            (other, {"status": [before["status"], other.status], "merged_into": [None, keep.pinfl]}),
        ):
            VoterChange.objects.create(
                voter=voter,
                kind=VoterChange.Kind.MERGE,
                changes=changes,
                actor=actor,
                reason=(_("confirmed duplicate") + (f": {reason}" if reason else ""))[:500],
            )
        cand.decision, cand.decided_by, cand.decided_at = DuplicateCandidate.Decision.CONFIRMED, actor, timezone.now()
        cand.reason = reason
        cand.save(update_fields=["decision", "decided_by", "decided_at", "reason"])
        # other open pairs with the retired record are void; the next scan proposes them with the kept one
        DuplicateCandidate.objects.filter(decision=DuplicateCandidate.Decision.OPEN).filter(
            Q(voter_a=other) | Q(voter_b=other)
        ).delete()
        audit_record(
            actor=actor,
            action="voters.duplicate.confirm",
            obj=cand,
            request=request,
            after={"kept": keep.pk, "retired": other.pk, "reason": reason},
        )
    return cand


def duplicate_reject(
    *, actor: User, candidate: DuplicateCandidate, reason: str = "", request: HttpRequest | None = None
) -> DuplicateCandidate:
    """Different people: the pair is never proposed again; ``reason`` goes on the pair and the audit."""

    if not actor.is_official or not (voter_in_area(actor, candidate.voter_a) and voter_in_area(actor, candidate.voter_b)):
        raise PermissionDenied
    reason = clean_reason(reason, limit=DuplicateCandidate._meta.get_field("reason").max_length)
    with transaction.atomic():
        cand = DuplicateCandidate.objects.select_for_update().filter(pk=candidate.pk).first()
        if cand is None or cand.decision != DuplicateCandidate.Decision.OPEN:
            raise ValidationError(_("This pair was already decided."), code="decided")
        cand.decision, cand.decided_by, cand.decided_at = DuplicateCandidate.Decision.REJECTED, actor, timezone.now()
        cand.reason = reason
        cand.save(update_fields=["decision", "decided_by", "decided_at", "reason"])
        audit_record(actor=actor, action="voters.duplicate.reject", obj=cand, request=request, after={"reason": reason})
    return cand


def duplicates_scan_start(*, actor: User, request: HttpRequest | None = None) -> None:
    """The CEC asks for a scan of the whole list; it runs in a worker (``duplicates_scan_run``)."""
    if not actor.is_cec:
        raise PermissionDenied

    audit_record(actor=actor, action="voters.duplicates.scan_start", object_type="voters.duplicates", request=request)
    transaction.on_commit(lambda: tasks.duplicates_scan_task.delay(actor.pk))


def duplicates_scan_run(*, actor_id: int | None = None, region_id: int | None = None) -> ScanResult:
    """Scan for possible duplicates as the user who asked (``actor_id``; the system when None): the scan's audit
    event names them."""

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id is not None else None
    return dedup.scan(actor=actor, region_id=region_id)
