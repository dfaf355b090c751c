"""refresh_published_figures against a mirror on 127.0.0.1 (http.server in a thread) serving copies of the
published files: a good set replaces the copies; a 404, a download cut short, a truncated, malformed or
wrong file, or an older release leaves every file as it was."""
import datetime
import hashlib
import http.server
import json
import shutil
import threading
from functools import partial
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

SHIPPED = settings.PUBLISHED_DATA_DIR
C1 = "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
D3 = "d3_cpps_subsequent_plan_2013_to_2025.csv"
LAIT = "lait_bds_long.parquet"
FIRST = "New_Statistical_Neighbour_Groupings_April_2021.csv"
LAST = "sn_model_2025_wide.csv"  # fetched last: a failure there comes after every other file has arrived


class Mirror(http.server.SimpleHTTPRequestHandler):
    cut_short = set()  # names whose body stops half way, though Content-Length promises the whole file

    def do_GET(self):
        name = self.path.lstrip("/")
        if name not in self.cut_short:
            return super().do_GET()
        body = Path(self.directory, name).read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.close_connection = True

    def log_message(self, *args):
        pass


@pytest.fixture
def published(tmp_path, settings):
    """A copy of the shipped folder for the command to change (the repository's own is never touched)."""
    folder = tmp_path / "published_data"
    shutil.copytree(SHIPPED, folder)
    settings.PUBLISHED_DATA_DIR = folder
    return folder


@pytest.fixture
def mirror(tmp_path):
    """(served folder, base URL): the served folder starts as a copy of the shipped DfE files."""
    served = tmp_path / "mirror"
    shutil.copytree(SHIPPED / "dfe", served)
    Mirror.cut_short = set()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Mirror, directory=served))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def digests(folder):
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted([*(folder / "dfe").iterdir(), folder / "sources.json"])}


def refresh(*args):
    out = StringIO()
    call_command("refresh_published_figures", *args, stdout=out)
    return out.getvalue()


def newer_c1(served):
    """The c1 file as a later release might revise it: one authority's 2025 referrals changed."""
    lines = (SHIPPED / "dfe" / C1).read_text(encoding="utf-8-sig").splitlines(keepends=True)
    header = lines[0].split(",")
    at = header.index("referral_count")
    for i, line in enumerate(lines):
        cells = line.split(",")
        if cells[0] == "2025" and cells[2] == "Local authority" and cells[7] == "210":
            cells[at] = str(int(cells[at]) + 7)
            lines[i] = ",".join(cells)
            break
    else:
        raise AssertionError("no Southwark 2025 row")
    (served / C1).write_text("".join(lines), encoding="utf-8")
    return (served / C1).read_bytes()


def test_a_complete_set_replaces_the_copies_and_records_the_date(published, mirror):
    served, base = mirror
    before = digests(published)
    new_c1 = newer_c1(served)
    output = refresh("--base-url", base)

    assert f"{C1}: " in output and "a new release" in output and "Replaced 12 files" in output
    assert (published / "dfe" / C1).read_bytes() == new_c1
    after = digests(published)
    assert {name for name in before if before[name] != after[name]} == {C1, "sources.json"}
    manifest = json.loads((published / "sources.json").read_text())
    today = datetime.date.today().isoformat()
    assert manifest["refreshed"] == today
    assert manifest["files"][C1]["as_of"] == f"fetched {today} from {base}/{C1}"
    assert manifest["files"][C1]["url"].startswith("https://")  # the public address is kept
    assert not [p.name for p in (published / "dfe").iterdir() if p.name.startswith(".")]  # no temporary files left


def test_a_dry_run_fetches_and_checks_but_replaces_nothing(published, mirror):
    served, base = mirror
    before = digests(published)
    newer_c1(served)
    output = refresh("--base-url", base, "--dry-run")
    assert "1 differ from the copies" in output and "nothing replaced" in output
    assert digests(published) == before


def _missing(served):
    (served / LAST).unlink()


def _cut_short(served):
    Mirror.cut_short.add(LAST)


def _truncated_csv(served):
    body = (served / FIRST).read_bytes()
    (served / FIRST).write_bytes(body[: len(body) // 2])  # served whole: the file itself is cut mid-line


def _truncated_parquet(served):
    body = (served / LAIT).read_bytes()
    (served / LAIT).write_bytes(body[: len(body) // 2])


def _malformed(served):
    (served / FIRST).write_text("<html><body>Service unavailable</body></html>\n")


def _wrong_file(served):
    shutil.copyfile(served / D3, served / C1)  # a d3 file where c1 should be


def _empty(served):
    (served / FIRST).write_bytes(b"")


def _older_release(served):
    text = (SHIPPED / "dfe" / C1).read_text(encoding="utf-8-sig")
    (served / C1).write_text("".join(line for line in text.splitlines(keepends=True)
                                     if not line.startswith("2025,")), encoding="utf-8")


@pytest.mark.parametrize("damage, message", [
    (_missing, "answered 404"),
    (_cut_short, "stopped before the end"),
    (_truncated_csv, "looks cut short"),
    (_truncated_parquet, "not a readable Parquet file"),
    (_malformed, "columns not recognised"),
    (_wrong_file, "expected ees_c1"),
    (_empty, "the file is empty"),
    (_older_release, "not a newer release"),
])
def test_a_failed_or_partial_download_changes_nothing(published, mirror, damage, message):
    served, base = mirror
    newer_c1(served)  # a good new file that must not go in alone
    damage(served)
    before = digests(published)
    with pytest.raises(CommandError) as error:
        refresh("--base-url", base)
    assert message in str(error.value) and "Nothing was replaced" in str(error.value)
    assert digests(published) == before
    assert sorted(p.name for p in (published / "dfe").iterdir()) == sorted(p.name for p in (SHIPPED / "dfe").iterdir())


def test_nothing_listening_and_bad_addresses_are_refused_clearly(published):
    before = digests(published)
    with pytest.raises(CommandError, match="cannot reach it"):
        refresh("--base-url", "http://127.0.0.1:9")  # the discard port: nothing listens there
    with pytest.raises(CommandError, match="is not an http or https address"):
        refresh("--base-url", "file:///etc")
    (published / "sources.json").write_text("{not json")
    with pytest.raises(CommandError, match="not readable JSON"):
        refresh("--base-url", "http://127.0.0.1:9")
    assert {k: v for k, v in digests(published).items() if k != "sources.json"} == \
        {k: v for k, v in before.items() if k != "sources.json"}
