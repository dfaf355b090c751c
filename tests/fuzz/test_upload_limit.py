"""A 2 GB upload to the production server (gunicorn with deploy/gunicorn.conf.py, as tests/test_serving.py starts
it) is refused early: the 413 comes back after a few megabytes of the body at most (what the sockets buffer),
nothing writes the body to disk, and the worker's memory does not grow. The request carries a CSRF cookie, as a
browser's would: without the limit, Django's CSRF check would read (and stream to disk) the whole body first.

The limits are one: the upload page says the one in settings, and nginx's client_max_body_size allows exactly what
the largest page does."""
import http.client
import re
import select
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from safeguarding.core.formats import megabytes
from safeguarding.core.middleware import FORM_OVERHEAD_BYTES
from tests.test_serving import Gunicorn, served_env

ROOT = Path(__file__).resolve().parents[2]
GIB = 1024 ** 3
CHUNK = b"\0" * (256 * 1024)


def _rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _workers(master):
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def _csrf_cookie(port):
    """The CSRF cookie a browser holds after opening any form: with it, Django's CSRF check reads the body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/account/sign-in/")
    response = connection.getresponse()
    response.read()
    cookie = next(part for part in response.getheader("Set-Cookie", "").split(";") if "csrftoken=" in part)
    connection.close()
    return cookie.strip()


def _send_2_gb(port, path, cookie, cap=256 * 1024 * 1024):
    """POST a 2 GB multipart body, generated as it is sent, until the server answers (or `cap` bytes are sent):
    (status, response body, bytes of the body sent before the answer, seconds)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.putrequest("POST", path)
    connection.putheader("Cookie", cookie)
    connection.putheader("Content-Type", "multipart/form-data; boundary=fuzzboundary")
    connection.putheader("Content-Length", str(2 * GIB))
    connection.endheaders()
    sock = connection.sock
    sock.sendall(b'--fuzzboundary\r\nContent-Disposition: form-data; name="files"; filename="cin.xml"\r\n\r\n')
    sent, started = 0, time.monotonic()
    while sent < cap:
        readable, writable, _ = select.select([sock], [sock], [], 10)
        if readable:
            break
        if writable:
            try:
                sent += sock.send(CHUNK)
            except (BrokenPipeError, ConnectionResetError):
                break  # the server closed its side: its answer is waiting to be read
    answer = b""
    sock.settimeout(10)
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                break
            answer += data
            if b"</html>" in answer:
                break
    except (ConnectionResetError, socket.timeout):
        pass
    connection.close()
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else None
    return status, answer.decode("utf-8", "replace"), sent, time.monotonic() - started


def test_a_2_gb_upload_is_refused_early_by_the_production_server(tmp_path):
    (tmp_path / "tmp").mkdir()
    # As in production, not a test run; TMPDIR is where Django would stream an upload it read.
    env = served_env(tmp_path, workers=1, test_settings=False, TMPDIR=str(tmp_path / "tmp"))
    port = int(env["GUNICORN_BIND"].rsplit(":", 1)[1])
    # The refusal is a page of the site: it needs the collected static files' manifest (no database).
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    with Gunicorn(env) as server:
        workers = _workers(server.server.pid)
        before = {pid: _rss_kib(pid) for pid in workers}
        cookie = _csrf_cookie(port)
        for path in ("/p/southwark/returns/upload/", "/p/southwark/reviews/incidents/1/documents/add/",
                     "/account/sign-in/"):
            status, page, sent, seconds = _send_2_gb(port, path, cookie)
            assert status == 413, (path, status, page[:500])
            assert "You sent 2,048 MB" in page and "This page accepts at most" in page, page
            # Refused from the headers: what was sent before the answer is what the sockets' buffers took.
            assert sent < 64 * 1024 * 1024, f"{path}: {sent / 1e6:.0f} MB sent before the server answered"
            assert seconds < 20, seconds
            print(f"\n2 GB POST {path}: {status} after {sent / 1e6:.1f} MB of the body, {seconds:.2f} s")
        after = {pid: _rss_kib(pid) for pid in _workers(server.server.pid)}
        assert set(after) == set(before), "a worker died"
        growth = max(after[pid] - before[pid] for pid in before)
        assert growth < 20 * 1024, f"a worker grew by {growth / 1024:.0f} MB"
        print(f"worker memory: {max(before.values()) / 1024:.0f} MB before, grew by {growth / 1024:.1f} MB")
        assert not list((tmp_path / "tmp").iterdir()), "part of the body was written to disk"
        # and the server still answers
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
        assert connection.getresponse().status == 200


def test_the_limits_agree():
    """nginx takes as much as the largest page (the returns upload and its form), Django the same, and the upload
    page says the limit set in the settings."""
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    sizes = re.findall(r"^\s*client_max_body_size\s+(\d+)m;", nginx, re.M)
    assert sizes, "nginx.conf sets no client_max_body_size"
    largest = settings.RETURNS_MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES
    assert [int(size) * 1024 * 1024 for size in sizes] == [largest], (sizes, megabytes(largest))
    readme = (ROOT / "README.md").read_text()
    assert "| `RETURNS_MAX_UPLOAD_BYTES` |" in readme


@pytest.mark.django_db
def test_forms_without_files_take_what_django_reads_into_memory(client):
    from safeguarding.core.middleware import request_limit
    from tests.fuzz.targets import url_names

    limits = {name: request_limit(callback) for name, callback in url_names()}
    assert limits["returns:upload"] == settings.RETURNS_MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES
    assert limits["reviews:document-add"] == limits["audits:answer"] == 21 * 1024 * 1024
    others = {limit for name, limit in limits.items() if name not in ("returns:upload", "reviews:document-add",
                                                                        "audits:answer")}
    assert others == {settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
