"""The DfE's published rule packages as a test oracle for the returns importer (issue 12, point 3).

`csc-validator-be-cin` and `csc-validator-be-903` live in a venv of their own, made by scripts/peer-validators
from the pins in requirements.txt beside this file; they are never a dependency of the system and never
imported here. run_peer.py runs inside that venv as a subprocess and prints JSON.

    from tests.returns.peer_validators import peer_findings, peer_validators  # the fixture, for pytest to find

    @pytest.mark.peer_validators
    def test_same_children(peer_validators):
        peer = peer_findings("cin", [path], 2023)      # {("8925", "DfEX0000001"), ("2887Q", None), ...}

A finding is (rule code as the package writes it, child identifier exactly as written in the file); the child
is None for a finding about the whole return (e.g. 2883, 2887Q) or a record without an identifier.
peer_run() gives the whole report: rule set used, package version, rules that failed or were skipped.

The `peer_validators` fixture makes the venv once per test session (the first time on a machine this takes a
minute: it installs from PyPI) and skips the test, saying why, only when the venv cannot be made. With
PEER_VALIDATORS_REQUIRED=1 that is a failure instead of a skip.
"""

import functools
import json
import os
import subprocess

import pytest

from tests import skips

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
SCRIPT = os.path.join(REPO, "scripts", "peer-validators")
RUNNER = os.path.join(HERE, "run_peer.py")
PEER_RETURNS = os.fspath(skips.PEER_RETURNS)  # the skip policy's folder (PEER_RETURNS_DIR, else ../shared/...)

SETUP_TIMEOUT = 900  # seconds: a first install on a cold machine
RUN_TIMEOUT = 300


class PeerValidatorsUnavailable(RuntimeError):
    """The peer venv could not be made (no suitable Python, no registry)."""


class PeerRunError(RuntimeError):
    """A package refused the input, or the runner failed."""

    def __init__(self, message, report=None):
        super().__init__(message)
        self.report = report


@functools.lru_cache(maxsize=None)
def peer_python():
    """Make (or check) the peer venv once per process; its python's path."""
    try:
        done = subprocess.run(
            [SCRIPT], capture_output=True, text=True, timeout=SETUP_TIMEOUT, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PeerValidatorsUnavailable(f"scripts/peer-validators could not run: {error}") from error
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise PeerValidatorsUnavailable(f"scripts/peer-validators failed ({done.returncode}):\n{tail}")
    return done.stdout.strip().splitlines()[-1]


def peer_run(kind, paths, year=None, *, last_year=(), la=None, isolated=False):
    """The whole JSON report of one package run.

    kind: "cin" (one XML file) or "903" (the CSV tables of one return; last_year: the previous return's
    tables). year: the collection year (2023 = year to 31 March 2023); for CIN it defaults to the header's.
    isolated (903): give each rule its own copy of the tables (see run_peer.py)."""
    if kind not in ("cin", "903"):
        raise ValueError(f"kind is 'cin' or '903', not {kind!r}")
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    command = [peer_python(), "-I", RUNNER, kind, *map(os.fspath, paths)]
    if year is not None:
        command += ["--year", str(int(year))]
    if last_year:
        command += ["--last", *map(os.fspath, last_year)]
    if la:
        command += ["--la", la]
    if isolated:
        command.append("--isolated")
    done = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL)
    try:
        report = json.loads(done.stdout) if done.stdout.strip() else None
    except json.JSONDecodeError:
        report = None
    if done.returncode != 0 or report is None or "error" in report:
        reason = (report or {}).get("error") or done.stderr.strip()[-2000:] or f"exit {done.returncode}"
        raise PeerRunError(f"{kind} peer run on {', '.join(map(str, paths))}: {reason}", report)
    return report


def peer_findings(kind, paths, year=None, **options):
    """{(rule, child)} the package reports for a return; see peer_run for the arguments."""
    report = peer_run(kind, paths, year, **options)
    return {(item["rule"], item["child"]) for item in report["findings"]}


@pytest.fixture(scope="session")
def peer_validators():
    """The peer venv's python, made once per session; skips (or, with PEER_VALIDATORS_REQUIRED=1, fails)
    when it cannot be made."""
    try:
        return peer_python()
    except PeerValidatorsUnavailable as error:
        if os.environ.get("PEER_VALIDATORS_REQUIRED") == "1":
            pytest.fail(f"peer validators required but unavailable: {error}")
        pytest.skip(f"peer validators unavailable: {error}")
