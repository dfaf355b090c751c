"""The national benchmark's pandas implementation counts what the engine counts (perf/national_engine.py
compares the two at national scale; this checks it on a small generated store, on every run of the suite)."""
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from safeguarding.indicators.engine.run import Engine
from safeguarding.returns.importer import import_return
from tests.skips import NEEDS_SQLITE

PERF = Path(__file__).resolve().parents[2] / "perf"

pytestmark = pytest.mark.django_db


@pytest.fixture
def pandas_reference():
    sys.path.insert(0, str(PERF))
    try:
        import pandas_reference

        yield pandas_reference
    finally:
        sys.path.remove(str(PERF))


def test_pandas_reference_matches_the_engine_both_ways_of_counting_re_referrals(store, tmp_path, pandas_reference):
    if store.kind != "duckdb":
        pytest.skip(f"{NEEDS_SQLITE}: the pandas reference reads a DuckDB store file")
    call_command("generate_returns", la="871", years="2020-2021", out=str(tmp_path / "returns"), seed=3, scale=0.2)
    for year_dir in sorted((tmp_path / "returns" / "871").iterdir()):
        files = sorted(year_dir.iterdir())
        import_return([p for p in files if p.suffix == ".xml"], la="871", store=store)
        import_return([p for p in files if p.name.endswith(("_header.csv", "_episodes.csv"))], la="871", store=store)
    engine = Engine(store.url, store.schema)
    expected = engine.core()
    engine.close()
    assert expected[("871", 2021)]["re_referrals"] > 0  # the generator makes re-referrals: the check has teeth
    tables = pandas_reference.load(store.duckdb_path, store.schema)
    assert pandas_reference.compute(tables) == expected
    assert pandas_reference.compute(tables, rereferrals=pandas_reference.re_referrals_by_merge) == expected
