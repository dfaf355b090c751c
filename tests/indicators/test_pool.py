"""A pool: the store as Parquet partitioned by authority and year, read by the engine on DuckDB, imported into another
store, and refused where its pseudonyms were made under another key (issue 18, point 2; ADR 0030). The same pool
on Spark: tests/spark."""
import io
import json
import re

import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from safeguarding.indicators.engine import pool
from safeguarding.indicators.engine.run import Engine
from safeguarding.indicators.models import IndicatorValue
from safeguarding.returns.identifiers import key_fingerprint
from safeguarding.returns.importer import import_return
from safeguarding.returns.store import AnalyticalStore
from tests.indicators.test_engine import KNOWN, LAC_EPISODES, LAC_HEADER, child, episode, message
from tests.returns import samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_authorities(store, tmp_path):
    """The engine test's known return for 210, and a smaller one for 871."""
    import_return([samples.write(tmp_path, "cin.xml", message(KNOWN))], la="210", store=store)
    import_return(samples.ssda903(tmp_path / "lac", header_rows=LAC_HEADER, episode_rows=LAC_EPISODES), la="210",
                  store=store)
    other = samples.MESSAGE.format(year=2021, la="871", children="".join(
        child(f"Y{n}", episode("2020-06-01"), upn_number=50 + n) for n in range(4)))
    import_return([samples.write(tmp_path, "cin-871.xml", other)], la="871", store=store)
    return store


def test_a_pool_is_partitioned_by_authority_and_year_and_names_its_key(two_authorities, tmp_path):
    out = io.StringIO()
    call_command("export_pool", str(tmp_path / "pool"), stdout=out)
    manifest = json.loads((tmp_path / "pool" / "_pool.json").read_text())
    assert manifest["key_fingerprint"] == key_fingerprint() and len(key_fingerprint()) == 16
    assert {(r["la"], r["year"], r["kind"]) for r in manifest["returns"]} == {
        ("210", 2021, "cin"), ("210", 2021, "ssda903"), ("871", 2021, "cin")}
    assert sorted(p.relative_to(tmp_path / "pool").as_posix() for p in (tmp_path / "pool" / "cin_episodes").rglob(
        "*.parquet")) == ["cin_episodes/la=210/year=2021/part-0.parquet", "cin_episodes/la=871/year=2021/part-0.parquet"]
    assert manifest["rows"]["cin_episodes"] == two_authorities.count()[f"{two_authorities.schema}.cin_episodes"] == 10
    assert "fingerprint" in out.getvalue()
    # Pseudonyms (32 hex digits), never the local identifiers the returns gave (A-D, Y0-Y3).
    children = pq.read_table(tmp_path / "pool" / "cin_episodes").column("child_id").to_pylist()
    assert children and all(re.fullmatch(r"[0-9a-f]{32}", c) for c in children)


def test_the_engine_reads_a_pool_as_it_reads_the_store(two_authorities, tmp_path):
    call_command("export_pool", str(tmp_path / "pool"), stdout=io.StringIO())
    expected = Engine(two_authorities.url, two_authorities.schema).core()
    engine, _ = pool.open_engine([tmp_path / "pool"], "duckdb")
    assert engine.core() == expected and expected[("871", 2021)]["referrals"] == 4


def test_pools_under_different_keys_are_not_read_together(two_authorities, tmp_path, settings):
    call_command("export_pool", str(tmp_path / "ours"), stdout=io.StringIO())
    settings.CHILD_ID_HASH_KEY = "another partnership's key, long enough to be a real one"
    call_command("export_pool", str(tmp_path / "theirs"), stdout=io.StringIO())
    with pytest.raises(pool.KeysDiffer, match="different keys"):
        pool.open_engine([tmp_path / "ours", tmp_path / "theirs"], "duckdb")
    with pytest.raises(CommandError, match="different keys"):
        call_command("indicators", backend="duckdb", pool=[str(tmp_path / "ours"), str(tmp_path / "theirs")],
                     core=True, stdout=io.StringIO())
    # The same key twice is read together: every authority of both.
    call_command("export_pool", str(tmp_path / "theirs-too"), stdout=io.StringIO())
    engine, _ = pool.open_engine([tmp_path / "theirs", tmp_path / "theirs-too"], "duckdb")
    assert engine.core()[("871", 2021)]["referrals"] == 8


def test_a_pool_made_under_another_key_is_not_imported(two_authorities, tmp_path, settings):
    call_command("export_pool", str(tmp_path / "pool"), stdout=io.StringIO())
    settings.CHILD_ID_HASH_KEY = "another partnership's key, long enough to be a real one"
    with pytest.raises(CommandError, match="different keys"):
        call_command("import_pool", str(tmp_path / "pool"), stdout=io.StringIO())


def test_a_pool_imported_into_an_empty_store_gives_the_same_figures(two_authorities, tmp_path, settings):
    call_command("export_pool", str(tmp_path / "pool"), stdout=io.StringIO())
    expected = Engine(two_authorities.url, two_authorities.schema).core()
    before = two_authorities.count()
    settings.ANALYTICS_URL = f"duckdb:///{tmp_path / 'elsewhere.duckdb'}"
    out = io.StringIO()
    call_command("import_pool", str(tmp_path / "pool"), stdout=out)
    target = AnalyticalStore()
    assert Engine(target.url, target.schema).core() == expected
    counts = target.count()
    assert {k: v for k, v in counts.items() if "returns_loaded" not in k} == {
        k: v for k, v in before.items() if "returns_loaded" not in k}
    assert [(r.la, r.year, r.kind) for r in target.loaded_returns()] == [
        ("210", 2021, "cin"), ("210", 2021, "ssda903"), ("871", 2021, "cin")]
    assert all(r.source.startswith("pool pool: ") for r in target.loaded_returns())
    assert IndicatorValue.objects.filter(la_code="871", year=2021, indicator="referrals").get().value == 4


def test_indicators_core_and_save_on_a_pool(two_authorities, tmp_path):
    call_command("export_pool", str(tmp_path / "pool"), stdout=io.StringIO())
    out = io.StringIO()
    call_command("indicators", backend="duckdb", pool=[str(tmp_path / "pool")], core=True, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("la,year,referrals,") and lines[2].startswith("871,2021,4,")
    call_command("indicators", backend="duckdb", pool=[str(tmp_path / "pool")], save=True, stdout=out)
    assert IndicatorValue.objects.get(la_code="210", year=2021, indicator="referrals").value == 3
    assert IndicatorValue.objects.get(la_code="210", year=2021, indicator="referrals").returns[0]["kind"] == "cin"


def test_the_pool_options_need_a_pool_backend(two_authorities, tmp_path):
    with pytest.raises(CommandError, match="--pool FOLDER"):
        call_command("indicators", backend="duckdb", core=True, stdout=io.StringIO())
    with pytest.raises(CommandError, match="is not a pool"):
        call_command("indicators", backend="duckdb", pool=[str(tmp_path)], core=True, stdout=io.StringIO())
