"""Celery tasks of candidates: thin wrappers around services."""

from celery import shared_task
from django.conf import settings


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=settings.LONG_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.LONG_TASK_TIME_LIMIT,
)
def signatures_verify_task(upload_id: int):
    from candidates.signatures import signatures_verify  # noqa: PLC0415 - signatures queues this task (a cycle)

    upload = signatures_verify(upload_id=upload_id)
    return upload.status if upload else "busy"
