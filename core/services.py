"""Writes owned by core: audit events and notifications."""

from __future__ import annotations

import logging
from datetime import UTC
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.module_loading import import_string

from core import audit
from core.models import AuditEvent, Notification

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.base_user import AbstractBaseUser as User
    from django.db.models import Model
    from django.http import HttpRequest

log = logging.getLogger(__name__)


def _client_ip(request: HttpRequest) -> str | None:
    if request is None:
        return None
    from core.ratelimit import client_ip

    return client_ip(request) or None


def audit_record(
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
    """Append one event to the hash chain (inside the caller's transaction)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    actor = actor if (actor is not None and getattr(actor, "is_authenticated", False)) else None
    with transaction.atomic():
        with connection.cursor() as cur:
            # One writer at a time extends the chain; released at commit.
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [audit.ADVISORY_LOCK_KEY])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event = AuditEvent(
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
            prev_hash=last or audit.GENESIS,
        )
        event.hash = audit.hash_of(event)
        event.save(force_insert=True)
    return event


def notification_queue(
    *, subject: str, body: str, recipient: User | None = None, address: str = "", channel: str = Notification.Channel.EMAIL
) -> Notification | None:
    """Record a message and send it from Celery once the transaction commits."""
    if not address and recipient is not None:
        address = recipient.email if channel == Notification.Channel.EMAIL else recipient.phone
    if not address:
        return None
    note = Notification.objects.create(recipient=recipient, address=address, subject=subject[:200], body=body, channel=channel)
    from core.tasks import notification_send

    transaction.on_commit(lambda: notification_send.delay(note.pk))
    return note


def notification_deliver(*, notification_id: int) -> Notification | None:
    """Send one recorded message; safe to call twice (a sent message is not resent)."""
    with transaction.atomic():
        note = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status__in=[Notification.Status.PENDING, Notification.Status.FAILED])
            .first()
        )
        if note is None:
            return None
        note.attempts += 1
        try:
            if note.channel == Notification.Channel.EMAIL:
                send_mail(note.subject, note.body, settings.DEFAULT_FROM_EMAIL, [note.address])
            else:
                import_string(settings.SMS_BACKEND)().send(note.address, note.body)
        except Exception as exc:  # delivery errors are recorded, then retried by beat
            log.warning("notification %s failed: %s", note.pk, exc)
            note.status = Notification.Status.FAILED
            note.error = str(exc)[:2000]
        else:
            note.status = Notification.Status.SENT
            note.sent_at = timezone.now()
            note.error = ""
        note.save(update_fields=["attempts", "status", "sent_at", "error"])
    return note


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
    from guardian.shortcuts import assign_perm

    link, _created = link_model.objects.get_or_create(**{field: obj, "user": user})
    for perm in perms:
        assign_perm(perm, user, obj)
    audit_record(actor=actor, action=action, obj=obj, request=request, after={"user": user.pk})
    return link


def object_role_revoke(
    *, actor: User, link: Model, obj: Model, perms: Iterable[str], action: str, request: HttpRequest | None = None
) -> None:
    """Undo ``object_role_grant``: the permissions, then the audit record, then the link row."""
    from guardian.shortcuts import remove_perm

    for perm in perms:
        remove_perm(perm, link.user, obj)
    audit_record(actor=actor, action=action, obj=obj, request=request, before={"user": link.user_id})
    link.delete()
