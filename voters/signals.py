from celery.signals import worker_ready
from django.db.models.signals import post_delete, post_save

from elections.models import District, Election, Precinct
from voters import tasks  # the module, not its names: tasks import services
from voters.selectors import forget_active_election, forget_precincts


@worker_ready.connect
def resume_orphaned_imports(sender=None, **kwargs):
    """A worker that starts picks up imports a killed worker left behind."""

    tasks.voter_imports_resume.delay()


def _forget_active_election(**kwargs):
    forget_active_election()


def _forget_precincts(**kwargs):
    forget_precincts()


def connect():
    post_save.connect(_forget_active_election, sender=Election, dispatch_uid="voters-active-election-save")
    post_delete.connect(_forget_active_election, sender=Election, dispatch_uid="voters-active-election-delete")
    for model in (Precinct, District):  # what the public lookup says of a precinct
        post_save.connect(_forget_precincts, sender=model, dispatch_uid=f"voters-precincts-save-{model.__name__}")
        post_delete.connect(_forget_precincts, sender=model, dispatch_uid=f"voters-precincts-delete-{model.__name__}")


connect()
