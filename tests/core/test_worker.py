"""Tasks run through a real Celery worker process and the real broker."""

import pytest
from django.db import transaction

from core.models import Notification
from core.services import notification_queue
from tests.conftest import wait_for as _wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_notification_is_sent_by_the_worker_after_commit(worker, django_user_model):
    user = django_user_model.objects.create(username="voter-mail", email="someone@example.org")
    with transaction.atomic():
        note = notification_queue(recipient=user, subject="Your application", body="It was approved.")
        assert note.status == Notification.Status.PENDING
    assert _wait_for(lambda: Notification.objects.get(pk=note.pk).status == Notification.Status.SENT), (
        "the worker did not deliver the notification"
    )
    note.refresh_from_db()
    assert note.attempts == 1 and note.sent_at is not None


def test_rolled_back_notification_is_never_sent(worker, django_user_model):
    user = django_user_model.objects.create(username="voter-mail2", email="other@example.org")
    with pytest.raises(RuntimeError), transaction.atomic():
        notification_queue(recipient=user, subject="Never", body="rolled back")
        raise RuntimeError("abort")
    assert not Notification.objects.exists()
