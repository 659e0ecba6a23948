"""Pluggable SMS backends (``SMS_BACKEND``); the default only logs."""

import logging

log = logging.getLogger(__name__)


class LogSmsBackend:
    def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s: %s", phone, text)
