"""Pluggable SMS backends (``SMS_BACKEND``); the default only logs.

A backend is a class whose instances have ``send(phone, text)``. ``notification_deliver`` calls it
with no lock held, but a gateway that never answers still occupies a worker until the task's time
limit: every network call a backend makes must be bounded by ``self.timeout`` (``SMS_TIMEOUT``
seconds unless given), e.g. ``requests.post(url, json=..., timeout=self.timeout)``.
"""

import logging

from django.conf import settings

log = logging.getLogger(__name__)


class BaseSmsBackend:
    def __init__(self, *, timeout: float | None = None) -> None:
        self.timeout = settings.SMS_TIMEOUT if timeout is None else timeout

    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class LogSmsBackend(BaseSmsBackend):
    def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s: %s", phone, text)
