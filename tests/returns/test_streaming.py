"""Streamed imports: the SSDA903 files are read row by row and written in batches, and the store's writer keeps
no batch once written, so memory does not grow with the return; what is loaded, and what a rejection says,
are as when the files were read whole."""
import datetime
import hashlib
import hmac
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from safeguarding.returns import ssda903
from safeguarding.returns.identifiers import Pseudonymiser
from safeguarding.returns.importer import import_return
from safeguarding.returns.problems import ReturnRejected
from tests.returns import samples
from tests.returns.test_import import snapshot

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db

EPISODE = "{child},{start},S,C2,N1,U1,PR1,{end},{reason},,SE1 1AA,SE5 9ZZ,"


def episode(child="L001", start="01/06/2020", end="", reason=""):
    return EPISODE.format(child=child, start=start, end=end, reason=reason)


# -- pseudonyms and dates: the faster ways give exactly what the standard library gives ------------------------

@pytest.mark.parametrize("key", ["", "k", "x" * 63, "x" * 64, "x" * 65, "y" * 200, b"\xff\x00bytes", "ключ"])
def test_pseudonyms_are_hmac_sha256(key):
    raw = key.encode() if isinstance(key, str) else key
    pseudonymiser = Pseudonymiser(key)
    for la, local_id in [("210", " C00001 "), ("999", "C00001"), ("210", "é" * 100), ("210", "")]:
        expected = hmac.new(raw, f"{la}:{local_id.strip()}".encode(), hashlib.sha256).hexdigest()[:32]
        assert pseudonymiser.child(la, local_id) == pseudonymiser.hasher(la)(local_id) == expected
    for upn in ["A123456789012", " a123456789012 ", "x" * 100]:
        expected = hmac.new(raw, f"UPN:{upn.strip().upper()}".encode(), hashlib.sha256).hexdigest()[:32]
        assert pseudonymiser.upn(upn) == expected
    assert pseudonymiser.upn("") is None and pseudonymiser.upn(None) is None


def test_dates_are_read_exactly_as_strptime_reads_them():
    days = [f"{n:02d}" for n in range(40)] + [str(n) for n in range(10)] + [" 1", "1 ", "+1", "1_", "٠١", "１"]
    months = [f"{n:02d}" for n in range(20)] + [str(n) for n in range(10)] + ["+6", "٠٦"]
    years = ["0000", "0001", "1999", "2020", "2021", "9999", "２０２０", "20201", "202", "+020", "-020", "2_20"]
    texts = {f"{d}/{m}/{y}" for d in days for m in months for y in years}
    texts |= {"", "01-06-2020", "2020/06/01", "01/06/2020 ", "01/06/2020/", "0106/2020x", "x1/06/2020"}
    for text in texts:
        try:
            expected = datetime.datetime.strptime(text, "%d/%m/%Y").date()
        except ValueError:
            expected = ValueError
        try:
            got = ssda903.parse_date(text)
        except ValueError:
            got = ValueError
        assert got == expected, repr(text)


def test_the_encoding_is_told_by_reading_in_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(ssda903, "CHUNK", 3)  # multi-byte characters fall across chunks
    cases = {"utf-8-sig": "\ufeffCHILD,HOME_POST\nLé01,SE1 1AA — ü\n".encode(),
             "cp1252": "CHILD\nLé01\n".encode("cp1252"),
             None: b"CHILD\nL\x0001\n"}
    for expected, data in cases.items():
        path = tmp_path / "table.csv"
        path.write_bytes(data)
        assert ssda903.text_encoding(path) == expected
    path.write_bytes(b"CHILD\nL\x81\x8d01\n")  # neither UTF-8 nor Windows-1252
    assert ssda903.text_encoding(path) is None


# -- what streaming could have changed --------------------------------------------------------------------------

def test_a_fault_late_in_a_file_rejects_it_as_not_csv_and_nothing_else(store, tmp_path):
    import_return(samples.ssda903(tmp_path / "good"), la="210", store=store)
    before = snapshot(store)
    # Row problems come first in the files, the fault (a field over csv's limit) at the end; read whole, the
    # files were rejected for the fault alone, before any row was checked.
    header = samples.HEADER + "".join(f"L{n:03d},9,17/05/2008,WBRI,,,\n" for n in range(300))
    episodes = samples.EPISODES + "".join(episode(f"L{n:03d}") + "\n" for n in range(300))
    episodes += f'L001,"{"x" * 200_000}"\n'
    files = [samples.write(tmp_path / "bad", "header.csv", header),
             samples.write(tmp_path / "bad", "episodes.csv", episodes)]
    with pytest.raises(ReturnRejected) as rejected:
        import_return(files, la="210", store=store)
    assert [str(p) for p in rejected.value.problems] == [
        "episodes.csv: the file is not valid CSV (field larger than field limit (131072))"]
    assert snapshot(store) == before
    # The same when the rows' problems stop the check (50) before the fault is reached.
    with pytest.raises(ReturnRejected) as rejected:
        import_return(files, la="210", year=2021, store=store)
    assert [str(p) for p in rejected.value.problems] == [
        "episodes.csv: the file is not valid CSV (field larger than field limit (131072))"]
    assert snapshot(store) == before


def test_lone_carriage_returns_are_not_line_ends(store, tmp_path):
    header, episodes = samples.ssda903(tmp_path)
    episodes.write_bytes(episodes.read_bytes().replace(b"\n", b"\r"))
    with pytest.raises(ReturnRejected, match="episodes.csv: the file is not valid CSV"):
        import_return([header, episodes], la="210", store=store)


def test_episodes_are_numbered_per_child_in_file_order(store, tmp_path):
    rows = [episode("L001", "01/06/2019", "01/09/2020", "X1"), episode("L002", "10/10/2020"),
            episode("L001", "01/09/2020")]
    result = import_return(samples.ssda903(tmp_path, episode_rows=rows), la="210", store=store)
    assert result.counts == {"children": 2, "episodes": 3}
    l001 = Pseudonymiser().child("210", "L001")
    assert store.query("SELECT episode, start_date FROM {schema}.lac_episodes WHERE child_id = ? ORDER BY episode",
                       (l001,)) == [(1, datetime.date(2019, 6, 1)), (2, datetime.date(2020, 9, 1))]


def test_the_year_comes_from_the_latest_date_however_written(store, tmp_path):
    rows = [episode("L001", "01/06/2020", "7/4/2021", "E11"), episode("L002", "10/10/2020", "1/5/2021", "E11")]
    result = import_return(samples.ssda903(tmp_path, episode_rows=rows), la="210", store=store)
    assert result.year == 2022  # 1 May 2021 is in the year to 31 March 2022


def test_windows_1252_files_load(store, tmp_path):
    header = (samples.HEADER + "Lé01,1,17/05/2008,WBRI,,,\n").encode("cp1252")
    episodes = (samples.EPISODES + episode("Lé01").replace("SE1 1AA", "Cañón") + "\n").encode("cp1252")
    (tmp_path / "header.csv").write_bytes(header)
    (tmp_path / "episodes.csv").write_bytes(episodes)
    result = import_return([tmp_path / "header.csv", tmp_path / "episodes.csv"], la="210", store=store)
    assert result.counts == {"children": 1, "episodes": 1}
    assert store.query("SELECT child_id FROM {schema}.lac_episodes") == [(Pseudonymiser().child("210", "Lé01"),)]


def test_episodes_outside_the_year_are_errors_and_are_loaded(store, tmp_path):
    # Once a refusal; since issue 12 the DfE rule (354, starting after the year) is reported and the return loaded.
    rows = [episode("L001", "01/06/2020").replace(",C2,", ",Z9,"), episode("L002", "01/06/2021")]
    result = import_return(samples.ssda903(tmp_path / "a", episode_rows=rows), la="210", year=2021, store=store)
    assert {"144", "354"} <= set(result.findings.counts)
    assert result.counts == {"children": 2, "episodes": 1}  # L001's legal status cannot be read: left out


def test_a_return_without_episodes_needs_its_year(store, tmp_path):
    with pytest.raises(ReturnRejected) as rejected:
        import_return(samples.ssda903(tmp_path / "a", episode_rows=[]), la="210", store=store)
    assert [str(p) for p in rejected.value.problems] == [
        "episodes.csv: the collection year cannot be told from the files (no episode has a date that can be read); "
        "give it with --year"]
    result = import_return(samples.ssda903(tmp_path / "b", header_rows=["L001,3,17/05/2008,WBRI,,,"], episode_rows=[]),
                           la="210", year=2021, store=store)
    assert result.findings.counts["101"] == 1  # the sex code is wrong, nothing else
    result = import_return(samples.ssda903(tmp_path / "c", episode_rows=[]), la="210", year=2021, store=store)
    assert result.counts == {"children": 2, "episodes": 0}


def test_quality_checks_read_the_streamed_ssda903(store, tmp_path):
    from safeguarding.returns.models import ReturnImport
    from safeguarding.returns.services import run_import

    rows = [episode("L001", "01/06/2020", "01/09/2020", "X1"), episode("L002", "10/10/2020").replace(",N1,", ",N9,"),
            episode("L001", "01/08/2020")]  # starts before the one before it ends: they overlap
    files = samples.ssda903(tmp_path, header_rows=["L001,1,17/05/2008,XXXX,,,", "L002,2,01/02/2015,BAFR,,0,"],
                            episode_rows=rows)
    record = ReturnImport.objects.create(la_code="210", file_names="header.csv, episodes.csv")
    run_import(record, files, store=store, recompute_indicators=False)
    found = {(f.rule, f.field) for f in record.findings.all()}
    assert found == {("103", "ETHNIC"), ("145", "CIN"), ("501", "DECOM"), ("431", "RNE"), ("388", "REC")}


# -- memory, measured in a process of its own -------------------------------------------------------------------

def measure(store, *args):
    env = {**os.environ, "ANALYTICS_URL": store.url, "ANALYTICS_SCHEMA": store.schema, "DEBUG": "1"}
    env.pop("PYTEST_VERSION", None)
    done = subprocess.run([sys.executable, "-m", "tests.returns.measure_memory", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["peak_mb"] - result["baseline_mb"]


def test_an_ssda903_import_needs_no_more_memory_for_a_larger_file(store, tmp_path):
    # 2.7 MB and 27 MB of CSV. Read whole, the larger needed about 500 MB more than the smaller; streamed, about
    # 60 MB more (the pseudonym of each child is kept, to check and number its episodes).
    small = measure(store, "ssda903", 20_000, tmp_path / "small")
    large = measure(store, "ssda903", 200_000, tmp_path / "large")
    assert large - small < 150, (small, large)


def test_batched_writes_keep_no_batch_until_the_commit(store):
    # DuckDB kept each batch registered and unregistered inside the transaction until the commit: about
    # 100 MB more for each million rows. Now the growth is bounded by the DuckDB import's memory limit.
    small = measure(store, "writer", 300_000)
    large = measure(store, "writer", 2_000_000)
    assert large - small < 70, (small, large)
