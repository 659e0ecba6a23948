import time

from django.core.mail.backends.locmem import EmailBackend


class Backend(EmailBackend):
    """The test outbox (``mail.outbox``), behind a mail server that takes half a second per message,
    so that concurrent deliverers overlap while one of them is sending."""

    def send_messages(self, messages):
        time.sleep(0.5)
        return super().send_messages(messages)
