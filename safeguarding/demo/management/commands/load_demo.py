import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safeguarding.accounts.roles import Role
from safeguarding.demo import load as demo_load
from safeguarding.returns.store import AnalyticalStore
from safeguarding.returns.synthetic import default_dfe_dir, missing_files, parse_years

DEFAULT_DEMO_PASSWORD = "demo-partnership-2021"


class Command(BaseCommand):
    help = ("Create or bring up to date the demo: Southwark's partnership (2020-21) and its smaller neighbour "
            "Lambeth, with sign-ins for each; with --returns also their synthetic returns, the benchmarks, the "
            "indicators and Southwark's 2020-21 yearly report. Safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD),
                            help="Password for every demo sign-in (default: DEMO_PASSWORD or the demo default)")
        parser.add_argument("--returns", action="store_true",
                            help="Also the synthetic returns, benchmarks, indicators and yearly report (make demo)")
        parser.add_argument("--years", default=demo_load.YEARS,
                            help="With --returns: Southwark's collection years; Lambeth gets the last two of them")
        parser.add_argument("--dfe-dir", default=None, help="DfE published figures (default PUBLISHED_DATA_DIR/dfe)")

    def handle(self, *args, password, returns, years, dfe_dir, **options):
        if not (settings.DEBUG or settings.DEMO or settings.TESTING):
            raise CommandError("load_demo creates sign-ins with a known password and writes synthetic data: run it "
                               "only with DEMO=1 or DEBUG=1.")
        demo = demo_load.Demo(password=password, say=self.stdout.write, verbose=options["verbosity"] > 1)
        if returns:
            try:
                demo.years = parse_years(years)
            except ValueError:
                raise CommandError(f"--years {years!r}: expected a year or a range such as 2017-2025.") from None
            if not demo.years:
                raise CommandError("--years is empty: expected a year or a range such as 2017-2025.")
            demo.dfe = Path(dfe_dir) if dfe_dir else default_dfe_dir()
            if not demo.dfe.is_dir():
                raise CommandError(f"{demo.dfe}: no such folder. The DfE published figures are in "
                                   "published_data/dfe in the repository; give --dfe-dir or set PUBLISHED_DATA_DIR.")
            missing = missing_files(demo.dfe)
            if missing:
                self.stdout.write(f"DfE files missing from {demo.dfe}: {', '.join(missing)}; the synthetic counts "
                                  "they would give are estimated instead.")
            demo.store = AnalyticalStore()
        demo_load.load(demo, with_returns=returns)
        self.stdout.write(self.style.SUCCESS(f"Loaded {', '.join(p.name for p in demo.partnerships.values())}."))
        self.stdout.write(f"Demo sign-ins (password: {password}):")
        for slug, sign_ins in demo.sign_ins.items():
            partnership = demo.partnerships[slug]
            self.stdout.write(f"  {partnership.name} (/p/{slug}/):")
            for email, role in sign_ins:
                self.stdout.write(f"    {email:<28} {Role(role).label}")
        self.stdout.write("A sign-in of one partnership finds nothing of the other's (404). Every sign-in sets up "
                          "two-factor on first use (an authenticator app, then recovery codes). Without an app: "
                          "python manage.py totp_code EMAIL prints the current code once the set-up page has been "
                          "opened.")
