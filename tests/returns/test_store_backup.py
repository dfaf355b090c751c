"""What the store of returns offers a backup (core/backups.py calls only these): count, export under its read lock
with the one lock wait, and restore beside the live file, installed only when asked."""
import subprocess
import sys
import time

import pytest

from safeguarding.returns.importer import import_return
from safeguarding.returns.store import AnalyticalStore, StoreBusy
from tests.returns import samples
from tests.skips import NEEDS_SQLITE

pytestmark = pytest.mark.django_db

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])  # a writer, as an import is: it holds the file's lock
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


@pytest.fixture
def loaded(store, tmp_path):
    import_return([samples.write(tmp_path, "cin.xml", samples.cin_xml(3))], la="210", store=store)
    return store


def test_count_names_every_table_with_its_rows(loaded):
    counts = loaded.count()
    assert counts[f"{loaded.schema}.cin_children"] == 3
    assert counts[f"{loaded.schema}.returns_loaded"] == 1
    assert loaded.exists()


def test_export_then_restore_gives_the_same_rows_and_only_on_install(loaded, tmp_path, settings):
    if loaded.kind != "duckdb":
        pytest.skip(f"{NEEDS_SQLITE} (a PostgreSQL store is dumped with pg_dump: tests/reliability/test_backup.py)")
    counts = loaded.export(tmp_path / "export", wait=0)
    assert counts == loaded.count()
    other = AnalyticalStore(url=f"duckdb:///{tmp_path / 'restored' / 'analytics.duckdb'}", schema=loaded.schema)
    prepared = other.restore(tmp_path / "export")
    assert prepared.counts == counts
    assert not other.exists()  # built beside the file; nothing is replaced until install()
    prepared.install()
    assert other.count() == counts


def test_a_store_not_yet_made_exports_nothing_and_counts_nothing(tmp_path):
    empty = AnalyticalStore(url=f"duckdb:///{tmp_path / 'none.duckdb'}", schema="child_level")
    assert empty.export(tmp_path / "export", wait=0) is None
    assert empty.count() == {} and not empty.exists()


def test_the_lock_wait_waits_then_says_busy(loaded):
    if loaded.kind != "duckdb":
        pytest.skip(f"{NEEDS_SQLITE} (PostgreSQL has no file lock to wait for)")
    holder = subprocess.Popen([sys.executable, "-c", HOLD, loaded.duckdb_path, "4"], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        started = time.monotonic()
        with pytest.raises(StoreBusy, match="stayed busy for 1 seconds"):
            with loaded.connection(read_only=True, wait=1):
                pass
        assert time.monotonic() - started >= 1
        with loaded.connection(read_only=True, wait=30) as con:  # the import finishes meanwhile
            assert con.execute(f"SELECT count(*) FROM {loaded.schema}.cin_children").fetchone()[0] == 3
    finally:
        holder.kill()
        holder.wait()
