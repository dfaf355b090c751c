from django.core.management.base import BaseCommand, CommandError

from safeguarding.accounts.models import Partnership
from safeguarding.core.files import write_atomically
from safeguarding.reports import render
from safeguarding.reports.models import YearlyReport
from safeguarding.working_days import year_label

WRITERS = {"html": lambda r: render.to_html(r, standalone=True).encode(), "pdf": render.to_pdf,
           "docx": render.to_docx}


class Command(BaseCommand):
    help = ("Write a partnership's yearly report as HTML, tagged PDF (PDF/UA-1) or Word: the latest version for "
            "the year, or --report-version N.")

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="The partnership's slug, e.g. southwark")
        parser.add_argument("--year", type=int, required=True, help="Collection year, e.g. 2021 for 2020-21")
        parser.add_argument("--report-version", dest="report_version", type=int, help="A particular version (default: the latest)")
        parser.add_argument("--format", choices=sorted(WRITERS), required=True)
        parser.add_argument("--out", required=True, help="The file to write")

    def handle(self, *args, partnership, year, report_version, format, out, **options):
        version = report_version
        found = Partnership.objects.filter(slug=partnership).first()
        if found is None:
            raise CommandError(f"No partnership with the slug {partnership!r}; there are: "
                               + ", ".join(Partnership.objects.values_list("slug", flat=True)))
        reports = YearlyReport.objects.for_partnership(found).active().filter(year=year)
        if version:
            reports = reports.filter(version=version)
        report = reports.order_by("-version").first()
        if report is None:
            raise CommandError(f"{found.name} has no yearly report for {year_label(year)}"
                               + (f" in version {version}" if version else "")
                               + ": create one on the yearly report page first.")
        content = WRITERS[format](report)
        write_atomically(out, content)  # a build killed half way leaves the previous file whole
        self.stdout.write(f"Wrote {report} ({report.get_status_display().lower()}) as {format.upper()} to {out} "
                          f"({len(content):,} bytes).")
