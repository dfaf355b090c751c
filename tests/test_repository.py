"""What the repository itself must not hold, and the dependency audit's reading of its reports (issue 8, point 6)."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import audit_report  # noqa: E402

# What a committed secret looks like: key blocks, cloud and service tokens, a Django secret key or a password
# written into code or config. Allowed: the demo password (public by design, README), the key settings.py uses
# only under DEBUG, DEMO or tests (it says so in its value), and deploy/env.example's placeholder password.
SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |OPENSSH |DSA |PGP )?PRIVATE KEY"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abpr]-[A-Za-z0-9-]{10,}"),
    "secret key assigned": re.compile(r"SECRET_KEY\s*=\s*['\"][^'\"$]{20,}['\"]"),
    "password in a URL": re.compile(r"[a-z]+://[^/\s:@'\"]+:[^/\s@'\"{}$]{6,}@"),
}
ALLOWED = {"demo-partnership-2021", "insecure-local-only-key", "://partnership:password@"}


def tracked_files():
    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [ROOT / name for name in names.decode().split("\0") if name]


def find_secrets(text):
    return [(kind, match.group(0)[:40]) for kind, pattern in SECRET_PATTERNS.items()
            for match in pattern.finditer(text) if not any(a in match.group(0) for a in ALLOWED)]


def test_no_secret_is_committed():
    found = []
    for path in tracked_files():
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        try:
            text = path.read_text()
        except UnicodeDecodeError:
            continue  # images, fonts
        found += [(str(path.relative_to(ROOT)), *hit) for hit in find_secrets(text)]
    assert not found, f"secrets in tracked files: {found}"


def test_the_secret_scan_finds_what_it_looks_for():
    # Put together here so that this file does not itself hold what the scan looks for.
    sample = "\n".join(["-----BEGIN RSA " + "PRIVATE KEY-----", "AKIA" + "ABCDEFGHIJKLMNOP",
                        "SECRET_KEY = " + "'abcdefghijklmnopqrstuvwxyz0123'", "postgres://app:" + "hunter22@db/app"])
    assert {kind for kind, _ in find_secrets(sample)} == {"private key", "AWS access key", "secret key assigned",
                                                          "password in a URL"}
    assert find_secrets("postgres://postgres@127.0.0.1:5432/x DATABASE_URL=postgres://{USER}:{PASSWORD}@h") == []


def test_runtime_secrets_and_data_stay_out_of_git():
    ignored = subprocess.run(["git", "check-ignore", "var/secret_key", "var/db.sqlite3", "var/analytics.duckdb",
                              "var/uploads/x.xml"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert ignored == ["var/secret_key", "var/db.sqlite3", "var/analytics.duckdb", "var/uploads/x.xml"]


@pytest.mark.parametrize("report, code", [
    ({"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]}, 0),
    ({"dependencies": [{"name": "django", "version": "4.0", "vulns": [{"id": "PYSEC-1", "fix_versions": ["4.0.1"]}]},
                       {"name": "rules", "version": "3", "vulns": []}]}, 1),
    ({"dependencies": [{"name": "django", "version": "5.2.19", "skip_reason": "not found on PyPI"}]}, 2),
])
def test_pip_audit_report(report, code, tmp_path):
    path = tmp_path / "pip.json"
    path.write_text(json.dumps(report))
    assert audit_report.main("pip", path) == code


@pytest.mark.parametrize("report, code", [
    ({"vulnerabilities": {}, "metadata": {"vulnerabilities": {"low": 0, "high": 0, "critical": 0}}}, 0),
    ({"vulnerabilities": {"x": {"severity": "moderate"}}, "metadata": {"vulnerabilities": {"moderate": 1}}}, 0),
    ({"vulnerabilities": {"sass": {"severity": "high"}}, "metadata": {"vulnerabilities": {"high": 1}}}, 1),
    ({"message": "405 Method Not Allowed"}, 2),
])
def test_npm_audit_report(report, code, tmp_path):
    path = tmp_path / "npm.json"
    path.write_text(json.dumps(report))
    assert audit_report.main("npm", path) == code


def test_a_missing_report_is_not_a_clean_one(tmp_path):
    assert audit_report.main("pip", tmp_path / "none.json") == 2
