from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP


class Command(BaseCommand):
    help = "Print the current TOTP code of the demo officials (only while DEBUG is on)."

    def handle(self, *args, **opts):
        if not settings.DEBUG:
            raise CommandError("demo_totp works only with DEBUG on (demo installations)")
        self.stdout.write(f"{TOTP(bytes.fromhex(settings.DEMO_TOTP_KEY)).token():06d}")
