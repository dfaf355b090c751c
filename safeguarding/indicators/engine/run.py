"""Run the definitions on a backend: DuckDB (a file) or PostgreSQL, chosen by the store's URL."""
import datetime
from collections import defaultdict
from pathlib import Path

import ibis
import pandas as pd

from safeguarding.indicators.engine import definitions as d
from safeguarding.working_days import financial_year, working_day_index


# DuckDB's default is 80 % of the machine's memory, per process. Every core indicator of the national store
# (153 authorities x 6 years) needs about 1 GB; beyond this limit DuckDB spills to a folder beside the store
# instead of taking more of a machine it shares with the web workers. Threads stay at DuckDB's default, one per
# core: with one thread the national computation takes twice as long (docs/benchmarks.md, national engine).
DUCKDB_MEMORY_LIMIT = "2GB"

# The core query's SQL for each (dialect, schema, authorities, years), compiled once per process: building the
# store's tables and the 13 Ibis expressions and compiling them took 0.1 s of each national run of 0.68 s
# (docs/benchmarks.md, "six years"). The SQL names the store's tables only, so any connection to a store of the
# same schema runs it. A few entries: the web recomputes one authority at a time.
_CORE_SQL = {}
_CORE_SQL_ENTRIES = 256


def connect(url):
    if url.startswith("duckdb:///"):
        path = url[len("duckdb:///"):]
        return ibis.duckdb.connect(path, read_only=Path(path).exists(), memory_limit=DUCKDB_MEMORY_LIMIT)
    if url.startswith("duckdb:"):
        return ibis.duckdb.connect(memory_limit=DUCKDB_MEMORY_LIMIT)
    # The store's queries join whole tables on (la, year, child, episode) after filtering each by a collection
    # year worked out per row, which PostgreSQL cannot estimate: it guessed 35 rows for 52,000 episodes and
    # chose nested loops, and the referral findings of one authority took 44 s (0.19 s with hash joins; the
    # import's figures 71 s, now 1.0 s). Every query of the engine is an analytical scan, so nested loops are off
    # for its connection only; the application's own connection is untouched (docs/benchmarks.md, issue 19).
    return ibis.connect(url.replace("postgresql://", "postgres://", 1), options="-c enable_nestloop=off")


def percent(numerator, denominator):
    return None if not denominator else numerator * 100 / denominator


class Engine:
    def __init__(self, url, schema, con=None, tables=None):
        """`tables`: definitions.Tables already made on `con` (a pool's Parquet files: engine/pool.py)."""
        self.con = con or connect(url)
        self.schema = schema
        self.dialect = self.con.name
        # The store's own tables (not a pool's views) are made when first needed: core() may not need them.
        self._own_tables = tables is None
        self._tables = tables
        self._ready = None

    @property
    def tables(self):
        """definitions.Tables of the store, or None when the store has none yet."""
        if self._tables is None and self._own_tables and self.ready():
            self._tables = d.Tables(self.con, self.schema)
        return self._tables

    def ready(self):
        if self._ready is None:
            try:
                self._ready = "cin_episodes" in self.con.list_tables(database=self.schema)
            except Exception:
                self._ready = False
        return self._ready

    def close(self):
        disconnect = getattr(self.con, "disconnect", None)
        if disconnect:
            disconnect()

    def sql(self, code):
        indicator = d.BY_CODE[code]
        if indicator.measure is None:
            raise ValueError(f"{code} is worked out from {indicator.numerator} and {indicator.denominator}")
        return ibis.to_sql(d.indicator_expr(self.tables, indicator), dialect=self.dialect)

    def core(self, las=None, years=None):
        """{(la, year): {indicator: value}} for every counted indicator and the percentages built on them."""
        if self._own_tables and self.dialect in ("duckdb", "postgres"):
            if not self.ready():
                return {}
            key = (self.dialect, self.schema, tuple(las or ()), tuple(years or ()))
            sql = _CORE_SQL.get(key)
            if sql is None:
                sql = _CORE_SQL[key] = str(self.con.compile(self._core_expr(las, years)))
                while len(_CORE_SQL) > _CORE_SQL_ENTRIES:
                    _CORE_SQL.pop(next(iter(_CORE_SQL)), None)
            rows = self._fetch(sql)
        else:
            if self.tables is None:
                return {}
            frame = self._core_expr(las, years).execute()
            rows = frame[["la", "year", "value", "indicator"]].itertuples(index=False)
        result = defaultdict(dict)
        for la, year, value, indicator in rows:
            result[(la, int(year))][indicator] = int(value)
        for values in result.values():
            for indicator in d.COUNTED:
                values.setdefault(indicator.code, 0)
            for indicator in d.INDICATORS:
                if indicator.unit == "percent":
                    values[indicator.code] = percent(values[indicator.numerator], values[indicator.denominator])
        return dict(result)

    def _core_expr(self, las, years):
        expr = d.core_expr(self.tables)
        if las:
            expr = expr.filter(expr.la.isin(list(las)))
        if years:
            expr = expr.filter(expr.year.isin(list(years)))
        # The columns in a known order: the rows are read as tuples.
        return expr.select("la", "year", "value", "indicator")

    def _fetch(self, sql):
        """Every row of `sql` as tuples, straight from the driver (no DataFrame: 14,000 small rows at most)."""
        if self.dialect == "duckdb":
            return self.con.con.execute(sql).fetchall()
        with self.con.raw_sql(sql) as cursor:
            return cursor.fetchall()

    def decision_points_frame(self, las=None, years=None):
        """The rows of ``definitions.decision_points_expr``: children at each point per cell of groups."""
        expr = d.decision_points_expr(self.tables)
        if las:
            expr = expr.filter(expr.la.isin(list(las)))
        if years:
            expr = expr.filter(expr.year.isin(list(years)))
        # Through Arrow: Ibis's own conversion to pandas took a third of the time on the national store (0.45 s
        # of CPU for 170,474 rows, docs/benchmarks.md).
        return expr.to_pyarrow().to_pandas()

    def decision_points(self, las=None, years=None):
        """{(la, year): {(dimension, group): {point: children}}} (``definitions.roll_up``); {} without a store."""
        if self.tables is None:
            return {}
        return d.roll_up(self.decision_points_frame(las, years))

    def at(self, code, day, la=None):
        """A stock indicator on any day (e.g. plans open on 31 December 2021): {la: value}."""
        indicator = d.BY_CODE[code]
        expr = d.stock_expr(self.tables, indicator.measure, day)
        return self._by_la(expr, la)

    def over(self, code, start, end, la=None):
        """A flow indicator over any period, each return contributing the part inside its year: {la: value}."""
        indicator = d.BY_CODE[code]
        expr = d.flow_expr(self.tables, indicator.measure, start, end)
        years = range(financial_year(start), financial_year(end) + 1)
        expr = expr.filter(expr.year.isin(list(years)))
        return self._by_la(expr, la)

    def _by_la(self, expr, la):
        if la:
            expr = expr.filter(expr.la == la)
        totals = defaultdict(int)
        for row_la, value in expr.execute()[["la", "value"]].itertuples(index=False):
            totals[row_la] += int(value)
        return dict(totals)

    def referral_sources(self, la, year):
        e = d.referral_sources_expr(self.tables)
        frame = e.filter((e.la == la) & (e.year == year)).execute()
        return {row.referral_source: int(row.value) for row in frame.itertuples()}

    def factor_groups(self, la, year, groups):
        e = d.factor_group_expr(self.tables, groups)
        frame = e.filter((e.la == la) & (e.year == year)).execute()
        found = {row.group: int(row.value) for row in frame.itertuples()}
        return {name: found.get(name, 0) for name in groups}

    def referral_findings(self, la, year, groups=None):
        """{referral source: {"referrals": n, "assessed": n, "domestic_abuse": n, "group:<name>": n}} for one year:
        the year's referrals from each source, those with a completed assessment in their episode, and of these
        those that found domestic abuse and each group's factors (``definitions.referral_findings_expr``)."""
        e = d.referral_findings_expr(self.tables, groups)
        frame = e.filter((e.la == la) & (e.year == year)).execute()
        return _findings(frame.itertuples(), groups).get(year, {})

    def cooccurrence(self, la, focus, others, start, end):
        e = d.cooccurrence_expr(self.tables, focus, others, start, end)
        frame = e.filter(e.la == la).execute()
        if frame.empty:
            return 0, 0
        row = frame.iloc[0]
        return int(row["children"]), int(row["with_other"] or 0)

    def categories(self, la, year):
        e = d.categories_expr(self.tables)
        frame = e.filter((e.la == la) & (e.year == year)).execute()
        return {row.initial_category: int(row.value) for row in frame.itertuples()}

    def details(self, la, groups):
        """Everything beyond the table, every year of one authority: [(year, indicator, numerator, denominator)].

        The denominators are filled in by the caller from the core counts (referrals for sources, plan starts
        for categories, completed assessments for factor groups); timeliness carries its own."""
        rows = []
        e = d.referral_sources_expr(self.tables)
        for r in e.filter(e.la == la).execute().itertuples():
            rows.append((int(r.year), f"referral_source:{r.referral_source}", int(r.value), None))
        e = d.categories_expr(self.tables)
        for r in e.filter(e.la == la).execute().itertuples():
            rows.append((int(r.year), f"initial_category:{r.initial_category}", int(r.value), None))
        if groups:
            e = d.factor_group_expr(self.tables, groups)
            for r in e.filter(e.la == la).execute().itertuples():
                rows.append((int(r.year), f"factor_group:{r.group}", int(r.value), None))
        e = d.referral_findings_expr(self.tables, groups)
        for year, sources in _findings(e.filter(e.la == la).execute().itertuples(), groups).items():
            for source, found in sources.items():
                rows.append((year, f"source_assessed:{source}", found["assessed"], found["referrals"]))
                rows.append((year, f"source_domestic_abuse:{source}", found["domestic_abuse"], found["assessed"]))
                for name in groups or {}:
                    rows.append((year, f"source_group:{source}:{name}", found[f"group:{name}"], found["assessed"]))
        years = [y for (y,) in self.tables.episodes.filter(self.tables.episodes.la == la).select("year").distinct()
                 .execute().itertuples(index=False)]
        if years:
            calendar = ibis.memtable(pd.DataFrame(
                working_day_index(datetime.date(min(years) - 4, 1, 1), datetime.date(max(years) + 1, 12, 31)),
                columns=["day", "n"]))
            e = d.timeliness_expr(self.tables, calendar)
            for r in e.filter(e.la == la).execute().itertuples():
                rows.append((int(r.year), r.measure, int(r.on_time or 0), int(r.total)))
        return rows

    def timeliness(self, la, year):
        first = datetime.date(year - 3, 1, 1)
        last = datetime.date(year + 1, 12, 31)
        calendar = ibis.memtable(pd.DataFrame(working_day_index(first, last), columns=["day", "n"]))
        e = d.timeliness_expr(self.tables, calendar)
        frame = e.filter((e.la == la) & (e.year == year)).execute()
        return {row.measure: (int(row.on_time or 0), int(row.total)) for row in frame.itertuples()}


def _findings(rows, groups):
    """{year: {source: {measure: n}}} from rows of ``referral_findings_expr``, every measure there (0 when none)."""
    measures = ["referrals", "assessed", "domestic_abuse"] + [f"group:{name}" for name in groups or {}]
    found = {}
    for r in rows:
        source = found.setdefault(int(r.year), {}).setdefault(r.referral_source, dict.fromkeys(measures, 0))
        source[r.measure] = int(r.value)
    return found
