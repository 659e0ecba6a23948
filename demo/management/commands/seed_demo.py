import base64

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import voters as voters_demo
from demo.candidates import seed_parties
from demo.country import DEMO_USERS, seed_demo
from demo.media import seed_media
from demo.observers import seed_observers
from demo.results import seed_results


class Command(BaseCommand):
    help = "Build (idempotently) a synthetic country: geography, precincts, commissions, demo users, an election."

    def add_arguments(self, parser):
        parser.add_argument("--precincts", type=int, default=1000, help="number of precincts (10700 is national size)")
        parser.add_argument(
            "--voters", type=int, default=100_000, help="synthetic voters loaded through the registry import (0: none)"
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--quiet-logins", action="store_true", help="do not print the demo logins")
        parser.add_argument("--no-results", action="store_true", help="no counted election (election day and results)")

    def handle(self, *args, **opts):
        if not settings.DEMO_SEED_ALLOWED:
            raise CommandError(
                "seed_demo creates accounts with a published password: it runs only with DEBUG=1 "
                "or DEMO_SEED_ALLOWED=1 (never in production)"
            )
        report = seed_demo(precincts=opts["precincts"], seed=opts["seed"])
        parties = seed_parties()
        if parties:
            report.add("parties", parties)

        rules = voters_demo.seed_assignment_rules()
        if rules:
            report.add("assignment rules", rules)
        if opts["voters"]:
            for name, n in voters_demo.seed_voters(opts["voters"], seed=opts["seed"]).items():
                report.add(name, n)
        for name, n in seed_media().items():
            report.add(name, n)
        for name, n in seed_observers().items():
            report.add(name, n)
        if not opts["no_results"]:
            for name, n in seed_results(seed=opts["seed"]).items():
                report.add(name, n)
        if report.total:
            for name, n in report.created.items():
                self.stdout.write(f"  created {n:>7} {name}")
        else:
            self.stdout.write("demo data already present: nothing changed")
        if not opts["quiet_logins"]:
            key = base64.b32encode(bytes.fromhex(settings.DEMO_TOTP_KEY)).decode()
            self.stdout.write("\nDemo logins (password for all: %s)" % settings.DEMO_PASSWORD)
            for username, (role, _level, _names) in DEMO_USERS.items():
                self.stdout.write(f"  {username:<12} {role.label}")
            self.stdout.write(
                f"Officials (admin, cec, region, district, precinct) also enter a TOTP code: key {key}\n"
                "  current code: DEBUG=1 .venv/bin/python manage.py demo_totp"
            )
