"""The national side-by-side benchmark's Polars implementation counts what the engine counts, value for value, on a
small generated pool (perf/engines_side_by_side.py compares them at national scale). Polars is in the spark extra
only, so this runs with the Spark tests (`make test-spark`, marker `spark`)."""
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from safeguarding.indicators.engine import pool
from safeguarding.indicators.engine.run import Engine
from safeguarding.returns.importer import import_return
from safeguarding.returns.store import TABLES, AnalyticalStore

PERF = Path(__file__).resolve().parents[2] / "perf"

pytestmark = [pytest.mark.spark, pytest.mark.django_db]


@pytest.fixture
def polars_reference():
    sys.path.insert(0, str(PERF))
    try:
        import polars_reference

        yield polars_reference
    finally:
        sys.path.remove(str(PERF))


def test_polars_reference_matches_the_engine(tmp_path, polars_reference, monkeypatch):
    store = AnalyticalStore(f"duckdb:///{tmp_path / 'store.duckdb'}", schema="child_level")
    for la in ("871", "210"):
        call_command("generate_returns", la=la, years="2020-2021", out=str(tmp_path / "returns"), seed=3, scale=0.1)
        for year_dir in sorted((tmp_path / "returns" / la).iterdir()):
            files = sorted(year_dir.iterdir())
            import_return([p for p in files if p.suffix == ".xml"], la=la, store=store)
            import_return([p for p in files if p.name.endswith(("_header.csv", "_episodes.csv"))], la=la,
                          store=store)
    engine = Engine(store.url, store.schema)
    expected = engine.core()
    pool.export(engine.con, store.schema, TABLES, tmp_path / "pool", key_fingerprint="0123456789abcdef")
    engine.close()
    assert all(v["re_referrals"] > 0 and v["cpp_2_years"] > 0 and v["lac_ceased"] > 0 for v in expected.values())
    assert polars_reference.compute(tmp_path / "pool") == expected
    # The comparison has teeth: re-referrals within 11 months instead of 12 differ.
    monkeypatch.setattr(polars_reference, "RE_REFERRAL_WINDOW", "-11mo")
    changed = polars_reference.compute(tmp_path / "pool")
    assert [(key, code) for key, values in changed.items() for code, value in values.items()
            if value != expected[key][code]] and all(
        changed[key][code] == expected[key][code] for key in expected for code in expected[key]
        if not code.startswith("re_referrals"))
