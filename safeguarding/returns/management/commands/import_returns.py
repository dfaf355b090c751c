import sys

from django.core.management.base import BaseCommand, CommandError

from safeguarding.accounts.models import Partnership
from safeguarding.returns.findings import OUTCOME_LABELS
from safeguarding.returns.importer import check_la_code
from safeguarding.returns.models import ReturnImport
from safeguarding.returns.problems import ReturnRejected
from safeguarding.returns.services import run_import
from safeguarding.working_days import year_label

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
        parser.add_argument("paths", nargs="+", help="CIN census XML file, or SSDA903 CSV files (or a folder of "
                                                     "them) or one .xlsx workbook of its tables")
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
            raise CommandError("Refused: the return was not loaded; nothing has changed.\n" + str(rejected)) from None
        bar.end()
        outcome = OUTCOME_LABELS[findings.outcome]
        style = self.style.SUCCESS if findings.outcome == "clean" else self.style.WARNING
        self.stdout.write(style(
            f"{outcome}: the {result.label} {year_label(result.year)} for local authority {result.la} "
            f"from {result.source}:"))
        for key, value in result.counts.items():
            self.stdout.write(f"  {value:>9,} {COUNT_LABELS.get(key, key)}")
        if result.ignored_tables:
            self.stdout.write("  Tables not needed by the indicators, so not stored: " + ", ".join(result.ignored_tables))
        summary = findings.summary()
        if not summary:
            self.stdout.write("No DfE rule broken, nothing loose.")
            return
        self.stdout.write(f"{findings.count('error'):,} errors (DfE rules broken) and {findings.count('warning'):,} "
                          "warnings (looseness that changes no figure):")
        self.stdout.write(f"  {'rule':>6}  {'kind':<7} {'found':>7} {'children':>8}  what")
        for row in summary:
            self.stdout.write(f"  {row['rule']:>6}  {row['kind']:<7} {row['count']:>7,} {row['children']:>8,}  "
                              f"{row['title']}")
        if findings.left_out:
            self.stdout.write("Records left out of the figures, because a field they need could not be read:")
            for figure, count in sorted(findings.left_out.items()):
                self.stdout.write(f"  {count:>9,} {figure.replace('_', ' ')}")
        self.stdout.write("First findings:")
        for detail in findings.details[:10]:
            where = ", ".join(x for x in (detail["where"], detail["field"]) if x)
            self.stdout.write(f"  {detail['rule']} {detail['severity']}: {where}: {detail['message']}")
        self.stdout.write("The quality report on the returns page lists them all, with CSV and Excel downloads.")
