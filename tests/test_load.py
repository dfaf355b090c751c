"""The load scenario (perf/load/locustfile.py) against gunicorn with the repository's configuration, on a demo
instance: one person of each kind for a few seconds (a reader downloading the yearly report's HTML file and the
dashboard's Excel, an agency lead saving a Section 11 standard, an analyst signing in with a TOTP code and uploading
a CIN census), and not one request may fail. The figures under load are perf/load/run.py's
(docs/benchmarks.md, "Load")."""
import importlib.util
import json
from collections import Counter
from pathlib import Path

from tests.test_serving import ROOT, Gunicorn, served_env

spec = importlib.util.spec_from_file_location("load_run", ROOT / "perf" / "load" / "run.py")
load = importlib.util.module_from_spec(spec)
spec.loader.exec_module(load)


def test_the_load_scenario_runs_without_a_failure(tmp_path):
    # SQLite and DuckDB in tmp_path whatever the suite runs on; the test run's settings (fast password hashing,
    # background tasks run inline, so no db_worker) keep it to about half a minute.
    env = served_env(tmp_path, workers=2)
    base = env["BASE"]
    (tmp_path / "no-dfe").mkdir()
    accounts = load.prepare(env, accounts=1, out=tmp_path / "load", years="2021", dfe_dir=str(tmp_path / "no-dfe"),
                            collectstatic=True)

    with Gunicorn(env):
        prefix = tmp_path / "one-each"
        code, _ = load.run_locust(host=base, users=3, duration=60, spawn_rate=3, prefix=prefix, accounts=accounts,
                                  extra_env={"LOAD_MIX": "one-each"})  # it ends when each has done its part
    # Every request the users made (the locustfile's own log, written when locust quits) and locust's CSV files.
    made = json.loads(Path(f"{prefix}_requests.json").read_text())["requests"]
    failed = [(kind, name, error) for _, kind, name, _, error in made if error]
    rows, failures = load.read_stats(prefix)
    log = Path(f"{prefix}_locust.log").read_text()
    assert failed == [] and failures == [] and code == 0, (failed, failures, log)
    counts = Counter(name for _, _, name, _, _ in made)
    assert sum(counts.values()) > 20
    for name in ("/account/two-factor/ (post)", "/p/[slug]/reports/[id]/report.html", "/p/[slug]/dashboard/table.xlsx",
                 "/p/[slug]/assurance/section-11/returns/[id]/standards/[key]/ (save)",
                 "/p/[slug]/returns/upload/ (post)"):
        assert counts[name] >= 1, (name, counts)
    assert json.loads(Path(f"{prefix}_imports.json").read_text())[0]["status"] == "loaded"
