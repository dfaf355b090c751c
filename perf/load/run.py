"""Load test (issue 8, point 2): set up a throw-away instance, serve it as in production on loopback, run the
locust scenario (perf/load/locustfile.py) headless for a bounded time at each user count, write locust's CSV
stats and a summary, tear everything down.

    .venv/bin/python perf/load/run.py --db postgres --users 10,50,100 --duration 180 --out /tmp/load-results
    .venv/bin/python perf/load/run.py --db sqlite --users 10 --duration 180 --out /tmp/load-results

PostgreSQL: the script runs itself again under scripts/with-postgres (a throw-away PostgreSQL 15 on loopback,
removed at the end). SQLite: the database, the DuckDB store and everything else live in a temporary VAR_DIR.
In both, the steps are: migrate; load_demo --returns (DEMO=1: the Southwark partnership, its
returns, benchmarks, indicators and draft 2020-21 report), and the background tasks those imports enqueued, run
as the task worker runs them; the load-test accounts (see ``_prepare``); a small CIN
census from the synthetic generator (``generate_returns --scale 0.05``, about 230 kB) for the analysts to upload;
then scripts/serve-production (gunicorn with deploy/gunicorn.conf.py and ``manage.py task_worker``, DEBUG off) on
127.0.0.1:PORT, and locust against it. The user counts run one after another against the same instance.

Writes to --out: locust's CSV files per run (``<db>-<users>u_stats.csv``, ``_failures.csv``, ``_exceptions.csv``,
``_stats_history.csv``), its log, the server's log (gunicorn's access log has each request's milliseconds),
``summary.json`` and ``summary.md``. Exit code 1 if any run had a failed request or the server logged an
error ("database is locked", a traceback).
"""
import argparse
import csv
import datetime
import json
import math
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
SLUG = "southwark"
PASSWORD = "demo-partnership-2021"


def log(message):
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# Setting up ------------------------------------------------------------------------------------------------

def prepare(env, *, accounts, out, years="2017-2025", dfe_dir=None, collectstatic=False):
    """Migrate, load the demo and create the accounts, in one process (see ``_prepare``); returns the accounts
    file's path. (scripts/serve-production collects the static files itself.)"""
    args = {"accounts": accounts, "out": str(out), "years": years, "dfe_dir": dfe_dir, "collectstatic": collectstatic}
    subprocess.run([PYTHON, str(Path(__file__).resolve()), "_prepare", json.dumps(args)], cwd=ROOT,
                   env={**env, "DEMO": "1", "DJANGO_SETTINGS_MODULE": "config.settings"}, check=True)
    return Path(out) / "accounts.json"


def _prepare(args):
    """Inside Django (DEMO=1). Accounts: ``accounts`` of each kind, each a member of the demo partnership with
    the demo password (hashed once and shared: creating hundreds at the production hasher's cost would take
    minutes); readers cycle through statutory partner lead, scrutineer and case review member; agency leads
    belong to the demo's illustrative fire and rescue service. Every account has a confirmed authenticator
    device, as every role signs in with two-factor; its key goes in the file (mode 600) for locust to compute the
    codes, as the person's app would. Each has its recovery codes already (made at an earlier sign-in), so
    signing in goes straight on."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeguarding.accounts.models import Membership, Organisation, Partnership, User
    from safeguarding.accounts.roles import Role
    from safeguarding.accounts.services import make_recovery_codes, recovery_codes_left
    from safeguarding.partnership.demo.agencies import FIRE_SERVICE
    from safeguarding.partnership.demo.southwark import CCG, COUNCIL, POLICE

    out = Path(args["out"])
    out.mkdir(parents=True, exist_ok=True)
    call_command("migrate", "--noinput", "-v0")
    demo_returns = ["load_demo", "--returns", "--years", args["years"]]
    if args["dfe_dir"]:
        demo_returns += ["--dfe-dir", args["dfe_dir"]]
    call_command(*demo_returns, stdout=open(os.devnull, "w"))
    # The returns were loaded before the meeting: the background work their imports asked for (the dashboard's
    # other choices, the forecast, the draft report's files; ADR 0031) is done, as the task worker would have done it.
    from django.conf import settings

    from safeguarding.reports import render
    from safeguarding.reports.models import YearlyReport

    # And someone had opened each draft report's page since, which asks the layout worker for its files.
    for report in YearlyReport.objects.filter(archived_at__isnull=True):
        render.prepare_ahead(report)
    if settings.TASKS["default"]["BACKEND"].endswith("DatabaseBackend"):  # an inline backend has run them already
        call_command("task_worker", "--batch", "--queue-name", "*", "--no-startup-delay", "--no-reload", verbosity=0)

    partnership = Partnership.objects.get(slug=SLUG)
    organisations = {o.name: o for o in Organisation.objects.all()}
    hashed = make_password(PASSWORD)
    kinds = {"reader": [(Role.PARTNER_LEAD, COUNCIL), (Role.SCRUTINEER, COUNCIL), (Role.CASE_REVIEW, CCG),
                        (Role.PARTNER_LEAD, POLICE)],
             "agency": [(Role.AGENCY_LEAD, FIRE_SERVICE)],
             "analyst": [(Role.ANALYST, COUNCIL)]}
    found = {"partnership": SLUG, "password": PASSWORD}
    for kind, roles in kinds.items():
        found[kind] = []
        for number in range(args["accounts"]):
            role, organisation = roles[number % len(roles)]
            user, _ = User.objects.get_or_create(
                email=f"load.{kind}.{number:03d}@sscp.example",
                defaults={"full_name": f"Load test {kind} {number}", "organisation": organisations[organisation],
                          "password": hashed})
            Membership.objects.get_or_create(user=user, partnership=partnership, role=role)
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
                user=user, name="Load test", confirmed=True)
            if not recovery_codes_left(user):
                make_recovery_codes(user=user)
            found[kind].append({"email": user.email, "role": role.value, "key": device.key})

    call_command("generate_returns", "--la", "210", "--years", "2017", "--scale", "0.05", "--seed", "8",
                 "--out", str(out / "upload"), stdout=open(os.devnull, "w"))
    found["cin_file"] = str(next((out / "upload").rglob("cin_census_*.xml")))
    path = out / "accounts.json"
    path.touch(mode=0o600)
    path.write_text(json.dumps(found, indent=1))
    if args["collectstatic"]:
        call_command("collectstatic", "--noinput", "-v0")


# Serving ---------------------------------------------------------------------------------------------------

def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class Server:
    """scripts/serve-production (gunicorn + the task worker) on 127.0.0.1:port, in its own process group, so
    stopping it stops gunicorn, its workers and the worker."""

    def __init__(self, env, port, log_path):
        self.env, self.port, self.log_path = env, port, log_path

    def __enter__(self):
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen([str(ROOT / "scripts" / "serve-production")], cwd=ROOT, env={
            **self.env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server stopped (exit code {self.process.returncode}); see {self.log_path}")
            try:
                if _get(f"http://127.0.0.1:{self.port}/readyz") == 200:
                    return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.5)
        self.__exit__()
        raise SystemExit(f"the server was not ready within 3 minutes; see {self.log_path}")

    def __exit__(self, *exc):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=40)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()


# Measuring -------------------------------------------------------------------------------------------------

def _processes():
    """pid -> (parent pid, CPU seconds of the process and of its children it has waited for)."""
    found, tick = {}, os.sysconf("SC_CLK_TCK")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            text = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = text[text.rfind(")") + 2:].split()
        found[int(pid)] = (int(fields[1]), sum(int(f) for f in fields[11:15]) / tick)  # utime stime cutime cstime
    return found


def tree_cpu(roots):
    """CPU seconds used so far by the processes under ``roots`` (gunicorn's recycled workers and PostgreSQL's
    finished backends count in their parent's waited-for children)."""
    processes, total, todo = _processes(), 0.0, [r for r in roots if r]
    while todo:
        pid = todo.pop()
        total += processes.get(pid, (0, 0))[1]
        todo += [child for child, (parent, _) in processes.items() if parent == pid]
    return total


def postgres_pid():
    """The throw-away server's postmaster (scripts/with-postgres starts it with -p PORT), if there is one."""
    port = re.search(r":(\d+)/", os.environ.get("DATABASE_URL", ""))
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if port and command[0].endswith(b"/postgres") and f"-p {port.group(1)}".encode() in b" ".join(command):
            return int(pid)
    return None


class LoadAverage(threading.Thread):
    """The 1-minute load average every 5 seconds while locust runs."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples, self.done = [], threading.Event()

    def run(self):
        while not self.done.wait(5):
            self.samples.append(os.getloadavg()[0])


def run_locust(*, host, users, duration, spawn_rate, prefix, accounts, extra_env=None, locust_log=None):
    """Locust, headless, for ``duration`` seconds; returns locust's exit code and its CPU seconds."""
    command = [str(Path(PYTHON).parent / "locust"), "-f", str(HERE / "locustfile.py"), "--headless",
               "--host", host, "--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", f"{duration}s",
               "--stop-timeout", "10", "--csv", str(prefix), "--csv-full-history", "--only-summary",
               "--loglevel", "WARNING"]
    env = {**os.environ, "LOAD_ACCOUNTS": str(accounts), "LOAD_IMPORTS_OUT": f"{prefix}_imports.json",
           "LOAD_REQUESTS_OUT": f"{prefix}_requests.json", **(extra_env or {})}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(locust_log or f"{prefix}_locust.log", "wb") as output:
        code = subprocess.run(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                              timeout=duration + 120).returncode
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return code, round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1)


def read_stats(prefix):
    """locust's per-request rows and the aggregate, and its failures."""
    with open(f"{prefix}_stats.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(f"{prefix}_failures.csv", newline="") as f:
        failures = [{"method": r["Method"], "name": r["Name"], "error": r["Error"], "count": int(r["Occurrences"])}
                    for r in csv.DictReader(f)]
    return rows, failures


def figures(row):
    return {"requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
            "rps": round(float(row["Requests/s"]), 1), "median_ms": int(float(row["50%"] or 0)),
            "p95_ms": int(float(row["95%"] or 0)), "p99_ms": int(float(row["99%"] or 0)),
            "max_ms": int(float(row["Max Response Time"] or 0))}


def steady_state(prefix, settle=15):
    """The figures of the requests that started ``settle`` seconds or more after the last user had started (and
    signed in): the ramp-up's sign-ins each hash a password (PBKDF2, Django's default cost) and are not the
    service's steady load. Percentiles by nearest rank over every request."""
    data = json.loads(Path(f"{prefix}_requests.json").read_text())
    if not data["spawned_at"]:
        return None
    since = data["spawned_at"] + settle
    rows = [r for r in data["requests"] if r[0] >= since and r[1] != "SCENARIO"]
    if not rows:
        return None
    times = sorted(r[3] for r in rows)
    until = max(r[0] + r[3] / 1000 for r in rows)

    def rank(p):
        return round(times[max(0, math.ceil(p / 100 * len(times)) - 1)])

    return {"from_s": round(since - min(r[0] for r in data["requests"])), "seconds": round(until - since),
            "requests": len(rows), "rps": round(len(rows) / (until - since), 1), "median_ms": rank(50),
            "p95_ms": rank(95), "p99_ms": rank(99), "failures": sum(1 for r in rows if r[4])}


def logged_failures(prefix):
    """Failed requests in the locustfile's own log of every request (locust's CSV files are written once a
    second and not again when it quits, so they can miss the last second)."""
    data = json.loads(Path(f"{prefix}_requests.json").read_text())
    failed = {}
    for _, kind, name, _, error in data["requests"]:
        if error:
            failed[(kind, name, error)] = failed.get((kind, name, error), 0) + 1
    return len(data["requests"]), [{"method": k, "name": n, "error": e, "count": c} for (k, n, e), c in failed.items()]


def server_errors(log_path, offset):
    """What the server wrote since ``offset``: database locks, tracebacks and 5xx responses in the access log."""
    with open(log_path, "rb") as f:
        f.seek(offset)
        text = f.read().decode(errors="replace")
    return {"database_locked": text.count("database is locked"), "tracebacks": text.count("Traceback"),
            "http_5xx": len(re.findall(r'" 5\d\d ', text))}


def table(results):
    lines = ["| database | users | duration | requests | req/s | median | p95 | p99 | steady state: req/s, median, p95, "
             "p99 | failures | server errors | imports | load average (start / max / end) | server CPU (cores; per "
             "request) | locust CPU |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        a, st = r["aggregate"], r["steady"]
        steady = (f"{st['rps']}, {st['median_ms']} ms, {st['p95_ms']} ms, {st['p99_ms']} ms (from {st['from_s']} s)"
                  if st else "")
        failures = "; ".join(f"{f['count']}× {f['method']} {f['name']}: {f['error']}" for f in r["failures"]) or "0"
        errors = ", ".join(f"{k} {v}" for k, v in r["server_errors"].items() if v) or "none"
        imports = ", ".join(f"{i['status']} in {i['seconds']} s" for i in r["imports"]) or "none"
        lines.append(f"| {r['db']} | {r['users']} | {r['duration_s']} s | {a['requests']:,} | {a['rps']} | "
                     f"{a['median_ms']} ms | {a['p95_ms']} ms | {a['p99_ms']} ms | {steady} | {failures} | {errors} | "
                     f"{imports} | "
                     f"{r['load_start']} / {r['load_max']} / {r['load_end']} | {r['server_cores_used']}; "
                     f"{r['server_cpu_ms_per_request']} ms | {r['locust_cpu_s']} s |")
    return "\n".join(lines)


def slow_requests(prefix, over_ms=1000):
    """Every request that took longer than ``over_ms`` (issue 19, point 4), by kind: how many, the slowest, and when
    in the run they started (seconds from the first request), from the locustfile's log of every request."""
    data = json.loads(Path(f"{prefix}_requests.json").read_text())
    if not data["requests"]:
        return []
    start = min(r[0] for r in data["requests"])
    slow = {}
    for started, kind, name, ms, _ in data["requests"]:
        if ms > over_ms and kind != "SCENARIO":
            slow.setdefault(f"{kind} {name}", []).append((round(started - start), round(ms)))
    return [{"request": name, "count": len(found), "slowest_ms": max(ms for _, ms in found),
             "at_s": [at for at, _ in found]} for name, found in sorted(slow.items(), key=lambda kv: -len(kv[1]))]


def per_request(rows):
    lines = ["| request | count | failures | median | p95 | p99 | max |", "|---|---|---|---|---|---|---|"]
    for row in sorted((r for r in rows if r["Name"] != "Aggregated"), key=lambda r: -float(r["95%"] or 0)):
        f = figures(row)
        lines.append(f"| {row['Type']} {row['Name']} | {f['requests']} | {f['failures']} | {f['median_ms']} ms | "
                     f"{f['p95_ms']} ms | {f['p99_ms']} ms | {f['max_ms']} ms |")
    return "\n".join(lines)


# The whole run ---------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--users", default="10,50,100", help="comma-separated user counts, run one after another")
    parser.add_argument("--duration", type=int, default=180, help="seconds of each locust run (default 180)")
    parser.add_argument("--spawn-rate", type=float, default=2, help="users started per second (default 2)")
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "load-results"))
    parser.add_argument("--var-dir", help="default: a new temporary folder, removed at the end")
    parser.add_argument("--keep", action="store_true", help="keep the VAR_DIR")
    parser.add_argument("--quiet-load", type=float, default=0,
                        help="before each run, wait until the 1-minute load average is below this (shared machines)")
    parser.add_argument("--quiet-wait", type=int, default=900, help="but no longer than this many seconds")
    options = parser.parse_args()
    users = [int(n) for n in options.users.split(",")]
    # Stopped with SIGTERM (or SIGINT, which a background job ignores): tear down all the same.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    if options.db == "postgres" and not os.environ.get("LOAD_UNDER_POSTGRES"):
        # Again, under a throw-away PostgreSQL (scripts/with-postgres sets DATABASE_URL and removes it after).
        os.environ["LOAD_UNDER_POSTGRES"] = "1"
        os.execv(str(ROOT / "scripts" / "with-postgres"),
                 [str(ROOT / "scripts" / "with-postgres"), PYTHON, str(Path(__file__).resolve()), *sys.argv[1:]])
    if options.db == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        os.environ.pop("ANALYTICS_URL", None)

    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    var_dir = Path(options.var_dir or tempfile.mkdtemp(prefix="load-var-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    # Production settings (scripts/serve-production sets DEBUG=0, DEMO=0, SECURE=0); a gunicorn control socket
    # of its own (gunicorn's default is one per home folder, shared with anyone else's gunicorn).
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DEMO", "PYTEST_VERSION", "PYTEST_CURRENT_TEST")}
    env.update(VAR_DIR=str(var_dir), SECRET_KEY=secrets.token_urlsafe(50), XDG_RUNTIME_DIR=str(var_dir),
               DJANGO_SETTINGS_MODULE="config.settings")
    if options.db == "postgres":
        env.setdefault("CONN_MAX_AGE", "60")  # as deploy/env.example; the SQLite demo runs without it
    results = []
    try:
        started = time.monotonic()
        log(f"setting up in {var_dir} ({options.db})")
        accounts = prepare(env, accounts=max(users), out=var_dir / "load")
        log(f"set up in {time.monotonic() - started:.0f} s; starting the server on 127.0.0.1:{options.port}")
        server_log = out / f"{options.db}-server.log"
        server_log.unlink(missing_ok=True)
        with Server(env, options.port, server_log) as server:
            for count in users:
                time.sleep(10)  # let the worker and the load average settle
                waited = time.monotonic()
                while options.quiet_load and os.getloadavg()[0] >= options.quiet_load \
                        and time.monotonic() - waited < options.quiet_wait:
                    time.sleep(5)
                if options.quiet_load:
                    log(f"waited {time.monotonic() - waited:.0f} s for the load average ({os.getloadavg()[0]:.2f})")
                prefix = out / f"{options.db}-{count}u"
                offset = server_log.stat().st_size
                sampler = LoadAverage()
                load_start = os.getloadavg()[0]
                roots = [server.process.pid, postgres_pid()]
                cpu_before = tree_cpu(roots)
                sampler.start()
                log(f"locust: {count} users, {options.duration} s, spawn rate {options.spawn_rate}/s")
                code, cpu = run_locust(host=f"http://127.0.0.1:{options.port}", users=count,
                                       duration=options.duration, spawn_rate=options.spawn_rate, prefix=prefix,
                                       accounts=accounts)
                sampler.done.set()
                server_cpu = tree_cpu(roots) - cpu_before
                rows, failures = read_stats(prefix)
                logged, failed = logged_failures(prefix)
                if sum(f["count"] for f in failed) > sum(f["count"] for f in failures):
                    failures = failed
                imports_file = Path(f"{prefix}_imports.json")
                result = {
                    "db": options.db, "users": count, "duration_s": options.duration, "spawn_rate": options.spawn_rate,
                    "aggregate": figures(next(r for r in rows if r["Name"] == "Aggregated")),
                    "requests": {f"{r['Type']} {r['Name']}": figures(r) for r in rows if r["Name"] != "Aggregated"},
                    "steady": steady_state(prefix), "failures": failures, "requests_logged": logged,
                    "over_1s": slow_requests(prefix),
                    "server_errors": server_errors(server_log, offset),
                    "imports": json.loads(imports_file.read_text()) if imports_file.exists() else [],
                    "load_start": round(load_start, 2), "load_max": round(max(sampler.samples or [0]), 2),
                    "load_end": round(os.getloadavg()[0], 2), "locust_cpu_s": cpu, "locust_exit": code,
                    # gunicorn, its workers, the task worker and PostgreSQL: CPU per request is what the machine's
                    # other users change least; 2 cores / it is what a dedicated 2-core machine could serve.
                    "server_cpu_s": round(server_cpu, 1),
                }
                requests = result["aggregate"]["requests"]
                result["server_cpu_ms_per_request"] = round(server_cpu * 1000 / requests, 1) if requests else None
                result["server_cores_used"] = round(server_cpu / options.duration, 2)
                results.append(result)
                over = "\n".join(f"- {s['request']}: {s['count']}, the slowest {s['slowest_ms']:,} ms, started at "
                                 f"{', '.join(map(str, s['at_s'][:12]))}{' …' if len(s['at_s']) > 12 else ''} s"
                                 for s in result["over_1s"]) or "- none"
                (out / f"{options.db}-{count}u_requests.md").write_text(
                    per_request(rows) + "\n\nRequests over 1 s (when they started, seconds into the run):\n\n"
                    + over + "\n")
                log(f"{count} users: {result['aggregate']}, steady state {result['steady']}, failures {failures or 0}, "
                    f"server {result['server_errors']}")
    finally:
        if not options.keep and not options.var_dir:
            shutil.rmtree(var_dir, ignore_errors=True)

    versions = subprocess.run([str(Path(PYTHON).parent / "pip"), "freeze"], capture_output=True, text=True).stdout
    wanted = ("django==", "gunicorn==", "locust==", "psycopg==", "weasyprint==", "duckdb==")
    summary = {"when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "machine": f"{platform.node()}, {os.cpu_count()} CPUs, {platform.python_version()}",
               "versions": [line for line in versions.splitlines() if line.lower().startswith(wanted)],
               "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                        text=True).stdout.strip(),
               "results": results}
    (out / f"summary-{options.db}.json").write_text(json.dumps(summary, indent=1))
    markdown = table(results)
    (out / f"summary-{options.db}.md").write_text(markdown + "\n")
    print(markdown)
    bad = any(r["aggregate"]["failures"] or r["failures"] or any(r["server_errors"].values()) for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "_prepare":
        _prepare(json.loads(sys.argv[2]))
    else:
        sys.exit(main())
