"""No task may run for ever, no network call may wait for ever (issue: a hung mail server)."""

from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend
from django.utils.module_loading import import_string

from core.sms import BaseSmsBackend
from esaylov.celery import app

LONG_TASKS = {
    "voters.tasks.voter_import_task",
    "voters.tasks.export_task",
    "voters.tasks.duplicates_scan_task",
    "candidates.tasks.signatures_verify_task",
}


def _project_tasks():
    app.loader.import_default_modules()  # autodiscover_tasks: every app's tasks module
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def _limits(task):
    soft = task.soft_time_limit if task.soft_time_limit is not None else app.conf.task_soft_time_limit
    hard = task.time_limit if task.time_limit is not None else app.conf.task_time_limit
    return soft, hard


def test_the_global_time_limits_are_set():
    assert app.conf.task_soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT
    assert 0 < settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    assert 0 < settings.LONG_TASK_SOFT_TIME_LIMIT < settings.LONG_TASK_TIME_LIMIT


def test_every_task_has_a_soft_and_a_hard_time_limit():
    tasks = _project_tasks()
    assert LONG_TASKS | {"core.tasks.notification_send", "core.tasks.notifications_retry_pending"} <= set(tasks)
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    for name, task in tasks.items():
        if task.soft_time_limit is not None or task.time_limit is not None:
            assert task.soft_time_limit is not None and task.time_limit is not None, name
            assert task.soft_time_limit < task.time_limit, name
        soft, hard = _limits(task)
        assert soft and hard and soft < hard, name
        # an unacknowledged task is handed to another worker after the visibility timeout: only once it is dead
        assert hard < visibility, name


def test_long_tasks_have_the_long_limits():
    tasks = _project_tasks()
    for name in LONG_TASKS:
        assert _limits(tasks[name]) == (settings.LONG_TASK_SOFT_TIME_LIMIT, settings.LONG_TASK_TIME_LIMIT), name


def test_a_claim_outlives_the_send_task():
    """A message still "sending" is released only when no worker can still be sending it."""
    _soft, hard = _limits(_project_tasks()["core.tasks.notification_send"])
    assert settings.NOTIFICATION_SENDING_STALE_AFTER > hard


def test_mail_and_sms_calls_are_bounded():
    assert 0 < settings.EMAIL_TIMEOUT <= 60
    assert EmailBackend().timeout == settings.EMAIL_TIMEOUT
    assert 0 < settings.SMS_TIMEOUT <= 60
    backend = import_string(settings.SMS_BACKEND)()
    assert isinstance(backend, BaseSmsBackend)
    assert backend.timeout == settings.SMS_TIMEOUT
    assert BaseSmsBackend(timeout=2.5).timeout == 2.5
