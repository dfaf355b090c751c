"""Separate instances of the system for tests that kill and restart real processes.

An instance has its own VAR_DIR, its own application database (a SQLite file, or a database of its own on the
PostgreSQL server of a `scripts/with-postgres` run) and its own store of returns (a DuckDB file, or the schema
`child_level` of its PostgreSQL database), and runs with production settings (DEBUG off, not the test
settings pytest gets). Instances start as copies of one template, migrated with the demo loaded once per run.
"""
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from tests.test_serving import NoRedirect, _free_port, _get

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
SECRET_KEY = "reliability-" + "k3y" * 20
DEMO_SLUG = "southwark"
DEMO_LA = "210"


def server_url(database="postgres"):
    """The run's PostgreSQL server, addressed to another database on it."""
    parts = urllib.parse.urlparse(os.environ["DATABASE_URL"])
    return parts._replace(path=f"/{database}").geturl()


def pg_admin(sql):
    import psycopg

    with psycopg.connect(server_url("postgres"), autocommit=True) as con:
        con.execute(sql)


class Instance:
    def __init__(self, var_dir, database_url, **env):
        self.var_dir = Path(var_dir)
        self.database_url = database_url
        self.extra_env = env

    @property
    def postgres(self):
        return self.database_url.startswith("postgres")

    @property
    def database_name(self):
        return urllib.parse.urlparse(self.database_url).path.lstrip("/")

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}  # production settings
        env.update(DEBUG="0", DEMO="0", SECURE="0", SECRET_KEY=SECRET_KEY, DJANGO_SETTINGS_MODULE="config.settings",
                   VAR_DIR=str(self.var_dir), DATABASE_URL=self.database_url, ANALYTICS_URL="",
                   ANALYTICS_SCHEMA="child_level", TASKS_BACKEND="database", PYTHONUNBUFFERED="1")
        env.update(self.extra_env)
        env.update({k: str(v) for k, v in extra.items()})
        return env

    def manage(self, *args, check=True, timeout=300, env=None):
        finished = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env(**(env or {})),
                                  capture_output=True, text=True, timeout=timeout)
        if check and finished.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} failed ({finished.returncode}):\n"
                                 f"{finished.stdout}\n{finished.stderr}")
        return finished

    def shell(self, code, **env):
        """Run Python in the instance (manage.py shell); the last line it prints is JSON, returned decoded."""
        output = self.manage("shell", "-v", "0", "-c", code, env=env).stdout.strip().splitlines()
        return json.loads(output[-1]) if output else None

    def popen(self, args, **env):
        return subprocess.Popen(args, cwd=ROOT, env=self.env(**env), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)

    # -- looking at the data without the application --------------------------------------------------------
    def sql(self, query, params=()):
        if self.postgres:
            import psycopg

            with psycopg.connect(self.database_url) as con:
                return con.execute(query.replace("?", "%s"), params).fetchall()
        import sqlite3

        con = sqlite3.connect(self.var_dir / "db.sqlite3", timeout=30)
        try:
            return con.execute(query, params).fetchall()
        finally:
            con.close()

    def store_counts(self, la=DEMO_LA):
        """Rows per table of the store of returns for one authority (nothing loaded: {})."""
        tables = ["cin_children", "cin_episodes", "cin_assessments", "cin_plans", "cin_s47", "returns_loaded"]
        if self.postgres:
            found = self.sql("SELECT to_regclass('child_level.returns_loaded')")[0][0]
            if not found:
                return {}
            return {t: self.sql(f"SELECT count(*) FROM child_level.{t} WHERE la = ?", (la,))[0][0] for t in tables}
        import duckdb

        path = self.var_dir / "analytics.duckdb"
        if not path.exists():
            return {}
        con = duckdb.connect(str(path), read_only=True)
        try:
            return {t: con.execute(f"SELECT count(*) FROM child_level.{t} WHERE la = ?", (la,)).fetchone()[0]
                    for t in tables}
        finally:
            con.close()

    def sign_in(self, email):
        """A session for the person, with their two-factor device verified, as after signing in."""
        return self.shell(session_code(email) + "print(json.dumps(session.session_key))\n")


def session_code(email):
    """Python for Instance.shell that makes `session`, signed in as the person with two-factor verified."""
    return f"""
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django_otp.plugins.otp_totp.models import TOTPDevice
from safeguarding.accounts.models import User
user = User.objects.get(email={email!r})
device = (TOTPDevice.objects.filter(user=user, confirmed=True).first()
          or TOTPDevice.objects.create(user=user, name="reliability", confirmed=True))
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session["otp_device_id"] = device.persistent_id
session.create()
"""


# -- making instances -----------------------------------------------------------------------------------------

COLLECT_STATIC = """
from django.conf import settings
from django.core.management import call_command
settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
call_command("collectstatic", interactive=False, verbosity=0)
"""


class Instances:
    """Makes instances for one test run and removes their PostgreSQL databases afterwards."""

    def __init__(self, base):
        self.base = Path(base)
        self.databases = []
        self.template = None

    def _database(self, name, template=None):
        if POSTGRES:
            database = f"reliability_{name}_{uuid.uuid4().hex[:8]}"
            pg_admin(f'CREATE DATABASE "{database}"' + (f' TEMPLATE "{template.database_name}"' if template else ""))
            self.databases.append(database)
            return server_url(database)
        return None

    def empty(self, name):
        var_dir = self.base / f"{name}-{uuid.uuid4().hex[:6]}"
        var_dir.mkdir(parents=True)
        url = self._database(name) or f"sqlite:///{var_dir / 'db.sqlite3'}"
        return Instance(var_dir, url)

    def make_template(self):
        template = self.empty("template")
        # The hashed names and manifest production serves from, without the compressed copies (not under test).
        static = template.popen([sys.executable, "manage.py", "shell", "-v0", "-c", COLLECT_STATIC])
        try:
            template.manage("migrate", "--noinput", "-v0")
            template.manage("load_demo", env={"DEMO": "1"})
        finally:
            output = static.communicate(timeout=300)[0]
        assert static.returncode == 0, output
        self.template = template
        return template

    def copy(self, name):
        """A new instance holding what the template holds (the demo partnership, no returns)."""
        template = self.template or self.make_template()
        var_dir = self.base / f"{name}-{uuid.uuid4().hex[:6]}"
        var_dir.mkdir(parents=True)
        (var_dir / "static").symlink_to(template.var_dir / "static")
        url = self._database(name, template=template)
        if url is None:
            for suffix in ("", "-wal"):
                source = template.var_dir / f"db.sqlite3{suffix}"
                if source.exists():
                    shutil.copyfile(source, var_dir / f"db.sqlite3{suffix}")
            url = f"sqlite:///{var_dir / 'db.sqlite3'}"
        return Instance(var_dir, url)

    def close(self):
        for database in self.databases:
            try:
                pg_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            except Exception:  # the server may already be stopping at the end of the run
                pass


# -- serving ----------------------------------------------------------------------------------------------------

class Server:
    """gunicorn with deploy/gunicorn.conf.py for an instance, as tests/test_serving.py starts it (its helpers),
    with its log in a file (a busy access log would fill a pipe) and any WSGI module."""

    def __init__(self, instance, app="config.wsgi", workers=2, **env):
        self.instance, self.app, self.workers, self.extra = instance, app, workers, env

    def __enter__(self):
        port = _free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = self.instance.var_dir / f"gunicorn-{port}.log"
        env = self.instance.env(GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS=self.workers, **self.extra)
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py", self.app],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if _get(f"{self.base}/healthz")[0] == 200:
                    return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):  # not answering yet: its master is warming up (when_ready)
                pass
            assert self.process.poll() is None, self.output
            time.sleep(0.2)
        self.process.kill()  # no __exit__ after a failed __enter__: do not leave it serving after the test
        self.process.wait()
        raise AssertionError("gunicorn did not start:\n" + self.output)

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGINT)  # quick shutdown: nothing is left to finish
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()

    @property
    def output(self):
        return self.log_path.read_text() if self.log_path.exists() else ""

    def browser(self, session_key=None):
        return Browser(self.base, session_key)


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body
        self.text = body.decode("utf-8", "replace")

    @property
    def location(self):
        return self.headers.get("Location", "")


class Browser:
    """A person's browser: a cookie jar, the CSRF token from each form, no redirects followed."""

    def __init__(self, base, session_key=None):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        if session_key:
            self.jar.set_cookie(http.cookiejar.Cookie(
                0, "sessionid", session_key, None, False, "127.0.0.1", False, False, "/", True, False, None, False,
                None, None, {}))

    def request(self, path, data=None, content_type=None, timeout=60):
        request = urllib.request.Request(self.base + path, data=data, headers={"Host": "127.0.0.1"})
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return Response(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers), error.read())

    def get(self, path, **kwargs):
        return self.request(path, **kwargs)

    def csrf_token(self, path):
        page = self.get(path)
        assert page.status == 200, (path, page.status, page.text[:500])
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    def post(self, path, fields, files=(), token=None, timeout=60):
        """Post a form as a browser does (fetching the form first for its CSRF token, unless given one)."""
        fields = {"csrfmiddlewaretoken": token or self.csrf_token(path), **fields}
        if files:
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in fields.items():
                for item in value if isinstance(value, list) else [value]:
                    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{item}\r\n'
                                 .encode())
            for name, filename, content in files:
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"'
                             f'\r\nContent-Type: application/octet-stream\r\n\r\n'.encode() + content + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            return self.request(path, body, f"multipart/form-data; boundary={boundary}", timeout=timeout)
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        return self.request(path, body, "application/x-www-form-urlencoded", timeout=timeout)


def wait_for(predicate, timeout, what, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def children(pid):
    """Process ids whose parent is `pid` (gunicorn's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                pass
    return found
