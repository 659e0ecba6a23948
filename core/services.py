"""Writes owned by core: audit events and notifications."""

from __future__ import annotations

import logging
from datetime import UTC, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from guardian.shortcuts import assign_perm, remove_perm

from core import audit
from core.models import AuditEvent, Notification
from core.ratelimit import client_ip

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.base_user import AbstractBaseUser as User
    from django.db.models import F, Model
    from django.http import HttpRequest

log = logging.getLogger(__name__)


def _client_ip(request: HttpRequest) -> str | None:
    if request is None:
        return None

    return client_ip(request) or None


def audit_event(
    *,
    actor: User | None = None,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
    request: HttpRequest | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """One event, not yet in the chain: ``audit_append`` writes it (``audit_record`` does both)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    actor = actor if (actor is not None and getattr(actor, "is_authenticated", False)) else None
    return AuditEvent(
        created_at=timezone.now().astimezone(UTC),
        actor=actor,
        actor_repr=(actor.get_username() if actor else "system")[:200],
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:300],
        before=audit.to_json(before),
        after=audit.to_json(after),
        ip=ip or _client_ip(request),
    )


#: The audit table's columns but the id, in the order ``audit_append`` writes them.
_AUDIT_FIELDS = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
_AUDIT_COLUMNS = ", ".join(connection.ops.quote_name(f.column) for f in _AUDIT_FIELDS)
_AUDIT_ROW = "(" + ", ".join(["%s"] * len(_AUDIT_FIELDS)) + ")"


def audit_append(events: list[AuditEvent]) -> list[AuditEvent]:
    """Extend the hash chain with ``events``, in order, inside the caller's transaction.

    One writer at a time extends the chain (an advisory lock held to the caller's commit): the lock, the
    chain's last hash and one multi-row ``INSERT``, so that a service writing several events at the end of its
    transaction holds the lock for three statements and its commit.
    """
    if not events:
        return events
    with transaction.atomic(savepoint=False), connection.cursor() as cur:  # part of the caller's transaction
        cur.execute("SELECT pg_advisory_xact_lock(%s)", [audit.ADVISORY_LOCK_KEY])
        cur.execute("SELECT hash FROM core_auditevent ORDER BY id DESC LIMIT 1")
        row = cur.fetchone()
        prev = row[0] if row else audit.GENESIS
        params: list = []
        for event in events:
            event.prev_hash = prev
            event.hash = prev = audit.hash_of(event)
            params.extend(f.get_db_prep_save(f.pre_save(event, True), connection) for f in _AUDIT_FIELDS)
        cur.execute(
            f"INSERT INTO core_auditevent ({_AUDIT_COLUMNS}) VALUES {', '.join([_AUDIT_ROW] * len(events))} RETURNING id",  # noqa: S608 - the model's own columns
            params,
        )
        for event, (pk,) in zip(events, cur.fetchall(), strict=True):
            event.pk = pk
            event._state.adding, event._state.db = False, connection.alias
    return events


def audit_record(**fields: object) -> AuditEvent:
    """Append one event to the hash chain (inside the caller's transaction); ``fields`` as ``audit_event``'s."""
    return audit_append([audit_event(**fields)])[0]


_DELIVERABLE = (Notification.Status.PENDING, Notification.Status.FAILED)
NOTIFICATION_MAX_ATTEMPTS = 5


def notification_queue(
    *, subject: str, body: str, recipient: User | None = None, address: str = "", channel: str = Notification.Channel.EMAIL
) -> Notification | None:
    """Record a message and send it from Celery once the transaction commits."""
    if not address and recipient is not None:
        address = recipient.email if channel == Notification.Channel.EMAIL else recipient.phone
    if not address:
        return None
    note = Notification.objects.create(recipient=recipient, address=address, subject=subject[:200], body=body, channel=channel)
    from core.tasks import notification_send  # noqa: PLC0415 - core.tasks imports this module

    transaction.on_commit(lambda: notification_send.delay(note.pk))
    return note


def notification_deliver(*, notification_id: int) -> Notification | None:
    """Send one recorded message; safe to call twice, and from two workers at once: it is sent once.

    Three steps, none of which holds a lock while talking to the mail server or the SMS gateway:
    the row is claimed (pending or failed -> sending, with ``claimed_at``) in one ``UPDATE ... WHERE
    status IN (...)`` that commits at once, so a second deliverer finds nothing to claim; the message
    is sent with no transaction open; the outcome is recorded in a second short ``UPDATE``. A worker
    that dies mid-send leaves the row ``sending``; ``notifications_retry_pending`` releases such
    claims once they are older than ``NOTIFICATION_SENDING_STALE_AFTER``. Call it outside any
    transaction (the Celery task does): inside one, the claim would not commit before the send.
    """
    claimed_at = timezone.now()
    claimed = Notification.objects.filter(pk=notification_id, status__in=_DELIVERABLE).update(
        status=Notification.Status.SENDING, claimed_at=claimed_at, attempts=F("attempts") + 1
    )
    if not claimed:
        return None  # already sent, or another deliverer is sending it now
    note = Notification.objects.get(pk=notification_id)
    try:
        if note.channel == Notification.Channel.EMAIL:
            send_mail(note.subject, note.body, settings.DEFAULT_FROM_EMAIL, [note.address])
        else:
            import_string(settings.SMS_BACKEND)().send(note.address, note.body)
    except Exception as exc:  # delivery errors (timeouts too) are recorded, then retried by beat
        log.warning("notification %s failed: %s", note.pk, exc)
        outcome = {"status": Notification.Status.FAILED, "error": str(exc)[:2000] or exc.__class__.__name__}
    else:
        outcome = {"status": Notification.Status.SENT, "sent_at": timezone.now(), "error": ""}
    # Only this claim's outcome: if the claim went stale and another deliverer took the row, its result stands.
    if not Notification.objects.filter(pk=note.pk, claimed_at=claimed_at).update(**outcome):
        log.warning("notification %s: claim of %s expired before the send finished", note.pk, claimed_at)
    note.refresh_from_db()
    return note


def notifications_retry_pending(*, limit: int = 1000) -> int:
    """Queue again the messages not delivered yet (beat, every 5 minutes): pending or failed, older than
    5 minutes, fewer than ``NOTIFICATION_MAX_ATTEMPTS`` attempts.

    First, claims older than ``NOTIFICATION_SENDING_STALE_AFTER`` (longer than a send may take: the
    worker was killed mid-send) are released as failed, so such a message is retried, never lost. It
    may then be sent twice if the old worker did get it out: at least once, rather than at most once.
    """
    from core.tasks import notification_send  # noqa: PLC0415 - core.tasks imports this module

    now = timezone.now()
    Notification.objects.filter(
        status=Notification.Status.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.NOTIFICATION_SENDING_STALE_AFTER),
    ).update(status=Notification.Status.FAILED, error=gettext("Sending was interrupted (the worker stopped); it is retried."))
    ids = list(
        Notification.objects.filter(
            status__in=_DELIVERABLE, attempts__lt=NOTIFICATION_MAX_ATTEMPTS, created_at__lt=now - timedelta(minutes=5)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        notification_send.delay(pk)
    return len(ids)


# --------------------------------------------------------------------------- object roles


def object_role_grant(
    *,
    actor: User,
    link_model: type[Model],
    field: str,
    obj: Model,
    user: User,
    perms: Iterable[str],
    action: str,
    request: HttpRequest | None = None,
) -> Model:
    """Make ``user`` act for ``obj`` (a party, an outlet, an organisation): the link row (``link_model``,
    whose foreign key ``field`` names ``obj``), the django-guardian object permissions ``perms`` on
    ``obj`` only, and the audit record ``action``.

    The caller has checked who may grant and the user's role; it runs in the caller's transaction.
    """

    link, _created = link_model.objects.get_or_create(**{field: obj, "user": user})
    for perm in perms:
        assign_perm(perm, user, obj)
    audit_record(actor=actor, action=action, obj=obj, request=request, after={"user": user.pk})
    return link


def object_role_revoke(
    *, actor: User, link: Model, obj: Model, perms: Iterable[str], action: str, request: HttpRequest | None = None
) -> None:
    """Undo ``object_role_grant``: the permissions, then the audit record, then the link row."""

    for perm in perms:
        remove_perm(perm, link.user, obj)
    audit_record(actor=actor, action=action, obj=obj, request=request, before={"user": link.user_id})
    link.delete()
