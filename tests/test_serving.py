"""Production serving: gunicorn with the repository's configuration, DEBUG off, on loopback, answers the
health and readiness checks and serves pages and collected static files; readiness says what is wrong."""
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url):
    request = urllib.request.Request(url, headers={"Host": "127.0.0.1"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def served_env(var_dir, *, workers, test_settings=True, **extra):
    """The environment of gunicorn serving the system as in production on a free loopback port (``env["BASE"]`` is
    its address): DEBUG off, its own SQLite database and files in var_dir, and its own control socket (gunicorn's
    default is one in the home folder, shared by every gunicorn on the machine). With test_settings the test run's
    settings stay (fast password hashing, background tasks run inline); without, it is not a test run at all."""
    port = _free_port()
    dropped = {"DATABASE_URL", "ANALYTICS_URL", "PYTEST_CURRENT_TEST"} | (set() if test_settings else {"PYTEST_VERSION"})
    env = {name: value for name, value in os.environ.items() if name not in dropped}
    env.update(DEBUG="0", DEMO="0", SECURE="0", SECRET_KEY="x" * 60, VAR_DIR=str(var_dir),
               DATABASE_URL=f"sqlite:///{var_dir / 'db.sqlite3'}", GUNICORN_BIND=f"127.0.0.1:{port}",
               GUNICORN_WORKERS=str(workers), DJANGO_SETTINGS_MODULE="config.settings",
               BASE=f"http://127.0.0.1:{port}", XDG_RUNTIME_DIR=str(var_dir), **extra)
    return env


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Gunicorn:
    """gunicorn with deploy/gunicorn.conf.py on a free loopback port, stopped on exit."""

    def __init__(self, env):
        self.env = env

    def __enter__(self):
        self.server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for _ in range(150):
            try:
                _get(f"{self.env['BASE']}/healthz")
                return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):  # not answering yet: its master is warming up (when_ready)
                time.sleep(0.2)
        self.server.kill()  # no __exit__ after a failed __enter__: do not leave it serving after the test
        self.server.wait()
        raise AssertionError("gunicorn did not start")

    def __exit__(self, *exc):
        self.server.terminate()
        output = self.server.communicate(timeout=30)[0].decode()
        assert "Traceback" not in output, output


def test_gunicorn_serves_the_system(tmp_path):
    env = served_env(tmp_path, workers=2)
    base = env["BASE"]
    with Gunicorn(env):
        assert _get(f"{base}/healthz")[0] == 200
        status, _, body = _get(f"{base}/readyz")
        assert status == 503 and b"database migrations not applied" in body and b"static files not collected" in body

    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    with Gunicorn(env):
        status, _, body = _get(f"{base}/readyz")
        assert status == 200, body
        opener = urllib.request.build_opener(NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(urllib.request.Request(f"{base}/p/southwark/", headers={"Host": "127.0.0.1"}))
        assert redirect.value.code == 302 and "/account/sign-in/" in redirect.value.headers["Location"]
        status, headers, body = _get(f"{base}/account/sign-in/")
        assert status == 200 and "script-src 'self'" in headers["Content-Security-Policy"]
        css = next(part for part in body.decode().split('"') if part.startswith("/static/css/app."))
        status, headers, _ = _get(base + css)
        assert status == 200 and "max-age" in headers.get("Cache-Control", "")
