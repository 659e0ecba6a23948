from django.core.mail.backends.base import BaseEmailBackend


class Backend(BaseEmailBackend):
    """A mail server that is down (a real failure path, not a mock of our code)."""

    def send_messages(self, email_messages):
        raise OSError("SMTP server unreachable")
