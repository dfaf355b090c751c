import datetime

from django.core.management.base import BaseCommand, CommandError

from safeguarding.indicators.engine import definitions as d
from safeguarding.indicators.services import engine_for


def _date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date; expected YYYY-MM-DD") from None


class Command(BaseCommand):
    help = ("The core child protection activity table for a local authority and year, with comparators and "
            "change; or one indicator on any day or over any period; or the SQL an indicator compiles to.")

    def add_arguments(self, parser):
        parser.add_argument("--la", help="Old three-digit DfE local authority code, e.g. 210")
        parser.add_argument("--year", type=int, help="Collection year, e.g. 2021 for 2020-21")
        parser.add_argument("--years", type=int, default=2, help="Years to show: 2 (the table) or 4+ (trend)")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
        parser.add_argument("--comparators", choices=["as-published", "dfe", "pooled"], default="dfe",
                            help="Comparators and population as a report published them, DfE's current files, or "
                                 "pooled from the child-level returns of other authorities held in the store")
        parser.add_argument("--sn", choices=["mean", "median"], default="mean",
                            help="Statistical neighbour average: mean (LAIT) or median (DfE dashboard)")
        parser.add_argument("--rounding", choices=["dfe", "report"], default=None,
                            help="DfE rounding (CIN rates 1 d.p., LAC whole) or whole numbers as in the report")
        parser.add_argument("--show-sql", metavar="NAME", help="Print the SQL an indicator compiles to")
        parser.add_argument("--indicator", help="With --at or --period: the indicator to count")
        parser.add_argument("--at", type=_date, help="Count a stock indicator on this day (YYYY-MM-DD)")
        parser.add_argument("--period", nargs=2, type=_date, metavar=("FROM", "TO"),
                            help="Count a flow indicator over this period")
        parser.add_argument("--list", action="store_true", help="List the indicators and their definitions")

    def handle(self, *args, **options):
        if options["list"]:
            for indicator in d.INDICATORS:
                self.stdout.write(f"{indicator.code:34} {indicator.title}: {indicator.definition}")
            return
        if options["show_sql"]:
            return self.show_sql(options["show_sql"])
        if options["at"] or options["period"]:
            return self.one_figure(options)
        if not (options["la"] and options["year"]):
            raise CommandError("Give --la and --year for the table (or --show-sql NAME, --at, --period, --list)")
        from safeguarding.indicators.table import build_table, render

        table = build_table(la=options["la"], year=options["year"], years=options["years"],
                            comparators=options["comparators"], sn_average=options["sn"],
                            rounding=options["rounding"])
        if not table.rows:
            raise CommandError(f"No returns for local authority {options['la']} in {options['year']}: "
                               "import them with import_returns first")
        render(table, options["format"], self.stdout)

    def show_sql(self, name):
        if name not in d.BY_CODE:
            raise CommandError(f"No indicator called {name!r}; try --list")
        engine = engine_for()
        if engine.tables is None:
            raise CommandError("The analytical store is empty: import a return first")
        try:
            self.stdout.write(engine.sql(name))
        except ValueError as error:
            raise CommandError(str(error)) from None

    def one_figure(self, options):
        code = options["indicator"]
        if code not in d.BY_CODE or d.BY_CODE[code].measure is None:
            raise CommandError("Give --indicator with one of: " + ", ".join(i.code for i in d.COUNTED))
        indicator = d.BY_CODE[code]
        engine = engine_for()
        if options["at"]:
            if not isinstance(indicator.measure, d.Stock):
                raise CommandError(f"{code} counts events over a period: use --period")
            values = engine.at(code, options["at"], la=options["la"])
            label = f"on {options['at']:%d %B %Y}"
        else:
            if not isinstance(indicator.measure, d.Flow):
                raise CommandError(f"{code} counts what is open on a day: use --at")
            start, end = options["period"]
            values = engine.over(code, start, end, la=options["la"])
            label = f"from {start:%d %B %Y} to {end:%d %B %Y}"
        for la, value in sorted(values.items()):
            self.stdout.write(f"{la}  {indicator.title} {label}: {value:,}")
        if not values:
            self.stdout.write("No returns cover that.")
