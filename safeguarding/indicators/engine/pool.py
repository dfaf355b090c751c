"""A pool: the analytical store's tables as Parquet, partitioned by authority and year, that DuckDB and Spark both read.

    POOL/_pool.json                                   the manifest (POOL_FORMAT, key fingerprint, returns, rows)
    POOL/cin_episodes/la=210/year=2021/part-0.parquet one folder per table, Hive-style partitions
    ...

Child identifiers in a pool are the store's pseudonyms (HMAC-SHA256 under the system's key; returns/identifiers.py).
Pseudonyms made under two keys never match, so joining them would silently count one child as two (or two as
one when a collision is engineered): a pool names its key by a fingerprint (an HMAC of a fixed text under the key,
which reveals nothing of the key), and reading several pools together, or importing one into a store, refuses
when the fingerprints differ (ADR 0030).

Pure Python, pyarrow and Ibis, like the rest of the engine: no Django, and pyspark only when a Spark session is
handed in.
"""
import datetime
import json
from pathlib import Path

import ibis
import pyarrow as pa
import pyarrow.dataset as ds

from safeguarding.indicators.engine.definitions import Tables

POOL_FORMAT = 1
MANIFEST = "_pool.json"
PARTITIONS = ("la", "year")
# The tables the engine reads (definitions.Tables) and every other table of the store, by name; the pool carries
# them all, so that a pool imported into a store gives back the store.
ARROW_TYPES = {"DATE": pa.date32(), "TEXT": pa.string(), "INTEGER": pa.int32(), "BOOLEAN": pa.bool_()}


class PoolError(Exception):
    pass


class KeysDiffer(PoolError):
    """Two pools, or a pool and a store, whose child pseudonyms were made under different keys."""


def arrow_schema(columns):
    return pa.schema([pa.field(name, ARROW_TYPES[kind]) for name, kind in columns])


def remote(folder):
    """A folder only the cluster reaches (s3://, gs://, abfss://, hdfs://…): Spark reads it, not this process."""
    return "://" in str(folder)


def read_manifest(folder, read_text=None):
    """The pool's manifest; `read_text(path)` reads it where `folder` is remote (Spark's file systems)."""
    if remote(folder):
        if read_text is None:
            raise PoolError(f"{folder} is read by Spark only: use --backend spark")
        manifest = json.loads(read_text(f"{str(folder).rstrip('/')}/{MANIFEST}"))
    else:
        path = Path(folder) / MANIFEST
        if not path.is_file():
            raise PoolError(f"{folder} is not a pool: it has no {MANIFEST}")
        manifest = json.loads(path.read_text())
    if manifest.get("format") != POOL_FORMAT:
        raise PoolError(f"{folder} is a pool of format {manifest.get('format')!r}; this system reads format "
                        f"{POOL_FORMAT}")
    return manifest


def same_key(manifests, expected=None):
    """The one key fingerprint of several pools (and `expected`, the store's, if given); KeysDiffer if they differ."""
    named = [(m["folder"], m["key_fingerprint"]) for m in manifests]
    if expected is not None:
        named.append(("this system's store", expected))
    fingerprints = {fingerprint for _, fingerprint in named}
    if len(fingerprints) > 1:
        listed = "; ".join(f"{where}: {fingerprint}" for where, fingerprint in named)
        raise KeysDiffer("These child identifiers were pseudonymised under different keys, so the same child would "
                         f"not match across them and the figures would be wrong ({listed}). Pool returns "
                         "pseudonymised under one shared key (CHILD_ID_HASH_KEY), or re-import the returns under "
                         "it.")
    return fingerprints.pop() if fingerprints else expected


def export(con, schema, tables, folder, *, key_fingerprint, returns=(), batch_rows=250_000):
    """Write every table of the store (an Ibis connection `con`, tables in `schema`; `tables` is {name: [(column,
    type)]}) to `folder` as a pool, with its manifest. Returns {table: rows}. `returns` are the store's loaded
    returns (dicts), carried in the manifest so that an import can register them."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise PoolError(f"{folder} is not empty: a pool is written to a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    rows = {}
    for name, columns in tables.items():
        schema_ = arrow_schema(columns)
        t = con.table(name, database=schema)
        batches = t.select([c for c, _ in columns]).to_pyarrow_batches(chunk_size=batch_rows)
        counted = {"rows": 0}

        def cast(batches=batches, schema_=schema_, counted=counted):
            for batch in batches:
                counted["rows"] += batch.num_rows
                yield pa.RecordBatch.from_arrays([batch.column(c).cast(schema_.field(c).type) for c in schema_.names],
                                                 schema=schema_)

        ds.write_dataset(
            ds.Scanner.from_batches(cast(), schema=schema_), folder / name, format="parquet",
            partitioning=ds.partitioning(pa.schema([schema_.field(p) for p in PARTITIONS]), flavor="hive"),
            basename_template="part-{i}.parquet", existing_data_behavior="error", max_partitions=100_000)
        rows[name] = counted["rows"]
    manifest = {"format": POOL_FORMAT, "key_fingerprint": key_fingerprint,
                "exported_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                "tables": {name: [[c, kind] for c, kind in columns] for name, columns in tables.items()},
                "rows": rows, "returns": list(returns)}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, default=str))
    return rows


def open_pools(folders, read_text=None):
    """The manifests of one or more pools, each with its folder; KeysDiffer if their keys differ."""
    manifests = []
    for folder in folders:
        manifest = read_manifest(folder, read_text)
        manifest["folder"] = str(folder)
        manifests.append(manifest)
    if not manifests:
        raise PoolError("No pool given")
    same_key(manifests)
    return manifests


def table_files(folder, name):
    """Every Parquet file of one table of a pool (an empty table has none)."""
    return sorted(str(p) for p in (Path(folder) / name).rglob("*.parquet"))


def _duckdb_view(con, name, files, columns):
    """A DuckDB view over the files, the partition columns typed as the store types them (not guessed)."""
    if files:
        listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
        hive_types = ", ".join(f"'{c}': {kind if kind != 'TEXT' else 'VARCHAR'}" for c, kind in columns
                               if c in PARTITIONS)
        body = (f"SELECT {', '.join(c for c, _ in columns)} FROM read_parquet([{listed}], hive_partitioning = true, "
                f"hive_types = {{{hive_types}}})")
    else:  # no rows: the same columns, typed
        body = "SELECT " + ", ".join(f"CAST(NULL AS {kind if kind != 'TEXT' else 'VARCHAR'}) AS {c}"
                                     for c, kind in columns) + " WHERE false"
    con.raw_sql(f'CREATE OR REPLACE TEMP VIEW "{name}" AS {body}')


def _spark_view(session, name, manifests, columns):
    """A Spark temporary view over the pools' folders of one table, read with the store's schema (so the
    partition columns are typed as the store types them, not inferred). The folders may be anywhere Spark reads
    (local, HDFS, object stores); a table no pool has rows of is an empty frame of the same columns."""
    from pyspark.sql import types as st

    spark_types = {"DATE": st.DateType(), "TEXT": st.StringType(), "INTEGER": st.IntegerType(),
                   "BOOLEAN": st.BooleanType()}
    schema = st.StructType([st.StructField(c, spark_types[kind]) for c, kind in columns])
    paths = [f"{str(m['folder']).rstrip('/')}/{name}" for m in manifests if m["rows"].get(name)]
    if paths:
        frame = session.read.schema(schema).parquet(*paths)
    else:
        frame = session.createDataFrame([], schema)
    frame.createOrReplaceTempView(name)


def pool_tables(con, folders):
    """definitions.Tables over one or more pools (read together: every authority and year in any of them), on an
    Ibis DuckDB or PySpark connection. Refuses pools whose keys differ."""
    read_text = None
    if con.name == "pyspark":
        session = con._session

        def read_text(path):
            return session.read.text(path, wholetext=True).first()[0]
    manifests = open_pools([f if remote(f) else Path(f) for f in folders], read_text)
    tables = manifests[0]["tables"]
    for manifest in manifests[1:]:
        if manifest["tables"] != tables:
            raise PoolError(f"{manifest['folder']} has other tables or columns than {manifests[0]['folder']}: "
                            "export both with the same version of the system")
    for name, columns in tables.items():
        if con.name == "pyspark":
            _spark_view(con._session, name, manifests, columns)
        elif con.name == "duckdb" and not any(remote(m["folder"]) for m in manifests):
            _duckdb_view(con, name, [f for m in manifests for f in table_files(m["folder"], name)], columns)
        else:
            raise PoolError(f"A pool is read by DuckDB (on this machine's files) or Spark, not {con.name}")
    return Tables(con, None), manifests


def spark_session(master="local[*]", app="partnership-indicators", config=None):
    """A Spark session for the engine (pyspark imported here only: the web service never needs it)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master).appName(app)
    # Dates are calendar dates in the store: no time zone may shift them.
    settings = {"spark.sql.session.timeZone": "UTC", "spark.ui.showConsoleProgress": "false"}
    settings.update(config or {})
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def spark_connect(session):
    return ibis.pyspark.connect(session)


def open_engine(folders, backend="duckdb", master="local[*]", spark_config=None):
    """A run.Engine over one or more pools, on DuckDB (in memory, reading the files) or Spark (`master`: local[*],
    or a cluster's URL such as spark://host:7077), and the pools' manifests."""
    from safeguarding.indicators.engine.run import DUCKDB_MEMORY_LIMIT, Engine

    if backend == "spark":
        con = spark_connect(spark_session(master, config=spark_config))
    elif backend == "duckdb":
        con = ibis.duckdb.connect(memory_limit=DUCKDB_MEMORY_LIMIT)
    else:
        raise PoolError(f"A pool is read by DuckDB or Spark, not {backend}")
    tables, manifests = pool_tables(con, folders)
    return Engine(None, None, con=con, tables=tables), manifests
