"""manage.py generate_returns: write synthetic CIN census and SSDA903 returns."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safeguarding.returns.synthetic import Disparity, all_las, default_dfe_dir, generate_many, missing_files, parse_years


class Command(BaseCommand):
    help = ("Write realistic synthetic CIN census XML and SSDA903 CSV returns, per authority and "
            "collection year, to OUT/<la>/<year>/.")

    def add_arguments(self, parser):
        parser.add_argument("--la", help="old (3-digit) local authority code, e.g. 210 for Southwark")
        parser.add_argument("--all-las", action="store_true", help="every authority in the DfE files")
        parser.add_argument("--years", required=True, help="collection years, e.g. 2017-2025")
        parser.add_argument("--out", required=True, help="output directory")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--scale", type=float, default=1.0, help="multiply every count")
        parser.add_argument("--dfe-dir", default=None,
                            help="DfE published figures (default PUBLISHED_DATA_DIR/dfe)")
        parser.add_argument("--processes", type=int, default=None)
        parser.add_argument("--plant-disparity", metavar="GROUP:POINT:RATE", default=None,
                            help="children of an ethnic group go on to a decision point at RATE times the rate of "
                                 "other children, e.g. Black:s47:1.5 (default: none; docs/synthetic-returns.md)")

    def handle(self, *args, **opts):
        dfe_dir = Path(opts["dfe_dir"]) if opts["dfe_dir"] else default_dfe_dir()
        if not dfe_dir.is_dir():
            raise CommandError(f"{dfe_dir}: no such folder of DfE published figures (--dfe-dir)")
        try:
            years = parse_years(opts["years"])
        except ValueError:
            raise CommandError("--years must look like 2017-2025 or 2020,2021")
        if not years:
            raise CommandError("--years is empty")
        if opts["all_las"]:
            missing = missing_files(dfe_dir)
            if missing:
                raise CommandError(f"--all-las needs the DfE files; {dfe_dir} lacks {', '.join(missing)}")
            las = all_las(dfe_dir)
        elif opts["la"]:
            las = [opts["la"]]
        else:
            raise CommandError("give --la CODE or --all-las")
        if opts["scale"] <= 0:
            raise CommandError("--scale must be positive")
        disparity = None
        if opts["plant_disparity"]:
            try:
                disparity = Disparity.parse(opts["plant_disparity"])
            except ValueError as error:
                raise CommandError(f"--plant-disparity: {error}")
        t0 = time.perf_counter()
        paths = generate_many(las, years, opts["out"], opts["seed"], opts["scale"], dfe_dir,
                              opts["processes"], disparity)
        self.stdout.write("wrote %d files for %d authorities in %.1f s" % (
            len(paths), len(las), time.perf_counter() - t0))
