"""Celery tasks of the voter list: thin wrappers around services."""

from celery import shared_task

from voters import services


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(ConnectionError,), retry_backoff=True,
             max_retries=5)
def voter_import_task(job_id: int):
    job = services.voter_import_run(job_id=job_id)
    return job.status if job else "busy"


@shared_task
def voter_imports_resume():
    """Beat and worker start: pick up imports whose worker died."""
    return services.voter_import_resume()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def export_task(job_id: int):
    return services.export_run(job_id=job_id).status


@shared_task(acks_late=True)
def duplicates_scan_task(actor_id: int | None = None):
    result = services.duplicates_scan_run(actor_id=actor_id)
    return {"pairs_found": result.pairs_found, "pairs_new": result.pairs_new}
