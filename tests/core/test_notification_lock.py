"""Delivery holds no row lock while it talks to the mail server, sends each message once, and a
message whose worker died mid-send is sent again (issue: a hung mail server holds a row lock)."""

import socket
import threading
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from core import tasks
from core.models import Notification
from core.services import notification_deliver
from tests.conftest import wait_for


@pytest.fixture
def hung_smtp_server():
    """A TCP server that accepts connections and never says a word (no greeting, no reply)."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    accepted = threading.Event()
    stop = threading.Event()
    clients = []

    def serve():
        while not stop.is_set():
            try:
                conn, _addr = server.accept()
            except TimeoutError:
                continue
            clients.append(conn)
            accepted.set()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join(5)
    for conn in clients:
        conn.close()
    server.close()


def _in_thread(target):
    """Run ``target`` in a thread with its own database connection (closed when it ends)."""
    outcome = {}

    def run():
        try:
            outcome["result"] = target()
        except BaseException as exc:
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.mark.django_db(transaction=True)
def test_hung_mail_server_holds_no_row_lock(settings, hung_smtp_server):
    port, accepted = hung_smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    note = Notification.objects.create(address="voter@example.org", subject="Hello", body="Body")

    thread, outcome = _in_thread(lambda: notification_deliver(notification_id=note.pk))
    assert accepted.wait(10), "the deliverer never connected to the mail server"
    # While the deliverer waits for the server's greeting, the row is not locked by anyone.
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT status, attempts FROM core_notification WHERE id = %s FOR UPDATE NOWAIT", [note.pk])
        status, attempts = cur.fetchone()
    assert thread.is_alive(), "the send was over before the lock was tried"
    assert (status, attempts) == (Notification.Status.SENDING, 1)

    thread.join(30)
    assert not thread.is_alive(), "EMAIL_TIMEOUT did not end the send"
    assert "error" not in outcome
    note.refresh_from_db()
    assert note.status == Notification.Status.FAILED
    assert note.attempts == 1
    assert "timed out" in note.error
    assert note.sent_at is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_deliverers_send_once(settings):
    settings.EMAIL_BACKEND = "tests.core.slow_mail.Backend"
    note = Notification.objects.create(address="voter@example.org", subject="Once", body="Only once")
    barrier = threading.Barrier(6)

    def deliver():
        barrier.wait(10)
        return notification_deliver(notification_id=note.pk)

    runs = [_in_thread(deliver) for _ in range(6)]
    for thread, _outcome in runs:
        thread.join(30)
    outcomes = [outcome for _thread, outcome in runs]
    assert all("error" not in outcome for outcome in outcomes), outcomes
    assert len(mail.outbox) == 1
    assert sum(outcome["result"] is not None for outcome in outcomes) == 1
    note.refresh_from_db()
    assert note.status == Notification.Status.SENT
    assert note.attempts == 1


@pytest.mark.django_db
def test_a_message_being_sent_is_not_claimed_again():
    note = Notification.objects.create(
        address="voter@example.org",
        subject="s",
        body="b",
        status=Notification.Status.SENDING,
        claimed_at=timezone.now(),
        attempts=1,
    )
    assert notification_deliver(notification_id=note.pk) is None
    assert mail.outbox == []
    note.refresh_from_db()
    assert (note.status, note.attempts) == (Notification.Status.SENDING, 1)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_retry_resends_a_message_whose_worker_died_mid_send(worker):
    now = timezone.now()
    stale_claim = now - timedelta(seconds=django_settings.NOTIFICATION_SENDING_STALE_AFTER + 60)
    old = now - timedelta(hours=1)
    sending = Notification.Status.SENDING
    orphan = Notification.objects.create(
        address="a@example.org",
        subject="orphan",
        body="b",
        status=sending,
        claimed_at=stale_claim,
        attempts=1,
        created_at=old,
    )
    exhausted = Notification.objects.create(
        address="b@example.org",
        subject="last try",
        body="b",
        status=sending,
        claimed_at=stale_claim,
        attempts=5,
        created_at=old,
    )
    in_flight = Notification.objects.create(
        address="c@example.org",
        subject="in flight",
        body="b",
        status=sending,
        claimed_at=now,
        attempts=1,
        created_at=old,
    )

    tasks.notifications_retry_pending.delay()  # what beat sends every 5 minutes

    assert wait_for(lambda: Notification.objects.get(pk=orphan.pk).status == Notification.Status.SENT), (
        "the orphaned message was not sent again"
    )
    orphan.refresh_from_db()
    assert orphan.attempts == 2 and orphan.sent_at is not None and orphan.error == ""
    exhausted.refresh_from_db()  # released (not left "sending" for ever), but out of attempts
    assert (exhausted.status, exhausted.attempts) == (Notification.Status.FAILED, 5)
    with translation.override(django_settings.LANGUAGE_CODE):  # the worker writes in the site's language
        assert exhausted.error == gettext("Sending was interrupted (the worker stopped); it is retried.")
    in_flight.refresh_from_db()  # a fresh claim is left to its deliverer
    assert (in_flight.status, in_flight.attempts, in_flight.error) == (sending, 1, "")
