"""Celery tasks of core: thin wrappers around services."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from core import services
from core.models import Notification


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def notification_send(notification_id: int) -> str | None:
    note = services.notification_deliver(notification_id=notification_id)
    return note.status if note else None


@shared_task
def notifications_retry_pending() -> int:
    """Beat: resend messages still pending or failed (up to 5 attempts)."""
    stale = timezone.now() - timedelta(minutes=5)
    ids = list(
        Notification.objects.filter(
            status__in=[Notification.Status.PENDING, Notification.Status.FAILED], attempts__lt=5, created_at__lt=stale
        ).values_list("pk", flat=True)[:1000]
    )
    for pk in ids:
        notification_send.delay(pk)
    return len(ids)


@shared_task
def ping(value: int) -> int:
    """Round trip used by the health page and the worker test."""
    return value
