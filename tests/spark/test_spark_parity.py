"""The engine on Apache Spark gives every value the engine gives on DuckDB (issue 18, point 3; ADR 0030).

One generated pool of several authorities and years, read by DuckDB and by Spark in local mode through the same
definitions; every core indicator, the figures for any day and period, and everything beyond the table compared
value by value, as the DuckDB-PostgreSQL parity test does. Marked `spark`: pytest.ini deselects these tests
unless `-m spark` is given, which `make test-spark` does (in .ci/run) after installing the spark extra.
"""
import dataclasses
import datetime

import ibis
import pytest
from django.core.management import call_command

from safeguarding.indicators.engine import definitions as d
from safeguarding.indicators.engine import pool
from safeguarding.indicators.engine.run import Engine
from safeguarding.returns.importer import import_return
from safeguarding.returns.store import TABLES, AnalyticalStore

pytestmark = pytest.mark.spark

LAS = ("210", "871", "909")  # three authorities of different sizes
GROUPS = {"Domestic abuse": ["3A", "3B", "3C"], "Neglect": ["16A"]}


@pytest.fixture(scope="session")
def spark():
    # One session for the whole run: starting the JVM is most of a small run's time. Two cores, and few shuffle
    # partitions (Spark's default of 200 costs seconds per query on a pool this size).
    session = pool.spark_session("local[2]", config={
        "spark.sql.shuffle.partitions": "4", "spark.default.parallelism": "2", "spark.ui.enabled": "false"})
    yield pool.spark_connect(session)
    session.stop()


@pytest.fixture(scope="session")
def generated(tmp_path_factory, django_db_blocker):
    """A store of three authorities x two years of generated returns, and its pool."""
    folder = tmp_path_factory.mktemp("spark-pool")
    store = AnalyticalStore(f"duckdb:///{folder / 'store.duckdb'}", schema="child_level")
    with django_db_blocker.unblock():
        for la in LAS:
            call_command("generate_returns", la=la, years="2020-2021", out=str(folder / "returns"), seed=5,
                         scale=0.1)
    for la in LAS:
        for year_dir in sorted((folder / "returns" / la).iterdir()):
            files = sorted(year_dir.iterdir())
            import_return([p for p in files if p.suffix == ".xml"], la=la, store=store)
            import_return([p for p in files if p.name.endswith(("_header.csv", "_episodes.csv"))], la=la, store=store)
    engine = Engine(store.url, store.schema)
    pool.export(engine.con, store.schema, TABLES, folder / "pool", key_fingerprint="0123456789abcdef")
    engine.close()
    return store, folder / "pool"


def everything(engine):
    """Every figure the engine gives, as one dict: compared whole, so any difference shows."""
    found = {"core": engine.core(),
             "at": engine.at("cpp_open", datetime.date(2020, 12, 31)),
             "over": engine.over("referrals", datetime.date(2019, 10, 1), datetime.date(2020, 9, 30))}
    for la in LAS:
        found[f"details {la}"] = sorted(engine.details(la, GROUPS))
        found[f"cooccurrence {la}"] = engine.cooccurrence(la, ["3A", "3B", "3C"], ["16A"], datetime.date(2019, 4, 1),
                                                          datetime.date(2021, 3, 31))
    return found


def differences(left, right, path=""):
    """Where two results differ: [(path, left, right)], [] when equal."""
    if isinstance(left, dict) and isinstance(right, dict):
        return [d for key in sorted(set(left) | set(right), key=str)
                for d in differences(left.get(key, "missing"), right.get(key, "missing"), f"{path}/{key}")]
    return [] if left == right else [(path, left, right)]


@pytest.fixture(scope="session")
def on_duckdb(generated):
    store, _ = generated
    engine = Engine(store.url, store.schema)
    try:
        return everything(engine)
    finally:
        engine.close()


def test_spark_gives_every_value_duckdb_gives(generated, on_duckdb, spark):
    _, folder = generated
    tables, _ = pool.pool_tables(spark, [folder])
    on_spark = everything(Engine(None, None, con=spark, tables=tables))
    assert set(on_duckdb["core"]) == {(la, year) for la in LAS for year in (2020, 2021)}
    assert all(v["referrals"] > 0 and v["re_referrals"] > 0 and v["cpp_open"] > 0 and v["lac_open"] > 0
               for v in on_duckdb["core"].values())  # every indicator has something to count
    assert differences(on_duckdb, on_spark) == []


def test_duckdb_reads_the_pool_as_it_reads_the_store(generated, on_duckdb):
    _, folder = generated
    engine, _ = pool.open_engine([folder], "duckdb")
    assert differences(on_duckdb, everything(engine)) == []


def test_the_comparison_fails_when_a_definition_differs(generated, on_duckdb, spark, monkeypatch):
    # Plans of "two years or more" counted from one year on Spark only: the comparison must name that indicator.
    _, folder = generated
    tables, _ = pool.pool_tables(spark, [folder])
    one_year = d.Stock("plans", where=lambda t, day: t.start_date <= day - ibis.interval(years=1))
    changed = [dataclasses.replace(i, measure=one_year) if i.code == "cpp_2_years" else i for i in d.COUNTED]
    monkeypatch.setattr(d, "COUNTED", changed)
    found = differences(on_duckdb["core"], Engine(None, None, con=spark, tables=tables).core())
    assert found and {path.rsplit("/", 1)[1] for path, _, _ in found} <= {"cpp_2_years", "cpp_2_years_percent"}
