"""The database goes away under a live service: PostgreSQL restarted while requests write, SQLite locked by
another writer. Requests meanwhile get a page that says what happened and what to do (503), never a stack trace
or a 500; the service recovers by itself; every write that was acknowledged is there afterwards."""
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


from tests.reliability.instance import DEMO_SLUG, Instance, Server, server_url, wait_for
from tests.skips import needs_postgres, needs_sqlite
from tests.test_serving import _free_port

ADD_MEETING = f"/p/{DEMO_SLUG}/register/meetings/add/"
UNAVAILABLE = "Sorry, the service is unavailable for a moment"


def _meeting(title):
    return {"title": title, "held_on-day": "14", "held_on-month": "1", "held_on-year": "2021", "subgroup": "",
            "notes": ""}


def _meetings(instance, prefix):
    return [row[0] for row in instance.sql("SELECT title FROM partnership_meeting WHERE title LIKE ?",
                                           (prefix + "%",))]


def _assert_clear_unavailable_page(response):
    assert response.status == 503, (response.status, response.text[:3000])
    assert UNAVAILABLE in response.text and "enter it again" in response.text
    assert "Traceback" not in response.text and "OperationalError" not in response.text
    assert response.headers.get("Retry-After") == "30"


class Cluster:
    """A PostgreSQL server of the test's own (the run's server is not restarted under the other tests), started
    as scripts/with-postgres starts one: a temporary folder, loopback only, as the postgres user when root."""

    def __init__(self):
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
        self.bin = Path(os.environ.get("PG_BIN") or bins[-1].parent)
        self.dir = Path(tempfile.mkdtemp(prefix="reliability-pg-"))
        self.port = _free_port()
        self.run_as = []
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres")
            self.run_as = ["runuser", "-u", "postgres", "--"]

    def ctl(self, *args):
        started = time.monotonic()
        # The server's output goes to its log (-l), never to a pipe of ours that it would hold open.
        subprocess.run([*self.run_as, str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-w", "-t", "60",
                        "-l", str(self.dir / "server.log"), *args], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        return time.monotonic() - started

    def __enter__(self):
        subprocess.run([*self.run_as, str(self.bin / "initdb"), "-D", str(self.dir / "data"), "-U", "postgres",
                        "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
        self.ctl("-o", f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off", "start")
        return self

    def __exit__(self, *exc):
        try:
            self.ctl("-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, database):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


@needs_postgres
def test_postgresql_restarted_under_writes_loses_no_acknowledged_write(instances, tmp_path):
    template = instances.template or instances.make_template()
    with Cluster() as cluster:
        # The demo instance, copied onto the test's own server.
        dump = tmp_path / "template.pgdump"
        subprocess.run([str(cluster.bin / "pg_dump"), "-Fc", "-f", str(dump), "--dbname",
                        server_url(template.database_name)], check=True)
        subprocess.run([str(cluster.bin / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres",
                        "partnership"], check=True)
        subprocess.run([str(cluster.bin / "pg_restore"), "--no-owner", "--exit-on-error", "--dbname",
                        cluster.url("partnership"), str(dump)], check=True)
        instance = Instance(tmp_path / "var", cluster.url("partnership"))
        instance.var_dir.mkdir()
        (instance.var_dir / "static").symlink_to(template.var_dir / "static")
        session = instance.sign_in("admin@sscp.example")

        # Kept connections (CONN_MAX_AGE), as a busy production service would use them.
        with Server(instance, CONN_MAX_AGE=600) as server:
            browsers = [server.browser(session) for _ in range(2)]
            results, stop, numbers = [], threading.Event(), itertools.count()

            def write(browser):
                token = browser.csrf_token(ADD_MEETING)
                while not stop.is_set():
                    title = f"Restart test {next(numbers):05d}"
                    started = time.monotonic()
                    try:
                        response = browser.post(ADD_MEETING, _meeting(title), token=token, timeout=30)
                        results.append((title, started, time.monotonic(), response, None))
                    except Exception as error:
                        results.append((title, started, time.monotonic(), None, error))

            writers = [threading.Thread(target=write, args=(b,)) for b in browsers]
            for writer in writers:
                writer.start()
            try:
                wait_for(lambda: sum(1 for r in results if r[3] is not None and r[3].status == 302) >= 10, 60,
                         "ten meetings saved before the restart")
                restart_started = time.monotonic()
                restart_took = cluster.ctl("-m", "fast", "restart")
                restart_ended = time.monotonic()
                wait_for(lambda: sum(1 for r in results if r[1] > restart_ended) >= 20, 60,
                         "twenty requests after the restart")
            finally:
                stop.set()
                for writer in writers:
                    writer.join(timeout=60)

            assert [r for r in results if r[4] is not None] == [], "every request was answered"
            statuses = {r[3].status for r in results}
            assert statuses <= {302, 503}, f"only saved or 'unavailable': {statuses}"
            failed = [r for r in results if r[3].status == 503]
            assert failed, "the restart was seen by some requests"
            for r in failed:
                _assert_clear_unavailable_page(r[3])
            after = [r for r in results if r[1] > restart_ended]
            assert all(r[3].status == 302 for r in after), "once the database is back, every request succeeds"
            assert browsers[0].get("/readyz").status == 200
            first_success = min(r[2] for r in results if r[1] >= restart_started and r[3].status == 302)

            # Restarted again while nothing is running: each gunicorn worker still holds a connection to the old
            # server (CONN_MAX_AGE); checked before reuse (CONN_HEALTH_CHECKS), it is replaced, and no request fails.
            cluster.ctl("-m", "fast", "restart")
            token = browsers[0].csrf_token(ADD_MEETING)
            for number in range(6):
                title = f"Restart test quiet {number}"
                results.append((title, 0, 0, browsers[0].post(ADD_MEETING, _meeting(title), token=token), None))
                assert results[-1][3].status == 302, f"request {number + 1} after a quiet restart failed"

        acknowledged = [r[0] for r in results if r[3].status == 302]
        stored = _meetings(instance, "Restart test")
        assert sorted(set(stored)) == sorted(stored), "no meeting saved twice"
        missing = set(acknowledged) - set(stored)
        assert not missing, f"acknowledged writes lost: {sorted(missing)}"
        unacknowledged_kept = len(set(stored) - set(acknowledged))
        assert "Traceback" not in "\n".join(line for line in server.output.splitlines() if "gunicorn" in line)
    print(f"\nPostgreSQL restart (-m fast, {restart_took:.1f} s): {len(results)} writes, {len(acknowledged)} "
          f"acknowledged and all kept, {len(failed)} answered 503, {unacknowledged_kept} unacknowledged kept; "
          f"service back {first_success - restart_started:.1f} s after the restart began")


@needs_sqlite  # SQLite's locking; the PostgreSQL run restarts its server instead
def test_sqlite_write_waits_for_a_lock_and_says_busy_when_it_lasts(instances):
    instance = instances.copy("sqlite-lock")
    database = instance.var_dir / "db.sqlite3"
    hold = ("import sqlite3, sys, time\n"
            "con = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "con.execute('BEGIN IMMEDIATE')\n"
            "print('locked', flush=True)\n"
            "time.sleep(float(sys.argv[2]))\n"
            "con.execute('COMMIT')\n")

    def locked_for(seconds):
        process = subprocess.Popen([sys.executable, "-c", hold, str(database), str(seconds)], stdout=subprocess.PIPE,
                                   text=True)
        assert process.stdout.readline().strip() == "locked"
        return process

    with Server(instance, SQLITE_BUSY_TIMEOUT_MS=2000) as server:
        admin = server.browser(instance.sign_in("admin@sscp.example"))
        token = admin.csrf_token(ADD_MEETING)

        # Another writer holds the database for 1 s: the save waits for it, then succeeds.
        locker = locked_for(1.0)
        started = time.monotonic()
        response = admin.post(ADD_MEETING, _meeting("Lock test waited"), token=token)
        waited = time.monotonic() - started
        locker.wait(timeout=30)
        assert response.status == 302, response.text[:2000]
        assert waited >= 0.5
        assert _meetings(instance, "Lock test waited") == ["Lock test waited"]

        # Held longer than the busy timeout (2 s here, 10 s by default): a clear 'try again' page, nothing saved.
        locker = locked_for(4.0)
        started = time.monotonic()
        response = admin.post(ADD_MEETING, _meeting("Lock test refused"), token=token)
        refused_after = time.monotonic() - started
        _assert_clear_unavailable_page(response)
        assert _meetings(instance, "Lock test refused") == []
        locker.wait(timeout=30)
        response = admin.post(ADD_MEETING, _meeting("Lock test refused"), token=token)
        assert response.status == 302
        assert _meetings(instance, "Lock test refused") == ["Lock test refused"]
    print(f"\nSQLite locked by another writer: a save waited {waited:.1f} s and succeeded; locked past the 2 s "
          f"busy timeout, it got the 503 page after {refused_after:.1f} s and succeeded when sent again")
