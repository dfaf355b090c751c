"""Give the demo partnership its figures: synthetic returns for Southwark, the benchmarks, the indicators."""
import hashlib
import io
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from safeguarding.benchmarks.models import BenchmarkImport
from safeguarding.indicators.services import recompute
from safeguarding.accounts.models import Partnership
from safeguarding.returns.importer import digest
from safeguarding.returns.models import ReturnImport
from safeguarding.returns.services import run_import
from safeguarding.returns.store import AnalyticalStore
from safeguarding.returns.synthetic import default_dfe_dir, generate, inputs_digest, missing_files, parse_years

DEMO_LA = "210"
DEMO_SEED = 2021
DEMO_BENCHMARKS = Path(settings.BASE_DIR) / "safeguarding" / "benchmarks" / "demo"


class Command(BaseCommand):
    help = ("Generate synthetic returns for the demo authority (Southwark, 210), import them and the benchmarks, "
            "and compute the indicators. Safe to run again: unchanged files are not imported twice.")

    def add_arguments(self, parser):
        parser.add_argument("--years", default="2017-2025")
        parser.add_argument("--dfe-dir", default=None, help="DfE published figures (default PUBLISHED_DATA_DIR/dfe)")

    def handle(self, *args, years, dfe_dir, **options):
        if not (settings.DEBUG or settings.DEMO or settings.TESTING):
            raise CommandError("load_demo_returns writes synthetic data: run it only with DEMO=1 or DEBUG=1.")
        dfe = Path(dfe_dir) if dfe_dir else default_dfe_dir()
        if not dfe.is_dir():
            raise CommandError(f"{dfe}: no such folder. The DfE published figures are in published_data/dfe in the "
                               "repository; give --dfe-dir or set PUBLISHED_DATA_DIR.")
        missing = missing_files(dfe)
        if missing:
            self.stdout.write(f"DfE files missing from {dfe}: {', '.join(missing)}; the synthetic counts they "
                              "would give are estimated instead.")
        out = Path(settings.VAR_DIR) / "demo-returns"
        wanted = parse_years(years)
        # Returns made earlier from other published files (or none) are made again, not kept.
        inputs = f"seed {DEMO_SEED}, DfE files {inputs_digest(dfe)}\n"
        stamp = out / DEMO_LA / "inputs.txt"
        made_from = stamp.read_text() if stamp.exists() else ""
        if made_from != inputs or not all((out / DEMO_LA / str(y)).exists() for y in wanted):
            self.stdout.write(f"Generating synthetic returns for {DEMO_LA}, {wanted[0]}-{wanted[-1]} ...")
            generate(DEMO_LA, wanted, out, seed=DEMO_SEED, dfe_dir=dfe)
            stamp.write_text(inputs)
        store = AnalyticalStore()
        loaded = {r.sha256 for r in store.loaded_returns(DEMO_LA)}
        for year in wanted:
            folder = out / DEMO_LA / str(year)
            for files in ([next(folder.glob("cin_census_*.xml"))], sorted(folder.glob("ssda903_*.csv"))):
                if digest(files) in loaded:
                    continue
                record = ReturnImport.objects.create(
                    partnership=Partnership.objects.filter(la_code=DEMO_LA).first(), la_code=DEMO_LA,
                    file_names=", ".join(f.name for f in files))
                result, _ = run_import(record, files, store=store, recompute_indicators=False)
                self.stdout.write(f"  imported {result.label} {year}: {result.counts}")
        benchmark_files = sorted(DEMO_BENCHMARKS.glob("*.csv"))
        published = sorted(dfe.glob("*.csv")) + sorted(dfe.glob("*.parquet"))
        if not published:
            self.stdout.write(f"No DfE files in {dfe}: only the figures typed from the report are loaded.")
        benchmark_files += published
        done = set(BenchmarkImport.objects.values_list("sha256", flat=True))
        new = [f for f in benchmark_files if hashlib.sha256(f.read_bytes()).hexdigest() not in done]
        if new:
            call_command("import_benchmarks", *map(str, new), stdout=self.stdout if options["verbosity"] > 1 else io.StringIO())
        self.stdout.write(f"Computed {recompute(DEMO_LA, store=store)} indicator values for {DEMO_LA}.")
        from safeguarding.reports import demo as demo_report

        report = demo_report.load()
        if report is not None:
            self.stdout.write(f"Demo yearly report: {report} ({report.get_status_display().lower()}).")
