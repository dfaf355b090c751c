import csv
import datetime
import json
import os

from django.conf import settings
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
        # The same definitions on another engine, over a pool of returns (export_pool; ADR 0030).
        parser.add_argument("--backend", choices=["store", "duckdb", "spark"], default="store",
                            help="store: the analytical store as configured (DuckDB or PostgreSQL); duckdb or spark: "
                                 "the pool(s) given by --pool (spark without --pool: the store, exported to a "
                                 "temporary pool first)")
        parser.add_argument("--pool", nargs="+", metavar="FOLDER", help="Pool folder(s) to read together")
        parser.add_argument("--master", help="Spark master: local[*] (default), or a cluster's URL; else the "
                                             "SPARK_MASTER setting")
        parser.add_argument("--core", action="store_true",
                            help="Every core indicator for every authority and year (--format csv or json)")
        parser.add_argument("--save", action="store_true",
                            help="Work out every indicator from the pool and store them for the web service")

    def handle(self, *args, **options):
        if options["list"]:
            for indicator in d.INDICATORS:
                self.stdout.write(f"{indicator.code:34} {indicator.title}: {indicator.definition}")
            return
        if options["backend"] == "store" and (options["pool"] or options["master"]):
            raise CommandError("--pool and --master go with --backend duckdb or spark")
        if options["backend"] == "duckdb" and not options["pool"]:
            raise CommandError("--backend duckdb reads a pool: give --pool FOLDER (the store is read by default)")
        self.engine_options = options
        try:
            if options["show_sql"]:
                return self.show_sql(options["show_sql"])
            if options["at"] or options["period"]:
                return self.one_figure(options)
            if options["core"] or options["save"]:
                return self.everything(options)
        finally:
            self.close()
        if options["backend"] != "store":
            raise CommandError("With --backend duckdb or spark: --core, --save, --at, --period or --show-sql")
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

    # -- the engine: the store, or a pool on DuckDB or Spark ----------------------------------------------------
    opened = None

    def engine(self):
        options = self.engine_options
        if options["backend"] == "store":
            return engine_for()
        from safeguarding.indicators.engine import pool

        folders = options["pool"]
        if not folders:
            folders = [self.temporary_pool()]
        master = options["master"] or settings.SPARK_MASTER
        try:
            engine, self.manifests = pool.open_engine(folders, options["backend"], master=master)
        except pool.PoolError as error:
            raise CommandError(str(error)) from None
        self.opened = engine
        return engine

    def temporary_pool(self):
        import tempfile

        from safeguarding.indicators.engine import pool
        from safeguarding.indicators.engine.run import connect
        from safeguarding.returns.identifiers import key_fingerprint
        from safeguarding.returns.store import TABLES, AnalyticalStore

        store = AnalyticalStore()
        if not store.exists():
            raise CommandError("The analytical store is empty: import a return first")
        self.scratch = tempfile.TemporaryDirectory(prefix="pool-")
        folder = os.path.join(self.scratch.name, "pool")
        # The registry first: DuckDB refuses a second connection to the file with other settings while one is open.
        returns = [{"la": r.la, "year": r.year, "kind": r.kind, "source": r.source, "sha256": r.sha256}
                   for r in store.loaded_returns()]
        con = connect(store.url)
        pool.export(con, store.schema, TABLES, folder, key_fingerprint=key_fingerprint(), returns=returns)
        con.disconnect()
        self.stderr.write(f"Spark reads Parquet, not the store: exported the store to a temporary pool ({folder})")
        return folder

    def close(self):
        if self.opened is not None:
            if self.opened.dialect == "pyspark":
                self.opened.con._session.stop()
            else:
                self.opened.close()
            self.opened = None
        if getattr(self, "scratch", None) is not None:
            self.scratch.cleanup()

    def everything(self, options):
        engine = self.engine()
        if options["save"]:
            from safeguarding.indicators.services import recompute
            from safeguarding.returns.store import LoadedReturn

            returns = None
            if options["backend"] != "store":
                returns = [LoadedReturn(r["la"], int(r["year"]), r["kind"], None, r["source"], r["sha256"], {})
                           for m in self.manifests for r in m["returns"]]
            saved = recompute(options["la"], engine=engine, returns=returns)
            self.stdout.write(f"Stored {saved:,} indicator values worked out on {engine.dialect}.")
            return
        results = engine.core(las=[options["la"]] if options["la"] else None,
                              years=[options["year"]] if options["year"] else None)
        codes = [i.code for i in d.INDICATORS]
        if options["format"] == "json":
            self.stdout.write(json.dumps([{"la": la, "year": year, **values}
                                          for (la, year), values in sorted(results.items())]))
            return
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["la", "year", *codes])
        for (la, year), values in sorted(results.items()):
            writer.writerow([la, year, *("" if values[c] is None else values[c] for c in codes)])

    def show_sql(self, name):
        if name not in d.BY_CODE:
            raise CommandError(f"No indicator called {name!r}; try --list")
        engine = self.engine()
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
        engine = self.engine()
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
