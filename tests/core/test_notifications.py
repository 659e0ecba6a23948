import pytest
from django.core import mail

from core.models import Notification
from core.services import notification_deliver, notification_queue

pytestmark = pytest.mark.django_db


def test_delivery_is_recorded_and_idempotent(django_user_model, django_capture_on_commit_callbacks):
    user = django_user_model.objects.create(username="u1", email="u1@example.org")
    with django_capture_on_commit_callbacks(execute=False):
        note = notification_queue(recipient=user, subject="Hello", body="Body")
    notification_deliver(notification_id=note.pk)
    notification_deliver(notification_id=note.pk)  # a second delivery sends nothing
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["u1@example.org"]
    note.refresh_from_db()
    assert note.status == Notification.Status.SENT
    assert note.attempts == 1 and note.claimed_at is not None and note.sent_at is not None


def test_no_address_no_message(django_user_model):
    user = django_user_model.objects.create(username="u2", email="")
    assert notification_queue(recipient=user, subject="x", body="y") is None
    assert not Notification.objects.exists()


def test_failed_delivery_is_recorded(django_user_model, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.core.failing_mail.Backend"
    user = django_user_model.objects.create(username="u3", email="u3@example.org")
    with django_capture_on_commit_callbacks(execute=False):
        note = notification_queue(recipient=user, subject="x", body="y")
    notification_deliver(notification_id=note.pk)
    note.refresh_from_db()
    assert note.status == Notification.Status.FAILED
    assert "SMTP server unreachable" in note.error
    assert note.attempts == 1
    notification_deliver(notification_id=note.pk)  # a failed message may be claimed again
    note.refresh_from_db()
    assert (note.status, note.attempts) == (Notification.Status.FAILED, 2)
