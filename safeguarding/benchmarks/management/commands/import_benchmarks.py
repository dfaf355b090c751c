from django.core.management.base import BaseCommand, CommandError

from safeguarding.benchmarks.importer import import_file
from safeguarding.benchmarks.readers import ImportProblem


class Command(BaseCommand):
    help = ("Import published benchmark files: DfE explore-education-statistics CSVs (c1, b1, c3, d3, d5, cla, "
            "csww), ONS mid-year populations, the LAIT long format (Parquet or CSV), statistical neighbour "
            "groupings, and figures or populations typed from a published report (docs/benchmarks-csv.md). "
            "Files are recognised by their columns, not their names. Each file loads in one transaction and "
            "replaces the rows of its own source and vintage.")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files to import, in order")
        parser.add_argument("--vintage", help="label the edition of DfE/ONS files (default: '<latest year> release' "
                                              "for EES, 'LAIT data to <year>' for LAIT)")
        parser.add_argument("--sn-model", choices=["2021", "2025"],
                            help="statistical neighbour model year, if the file's layout does not say")
        parser.add_argument("--lait-all", action="store_true",
                            help="also import LAIT measures outside the indicator vocabulary, as lait_<short desc>")

    def handle(self, *args, paths, vintage, sn_model, lait_all, **options):
        loaded = []
        for path in paths:
            try:
                summary = import_file(path, vintage=vintage, sn_model=sn_model, lait_all=lait_all)
            except ImportProblem as problem:
                done = f" Files loaded before it: {', '.join(loaded)}." if loaded else ""
                raise CommandError(f"{problem}\nThis file was not loaded; nothing in it has changed.{done}") from None
            except OSError as error:
                raise CommandError(f"{path}: cannot read the file ({error.strerror or error})") from None
            loaded.append(path)
            for number, line in enumerate(summary.lines()):
                self.stdout.write(self.style.SUCCESS(line) if number == 0 else line)
