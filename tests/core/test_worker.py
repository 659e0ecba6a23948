"""Tasks run through a real Celery worker process and the real broker."""

import os
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection, transaction

from core.models import Notification
from core.services import notification_queue

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(transactional_db):
    """A Celery worker subprocess attached to the test database and a private queue."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    test_db_url = urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))
    env = {**os.environ, "DATABASE_URL": test_db_url, "DJANGO_SETTINGS_MODULE": "esaylov.settings_test",
           "CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE}
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "esaylov", "worker", "--pool", "solo", "--loglevel", "WARNING",
         "-Q", settings.CELERY_TASK_DEFAULT_QUEUE, "--without-heartbeat", "--without-gossip", "--without-mingle"],
        env=env, cwd=settings.BASE_DIR,
    )
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def _wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_notification_is_sent_by_the_worker_after_commit(worker, django_user_model):
    user = django_user_model.objects.create(username="voter-mail", email="someone@example.org")
    with transaction.atomic():
        note = notification_queue(recipient=user, subject="Your application", body="It was approved.")
        assert note.status == Notification.Status.PENDING
    assert _wait_for(lambda: Notification.objects.get(pk=note.pk).status == Notification.Status.SENT), \
        "the worker did not deliver the notification"
    note.refresh_from_db()
    assert note.attempts == 1 and note.sent_at is not None


def test_rolled_back_notification_is_never_sent(worker, django_user_model):
    user = django_user_model.objects.create(username="voter-mail2", email="other@example.org")
    with pytest.raises(RuntimeError), transaction.atomic():
        notification_queue(recipient=user, subject="Never", body="rolled back")
        raise RuntimeError("abort")
    assert not Notification.objects.exists()
