import sys

from django.core.management.base import BaseCommand, CommandError

from safeguarding.accounts.models import Partnership
from safeguarding.returns.importer import check_la_code
from safeguarding.returns.models import ReturnImport
from safeguarding.returns.problems import ReturnRejected
from safeguarding.returns.services import run_import

COUNT_LABELS = {"children": "children", "referrals": "referrals (CIN episodes)", "assessments": "assessments",
                "s47_enquiries": "Section 47 enquiries", "plans": "child protection plans", "episodes": "LAC episodes"}


class ProgressBar:
    def __init__(self, stream, label, width=30):
        self.stream, self.label, self.width = stream, label, width

    def __call__(self, done, total):
        share = done / total if total else 1
        filled = int(share * self.width)
        self.stream.write(f"\r{self.label} [{'#' * filled}{'-' * (self.width - filled)}] {share:4.0%}")
        self.stream.flush()

    def end(self):
        self.stream.write("\n")


class Command(BaseCommand):
    help = ("Import a CIN census XML file, or SSDA903 CSV files (a folder or several files), for one local "
            "authority. The return replaces any earlier import of the same authority, kind and year.")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="CIN census XML file, or SSDA903 CSV files or a folder of them")
        parser.add_argument("--la", required=True, help="Old three-digit DfE local authority code, e.g. 210")
        parser.add_argument("--year", type=int, help="Collection year (e.g. 2021 for 2020-21) if the files "
                                                     "do not say")

    def handle(self, *args, paths, la, year, **options):
        try:
            check_la_code(la)
        except ReturnRejected as rejected:
            raise CommandError(str(rejected)) from None
        record = ReturnImport.objects.create(
            partnership=Partnership.objects.filter(la_code=la).first(), la_code=la,
            file_names=", ".join(paths)[:500])
        bar = ProgressBar(self.stderr._out if hasattr(self.stderr, "_out") else sys.stderr, "Importing")
        try:
            result, findings = run_import(record, paths, year=year, on_progress=bar)
        except ReturnRejected as rejected:
            bar.end()
            raise CommandError("The return was not loaded; nothing has changed.\n" + str(rejected)) from None
        bar.end()
        self.stdout.write(self.style.SUCCESS(
            f"Loaded the {result.label} {result.year - 1}-{result.year % 100:02d} for local authority {result.la} "
            f"from {result.source}:"))
        for key, value in result.counts.items():
            self.stdout.write(f"  {value:>9,} {COUNT_LABELS.get(key, key)}")
        if result.ignored_tables:
            self.stdout.write("  Tables not needed by the indicators, so not stored: " + ", ".join(result.ignored_tables))
        if findings:
            by_check = {}
            for finding in findings:
                by_check.setdefault((finding["rule"], finding["check_name"]), 0)
                by_check[(finding["rule"], finding["check_name"])] += 1
            self.stdout.write(f"Data quality warnings ({len(findings)}); the return is loaded:")
            for (rule, check), count in sorted(by_check.items()):
                self.stdout.write(f"  {rule or '-':>5} {check}: {count}")
        else:
            self.stdout.write("No data quality warnings.")
