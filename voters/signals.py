from celery.signals import worker_ready


@worker_ready.connect
def resume_orphaned_imports(sender=None, **kwargs):
    """A worker that starts picks up imports a killed worker left behind."""
    from voters.tasks import voter_imports_resume

    voter_imports_resume.delay()
