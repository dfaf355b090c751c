"""The analytical store of child-level returns: a DuckDB file by default, PostgreSQL when configured.

An import replaces one authority's return for one year in a single transaction: the old rows are
deleted and the new ones written in batches; if anything fails, or the process dies, nothing of the
new return is visible and the old one is still there.
"""
import contextlib
import datetime
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import pyarrow as pa
from django.conf import settings

D, T, I, B = "DATE", "TEXT", "INTEGER", "BOOLEAN"
KEY = [("la", T), ("year", I)]

# Table -> columns. Only what the indicators and the quality checks need: no names, no postcodes,
# no raw identifiers, birth dates kept to the month.
TABLES = {
    "cin_children": KEY + [("child_id", T), ("upn_id", T), ("sex", T), ("birth_month", D), ("ethnicity", T),
                           ("disabled", B), ("death_date", D), ("expected_birth", B), ("upn_unknown", T),
                           ("first_referral", D), ("furthest_point", I), ("looked_after", B)],
    "cin_episodes": KEY + [("child_id", T), ("episode", I), ("referral_date", D), ("referral_source", T),
                           ("primary_need", T), ("closure_date", D), ("closure_reason", T), ("referral_nfa", B),
                           ("icpc_date", D), ("previous_referral_date", D)],
    "cin_assessments": KEY + [("child_id", T), ("episode", I), ("assessment", I), ("start_date", D),
                              ("authorisation_date", D)],
    "cin_assessment_factors": KEY + [("child_id", T), ("episode", I), ("assessment", I), ("factor", T)],
    "cin_plan_dates": KEY + [("child_id", T), ("episode", I), ("start_date", D), ("end_date", D)],
    "cin_s47": KEY + [("child_id", T), ("episode", I), ("enquiry", I), ("start_date", D), ("icpc_target_date", D),
                      ("icpc_date", D), ("icpc_not_required", B)],
    "cin_plans": KEY + [("child_id", T), ("episode", I), ("plan", I), ("start_date", D), ("end_date", D),
                        ("initial_category", T), ("latest_category", T), ("previous_plans", I)],
    "cin_plan_reviews": KEY + [("child_id", T), ("episode", I), ("plan", I), ("review_date", D)],
    "lac_children": KEY + [("child_id", T), ("upn_id", T), ("sex", T), ("birth_month", D), ("ethnicity", T),
                           ("mother", B)],
    "lac_episodes": KEY + [("child_id", T), ("episode", I), ("start_date", D), ("reason_new", T),
                           ("legal_status", T), ("category_of_need", T), ("placement", T), ("provider", T),
                           ("end_date", D), ("reason_end", T), ("reason_place_change", T)],
}
# Columns added after stores were first made: how an existing store fills each one in when it gains it.
# previous_referral_date is the child's latest earlier referral in the same return (worked out at import, so
# re-referrals are a filter rather than a self-join of every episode: docs/benchmarks.md, national engine).
BACKFILL = {
    ("cin_episodes", "previous_referral_date"):
        "UPDATE {table} AS e SET previous_referral_date = (SELECT max(p.referral_date) FROM {table} AS p "
        "WHERE p.la = e.la AND p.year = e.year AND p.child_id = e.child_id AND p.referral_date < e.referral_date)",
}
# cin_children.first_referral and furthest_point: the child's first referral of the return's year and the furthest
# decision point any of the year's referrals reached in its own episode (0 referred, 1 assessed, 2 Section 47
# enquiry, 3 initial conference, 4 plan; each through the one before), counting what the return records up to
# 31 March; both empty for a child not referred in the year. Worked out as each CIN return is loaded, so the
# decision points (ADR 0028) are a group-by of the children instead of joins of every episode's events
# (docs/benchmarks.md, "Decision points at national scale"). The definition is the engine's
# (indicators/engine/definitions.py, referral_points_expr); a test checks the two agree.
REFERRAL_POINTS = """UPDATE {children} AS k SET first_referral = r.first_referral, furthest_point = r.furthest_point
FROM (SELECT e.la, e.year, e.child_id, min(e.referral_date) AS first_referral, max(CASE
        WHEN NOT EXISTS (SELECT 1 FROM {assessments} AS a WHERE a.la = e.la AND a.year = e.year
            AND a.child_id = e.child_id AND a.episode = e.episode AND a.authorisation_date <= make_date(e.year, 3, 31))
            THEN 0
        WHEN NOT EXISTS (SELECT 1 FROM {s47} AS s WHERE s.la = e.la AND s.year = e.year AND s.child_id = e.child_id
            AND s.episode = e.episode AND s.start_date <= make_date(e.year, 3, 31)) THEN 1
        WHEN NOT (e.icpc_date IS NOT NULL AND e.icpc_date <= make_date(e.year, 3, 31) OR EXISTS (
            SELECT 1 FROM {s47} AS s WHERE s.la = e.la AND s.year = e.year AND s.child_id = e.child_id
            AND s.episode = e.episode AND s.start_date <= make_date(e.year, 3, 31)
            AND s.icpc_date <= make_date(e.year, 3, 31))) THEN 2
        WHEN NOT EXISTS (SELECT 1 FROM {plans} AS p WHERE p.la = e.la AND p.year = e.year
            AND p.child_id = e.child_id AND p.episode = e.episode AND p.start_date <= make_date(e.year, 3, 31))
            THEN 3
        ELSE 4 END) AS furthest_point
    FROM {episodes} AS e
    WHERE e.referral_date BETWEEN make_date(e.year - 1, 4, 1) AND make_date(e.year, 3, 31)
        AND e.la = ? AND e.year = ?
    GROUP BY e.la, e.year, e.child_id) AS r
WHERE k.la = r.la AND k.year = r.year AND k.child_id = r.child_id"""

# cin_children.looked_after: a child referred in the year started a period of care (not short breaks, V3/V4) in the
# year on or after that first referral, as the SSDA903 return of the same authority and year records it; empty for a
# child not referred. Worked out again when either return is loaded (the join of every referred child to the care
# starts was a third of the decision points' time on the national store).
LOOKED_AFTER = """UPDATE {children} AS k SET looked_after = EXISTS (SELECT 1 FROM {lac} AS l
    WHERE l.la = k.la AND l.year = k.year AND l.child_id = k.child_id AND l.reason_new = 'S'
    AND l.legal_status NOT IN ('V3', 'V4') AND l.start_date BETWEEN make_date(l.year - 1, 4, 1)
    AND make_date(l.year, 3, 31) AND l.start_date >= k.first_referral)
WHERE k.first_referral IS NOT NULL AND k.la = ? AND k.year = ?"""


def derived_sql(table, kind):
    """The UPDATEs of the columns a return of `kind` changes (REFERRAL_POINTS, LOOKED_AFTER) on the store's tables
    (`table`: name -> qualified name), each for one return: its la and year are the two parameters."""
    looked_after = LOOKED_AFTER.format(children=table("cin_children"), lac=table("lac_episodes"))
    referral_points = REFERRAL_POINTS.format(
        children=table("cin_children"), assessments=table("cin_assessments"), s47=table("cin_s47"),
        plans=table("cin_plans"), episodes=table("cin_episodes"))
    return [referral_points, looked_after] if kind == "cin" else [looked_after]


# cin_children.expected_birth (an expected date of birth given: an unborn child) and upn_unknown (the code saying why
# a child has no UPN, UN1-UN7) are read by the DfE rules 8525Q, 8750, 2886Q, 8770Q and 8772 (cin_rules.py), which run
# as a return is loaded. They cannot be worked out from what an earlier version stored: a store gains them empty,
# and a return has them once it is imported again.
REGISTRY = "returns_loaded"
REGISTRY_COLUMNS = KEY + [("kind", T), ("loaded_at", "TIMESTAMP"), ("source", T), ("sha256", T), ("counts", T)]
KIND_TABLES = {"cin": [t for t in TABLES if t.startswith("cin_")], "ssda903": [t for t in TABLES if t.startswith("lac_")]}

# Arrow's default allocator keeps freed batches for reuse, so a long import's memory would only grow;
# the system allocator hands them back.
pa.set_memory_pool(pa.system_memory_pool())

ARROW_TYPES = {D: pa.date32(), T: pa.string(), I: pa.int32(), B: pa.bool_()}
# Columns the store works out itself once the rows are written (derived_sql); the importer's rows have the others.
DERIVED = {("cin_children", "first_referral"), ("cin_children", "furthest_point"), ("cin_children", "looked_after")}
WRITTEN = {name: [(c, t) for c, t in columns if (name, c) not in DERIVED] for name, columns in TABLES.items()}
ARROW_STRUCTS = {name: pa.struct([pa.field(c, ARROW_TYPES[t]) for c, t in columns])
                 for name, columns in WRITTEN.items()}
BATCH_ROWS = 10_000
# DuckDB keeps a transaction's new rows in memory up to this limit, then spills to disk: an import of a
# large return stays within it instead of growing with the file.
DUCKDB_MEMORY_LIMIT = "64MB"
# An import's own connection: it holds up to a row group (122,880 rows) of each table it writes until DuckDB
# writes the group out, about 50 MB for the eight CIN tables at 64 MB; with less, more of that waits on disk
# and a large return needs little more memory than a small one, at no measurable cost in time.
DUCKDB_IMPORT_MEMORY_LIMIT = "32MB"


def kind_prefix(kind):
    return "cin" if kind == "cin" else "lac"


class StoreError(Exception):
    pass


class StoreBusy(StoreError):
    """DuckDB lets one process write at a time: another process is importing a return."""


def default_url():
    configured = getattr(settings, "ANALYTICS_URL", "")
    if configured:
        return configured
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("postgresql"):
        return "postgresql://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**{
            k: database.get(k) or "" for k in ("USER", "PASSWORD", "HOST", "PORT", "NAME")})
    return f"duckdb:///{settings.VAR_DIR / 'analytics.duckdb'}"


@dataclass
class LoadedReturn:
    la: str
    year: int
    kind: str
    loaded_at: datetime.datetime
    source: str
    sha256: str
    counts: dict


class AnalyticalStore:
    """One store, addressed by URL: duckdb:///path/file.duckdb or postgresql://…; tables live in `schema`."""

    def __init__(self, url=None, schema=None):
        self.url = url or default_url()
        schema = schema or settings.ANALYTICS_SCHEMA
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", schema):
            raise StoreError(f"Invalid schema name {schema!r}")
        self.schema = schema
        self.kind = "duckdb" if self.url.startswith("duckdb:") else "postgres"
        self.last_replaced = None  # set by replacing(): the return the latest import replaced, if any

    # -- connections -------------------------------------------------------------------------
    @property
    def duckdb_path(self):
        return self.url[len("duckdb:///"):] if self.url.startswith("duckdb:///") else ":memory:"

    @contextlib.contextmanager
    def connection(self, read_only=False, wait=0):
        """A connection; while another process imports into a DuckDB store, wait up to `wait` seconds for it
        (the one place the store's lock is waited for), then raise StoreBusy."""
        if self.kind == "duckdb":
            import duckdb

            deadline = time.monotonic() + wait
            while True:
                try:
                    con = duckdb.connect(self.duckdb_path, read_only=read_only and self._exists(),
                                         config={"memory_limit": DUCKDB_MEMORY_LIMIT})
                    break
                except duckdb.IOException as error:
                    if "lock" not in str(error).lower():
                        raise
                    if time.monotonic() >= deadline:
                        raise StoreBusy(f"The store of returns ({self.duckdb_path}) is busy with an import"
                                        + (f" and stayed busy for {wait} seconds" if wait else "")
                                        + "; try again when the import has finished.") from None
                    time.sleep(1)
            try:
                yield con
            finally:
                con.close()
        else:
            import psycopg

            con = psycopg.connect(self.url.replace("postgresql+psycopg://", "postgresql://"), autocommit=False)
            try:
                yield con
            finally:
                con.close()

    def _exists(self):
        return Path(self.duckdb_path).exists()

    def table(self, name):
        return f"{self.schema}.{name}"

    def ensure_schema(self, con):
        statements = [f"CREATE SCHEMA IF NOT EXISTS {self.schema}"]
        for name, columns in list(TABLES.items()) + [(REGISTRY, REGISTRY_COLUMNS)]:
            cols = ", ".join(f"{c} {t}" for c, t in columns)
            statements.append(f"CREATE TABLE IF NOT EXISTS {self.table(name)} ({cols})")
        if self.kind == "duckdb":
            for statement in statements:
                con.execute(statement)
            self._add_new_columns(con)
        else:
            with con.cursor() as cur:
                for statement in statements:
                    cur.execute(statement)
                for name in TABLES:
                    cur.execute(f"CREATE INDEX IF NOT EXISTS {name}_la_year ON {self.table(name)} (la, year)")
            self._add_new_columns(con)
            con.commit()

    def _add_new_columns(self, con):
        """Bring a store made by an earlier version up to TABLES: add each missing column and fill it in."""
        added = []
        # One query for every table: a query a table cost each import about 0.02 s of CPU (DuckDB, 10 tables).
        existing = {}
        for table, column in self._fetch(
                con, "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = ?",
                (self.schema,)):
            existing.setdefault(table, set()).add(column)
        for name, columns in TABLES.items():
            present = existing.get(name, set())
            for column, kind in columns:
                if column not in present:
                    self._execute(con, f"ALTER TABLE {self.table(name)} ADD COLUMN {column} {kind}")
                    if (name, column) in BACKFILL:
                        self._execute(con, BACKFILL[name, column].format(table=self.table(name)))
                    added.append(f"{name}.{column}")
        if {f"{table}.{column}" for table, column in DERIVED} & set(added):
            # Return by return, as an import does it: the whole national store at once outgrows the store's
            # memory limit (64 MB).
            updates = derived_sql(self.table, "cin")
            for la, year in self._fetch(con, f"SELECT DISTINCT la, year FROM {self.table('cin_children')}"):
                for update in updates:
                    self._execute(con, update, (la, year))
        return added

    def upgrade(self):
        """Add the columns a store made by an earlier version lacks (run after `migrate`); [] if none or no store."""
        if self.kind == "duckdb" and not self._exists():
            return []
        with self.connection() as con:
            if not _Reader(self, con).ready:
                return []
            if self.kind == "duckdb":
                con.execute("BEGIN TRANSACTION")
            try:
                added = self._add_new_columns(con)
            except BaseException:
                con.rollback()
                raise
            con.commit()
            return added

    # -- writing -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def replacing(self, *, la, year, kind, source, sha256):
        """Replace one authority's return of one kind for one year, all or nothing."""
        with self.connection() as con:
            self.ensure_schema(con)
            writer = _Writer(self, con)
            if self.kind == "duckdb":
                con.execute(f"SET memory_limit = '{DUCKDB_IMPORT_MEMORY_LIMIT}'")
                # Appending batches of 10,000 rows gains nothing from DuckDB's worker threads and loses to their
                # coordination: the national SSDA903 rows took 0.27 s of CPU on one thread, 0.42-0.6 s on two.
                con.execute("SET threads = 1")
                con.execute("BEGIN TRANSACTION")
            try:
                # What this replaces, so the import can say so (a short file replacing a whole year is worth a look).
                previous = self._fetch(con, f"SELECT loaded_at, source, counts FROM {self.table(REGISTRY)} "
                                            "WHERE la = ? AND year = ? AND kind = ?", (la, year, kind))
                self.last_replaced = writer.replaced = {
                    "loaded_at": previous[0][0].isoformat(), "source": previous[0][1],
                    "children": json.loads(previous[0][2]).get(f"{kind_prefix(kind)}_children", 0)} if previous else None
                for name in KIND_TABLES[kind]:
                    self._execute(con, f"DELETE FROM {self.table(name)} WHERE la = ? AND year = ?", (la, year))
                self._execute(con, f"DELETE FROM {self.table(REGISTRY)} WHERE la = ? AND year = ? AND kind = ?",
                              (la, year, kind))
                yield writer
                writer.flush_all()
                for update in derived_sql(self.table, kind):
                    self._execute(con, update, (la, year))
                self._execute(con, f"INSERT INTO {self.table(REGISTRY)} VALUES (?, ?, ?, ?, ?, ?, ?)",
                              (la, year, kind, datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None),
                               source, sha256, json.dumps(writer.counts)))
            except BaseException:
                con.rollback()
                raise
            else:
                con.commit()

    def _fetch(self, con, sql, params=()):
        if self.kind == "duckdb":
            return con.execute(sql, params).fetchall()
        with con.cursor() as cur:
            cur.execute(sql.replace("?", "%s"), params)
            return cur.fetchall()

    def _execute(self, con, sql, params=()):
        if self.kind == "duckdb":
            con.execute(sql, params)
        else:
            with con.cursor() as cur:
                cur.execute(sql.replace("?", "%s"), params)

    # -- reading -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def reader(self):
        """One connection for several read-only queries."""
        with self.connection(read_only=True) as con:
            yield _Reader(self, con)

    def query(self, sql, params=()):
        """Rows of a read-only query; `{schema}` in the SQL names the store's schema."""
        with self.reader() as reader:
            return reader.query(sql, params)

    def loaded_returns(self, la=None):
        sql = f"SELECT la, year, kind, loaded_at, source, sha256, counts FROM {{schema}}.{REGISTRY}"
        params = ()
        if la:
            sql += " WHERE la = ?"
            params = (la,)
        rows = self.query(sql + " ORDER BY la, year, kind", params)
        return [LoadedReturn(*row[:6], json.loads(row[6])) for row in rows]

    def row_counts(self, la, year, kind):
        with self.reader() as reader:
            return {name: reader.query(f"SELECT count(*) FROM {{schema}}.{name} WHERE la = ? AND year = ?",
                                       (la, year))[0][0] for name in KIND_TABLES[kind]}

    # -- backup and restore (core/backups.py) -----------------------------------------------------
    def postgres_params(self):
        """Connection parameters of a PostgreSQL store, as psycopg and pg_dump take them."""
        parts = urlparse(self.url.replace("postgresql+psycopg://", "postgresql://"))
        return {"host": parts.hostname or "", "port": str(parts.port or ""), "user": unquote(parts.username or ""),
                "password": unquote(parts.password or ""), "dbname": parts.path.lstrip("/")}

    def exists(self):
        """Whether there is a store here at all: its DuckDB file, or tables in its PostgreSQL schema."""
        return self._exists() if self.kind == "duckdb" else bool(self.count())

    def describe(self):
        """Where the store is, in words, for messages."""
        return self.duckdb_path if self.kind == "duckdb" else f"schema {self.schema}"

    def count(self):
        """{"schema.table": rows} of every table of the store ({} when there is none): what a backup records and
        a restore is checked against."""
        if self.kind == "duckdb" and not self._exists():
            return {}
        with self.connection(read_only=True) as con:
            return self._count(con)

    def _count(self, con):
        if self.kind == "duckdb":  # the whole file is the store
            tables = con.execute("SELECT table_schema, table_name FROM information_schema.tables "
                                 "WHERE table_type = 'BASE TABLE' ORDER BY 1, 2").fetchall()
            return {f"{s}.{t}": con.execute(f'SELECT count(*) FROM "{s}"."{t}"').fetchone()[0] for s, t in tables}
        from psycopg import sql

        counts = {}
        for (table,) in self._fetch(con, "SELECT table_name FROM information_schema.tables WHERE table_type = "
                                         "'BASE TABLE' AND table_schema = ? ORDER BY 1", (self.schema,)):
            query = sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(self.schema), sql.Identifier(table))
            counts[f"{self.schema}.{table}"] = con.execute(query).fetchone()[0]
        con.rollback()
        return counts

    def export(self, folder, *, wait):
        """Write a DuckDB store to `folder` (DuckDB's EXPORT DATABASE: schema and Parquet) under its read lock, so
        no import writes meanwhile, waiting up to `wait` seconds for one that is running. Returns the row counts,
        taken under the same lock, or None when there is no store yet. (A PostgreSQL store is dumped with the
        database it is in, by pg_dump.)"""
        if self.kind != "duckdb":
            raise StoreError("export() writes a DuckDB store; a PostgreSQL store is dumped by pg_dump")
        if not self._exists():
            return None
        with self.connection(read_only=True, wait=wait) as con:
            con.execute("RESET memory_limit")  # the export is not held to the limit set for the pages' queries
            con.execute(f"EXPORT DATABASE '{folder}' (FORMAT PARQUET)")
            return self._count(con)

    def restore(self, folder):
        """Build a DuckDB store from an export (`folder`, or None for an empty store) in a new file beside this
        one, leaving this one as it is until `install()` is called on what this returns."""
        if self.kind != "duckdb":
            raise StoreError("restore() rebuilds a DuckDB store; a PostgreSQL store is restored by pg_restore")
        return _PreparedRestore(self, folder)

    def drop(self):
        """Remove the whole schema (tests)."""
        with self.connection() as con:
            if self.kind == "duckdb":
                con.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")
            else:
                with con.cursor() as cur:
                    cur.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")
                con.commit()


class _PreparedRestore:
    """A DuckDB store rebuilt from an export beside the live file: `counts`, then `install()` or `discard()`."""

    def __init__(self, store, folder):
        import duckdb

        self.target = Path(store.duckdb_path)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.partial, self.counts = None, {}
        if folder is None:
            return
        descriptor, partial = tempfile.mkstemp(dir=self.target.parent, prefix=f".{self.target.name}.",
                                               suffix=".partial")
        os.close(descriptor)
        os.unlink(partial)  # DuckDB creates the file itself
        self.partial = Path(partial)
        try:
            con = duckdb.connect(partial)
            try:
                con.execute(f"IMPORT DATABASE '{folder}'")
                con.execute("CHECKPOINT")
                self.counts = store._count(con)
            finally:
                con.close()
        except BaseException:
            self.discard()
            raise

    def install(self):
        Path(f"{self.target}.wal").unlink(missing_ok=True)  # the old file's log must not be replayed into the new one
        if self.partial is None:
            self.target.unlink(missing_ok=True)
        else:
            os.replace(self.partial, self.target)

    def discard(self):
        if self.partial is not None:
            self.partial.unlink(missing_ok=True)
            Path(f"{self.partial}.wal").unlink(missing_ok=True)


class _Reader:
    def __init__(self, store, con):
        self.store, self.con = store, con
        self.ready = self._has_tables()

    def _has_tables(self):
        if self.store.kind == "duckdb":
            return bool(self.con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
                (self.store.schema, REGISTRY)).fetchone()[0])
        with self.con.cursor() as cur:
            cur.execute(f"SELECT to_regclass('{self.store.schema}.{REGISTRY}')")
            return cur.fetchone()[0] is not None

    def query(self, sql, params=()):
        if not self.ready:
            return []  # nothing loaded yet
        return self.store._fetch(self.con, sql.replace("{schema}", self.store.schema), params)


class _Writer:
    """Buffers rows per table and writes them in batches inside the open transaction."""

    def __init__(self, store, con):
        self.store, self.con = store, con
        self.buffers = {name: [] for name in TABLES}
        self.counts = {}

    def add(self, table, row):
        buffer = self.buffers[table]
        buffer.append(row)
        if len(buffer) >= BATCH_ROWS:
            self.flush(table)

    def flush(self, table):
        rows = self.buffers[table]
        if not rows:
            return
        self.counts[table] = self.counts.get(table, 0) + len(rows)
        names = ", ".join(c for c, _ in WRITTEN[table])
        if self.store.kind == "duckdb":
            # The row tuples become one struct array, then a table. (Not zip(*rows) into columns: that holds an
            # iterator per row, and a garbage collection meanwhile promotes them all, bringing on full
            # collections of the whole process.)
            incoming_batch = pa.Table.from_batches([pa.RecordBatch.from_struct_array(
                pa.array(rows, type=ARROW_STRUCTS[table]))])
            # DuckDB reads the Arrow table by its name, a local variable of this function (a replacement scan:
            # DuckDB looks in the frame that calls execute). Not con.register: a view registered and
            # unregistered inside the transaction is kept, with its batch, until the commit, so memory grew
            # with the return (+97 MB over 1M rows).
            self.con.execute(f"INSERT INTO {self.store.table(table)} ({names}) SELECT * FROM incoming_batch")
            del incoming_batch
        else:
            with self.con.cursor() as cur:
                with cur.copy(f"COPY {self.store.table(table)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        self.buffers[table] = []

    def flush_all(self):
        for table in TABLES:
            self.flush(table)
