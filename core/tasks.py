"""Celery tasks of core: thin wrappers around services."""

from celery import shared_task

from core import services


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def notification_send(notification_id: int) -> str | None:
    note = services.notification_deliver(notification_id=notification_id)
    return note.status if note else None


@shared_task
def notifications_retry_pending() -> int:
    """Beat: resend messages still pending or failed, and those whose sender died mid-send."""
    return services.notifications_retry_pending()


@shared_task
def ping(value: int) -> int:
    """Round trip used by the health page and the worker test."""
    return value
