"""Celery tasks of the voter list: thin wrappers around services."""

from celery import shared_task
from django.conf import settings

from voters import services

# Imports, exports and the scan of a whole list outlast the default limits (settings, docs/deployment.md).
LONG = {"soft_time_limit": settings.LONG_TASK_SOFT_TIME_LIMIT, "time_limit": settings.LONG_TASK_TIME_LIMIT}


@shared_task(
    acks_late=True, reject_on_worker_lost=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5, **LONG
)
def voter_import_task(job_id: int):
    job = services.voter_import_run(job_id=job_id)
    return job.status if job else "busy"


@shared_task
def voter_imports_resume():
    """Beat and worker start: pick up imports whose worker died."""
    return services.voter_import_resume()


@shared_task(acks_late=True, reject_on_worker_lost=True, **LONG)
def export_task(job_id: int):
    return services.export_run(job_id=job_id).status


@shared_task(acks_late=True, **LONG)
def duplicates_scan_task(actor_id: int | None = None):
    result = services.duplicates_scan_run(actor_id=actor_id)
    return {"pairs_found": result.pairs_found, "pairs_new": result.pairs_new}
