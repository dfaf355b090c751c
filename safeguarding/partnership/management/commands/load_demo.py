import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safeguarding.accounts.roles import Role
from safeguarding.partnership.demo.load import load_demo

DEFAULT_DEMO_PASSWORD = "demo-partnership-2021"


class Command(BaseCommand):
    help = "Create or bring up to date the demo partnership (Southwark, 2020-21) and one sign-in per role."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD),
                            help="Password for every demo sign-in (default: DEMO_PASSWORD or the demo default)")

    def handle(self, *args, password, **options):
        if not (settings.DEBUG or settings.DEMO or settings.TESTING):
            raise CommandError("load_demo creates sign-ins with a known password: run it only with DEMO=1 or DEBUG=1.")
        partnership, sign_ins = load_demo(password)
        from safeguarding.audits import demo as audits_demo
        from safeguarding.lado import demo as lado_demo
        from safeguarding.registers import demo as registers_demo
        from safeguarding.reviews import demo as reviews_demo

        lado_demo.load(partnership)
        reviews_demo.load(partnership)
        audits_demo.load(partnership)
        registers_demo.load(partnership)
        self.stdout.write(self.style.SUCCESS(f"Loaded {partnership.name}."))
        self.stdout.write(f"Demo sign-ins (password: {password}):")
        for email, role in sign_ins:
            self.stdout.write(f"  {email:<28} {Role(role).label}")
        self.stdout.write("Every sign-in sets up two-factor on first use (an authenticator app, then recovery codes). "
                          "Without an app: python manage.py totp_code EMAIL prints the current code once the set-up "
                          "page has been opened.")
