"""The only skips a run may have, and the check that fails a run with any other (tests/conftest.py, when
FAIL_ON_SKIP=1, as .ci/run sets it).

A skip is allowed by the start of its reason, and only in the run it belongs to:
- "needs the PostgreSQL run": in the SQLite run (`make test`); in the PostgreSQL run it would hide a test.
- "needs the SQLite run": in the PostgreSQL run (`make test-postgres`), and the reverse.
- "needs ../shared/data/peer_returns": only where that folder is not beside the repository; where it is (in CI),
  such a test must run.
Anything else (a data folder missing, an import that failed, an empty parameter list, a forgotten
`pytest.skip`) fails the run. An xfail is not a skip (a strict one fails by itself when it passes).

Mark tests with the markers below rather than writing the reasons again; tests that read the peer returns take
their folder from PEER_RETURNS (PEER_RETURNS_DIR if set, else ../shared/data/peer_returns).
"""
import os
from pathlib import Path

import pytest

POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
PEER_RETURNS = Path(os.environ.get("PEER_RETURNS_DIR")
                    or Path(__file__).resolve().parents[1].parent / "shared" / "data" / "peer_returns")

NEEDS_POSTGRES = "needs the PostgreSQL run"
NEEDS_SQLITE = "needs the SQLite run"
NEEDS_PEER_RETURNS = "needs ../shared/data/peer_returns"

needs_postgres = pytest.mark.skipif(not POSTGRES, reason=f"{NEEDS_POSTGRES} (make test-postgres)")
needs_sqlite = pytest.mark.skipif(POSTGRES, reason=f"{NEEDS_SQLITE} (make test)")
needs_peer_returns = pytest.mark.skipif(not PEER_RETURNS.is_dir(),
                                        reason=f"{NEEDS_PEER_RETURNS} (not beside the repository here)")


def allowed(reason):
    """Whether a skip with this reason may happen in this run."""
    if reason.startswith(NEEDS_POSTGRES):
        return not POSTGRES
    if reason.startswith(NEEDS_SQLITE):
        return POSTGRES
    if reason.startswith(NEEDS_PEER_RETURNS):
        return not PEER_RETURNS.is_dir()
    return False


def reason_of(report):
    """The reason pytest gives for a skipped test or collector ("Skipped: " taken off)."""
    longrepr = report.longrepr
    text = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    return text.removeprefix("Skipped: ")


class SkipPolicy:
    """A pytest plugin: records every skip of the run and, at the end, fails the session (exit status 1) if any
    of them is not allowed, listing them."""

    def __init__(self):
        self.refused = []  # (node id, reason)

    def _record(self, report):
        if report.skipped and not hasattr(report, "wasxfail"):
            reason = reason_of(report)
            if not allowed(reason):
                self.refused.append((report.nodeid, reason))

    def pytest_runtest_logreport(self, report):
        self._record(report)

    def pytest_collectreport(self, report):
        self._record(report)

    def pytest_report_header(self, config):
        return ("FAIL_ON_SKIP=1: a skip fails the run unless it needs the other database"
                + (" or ../shared/data/peer_returns, which is not here" if not PEER_RETURNS.is_dir() else
                   " (../shared/data/peer_returns is here: its tests must run)"))

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        if self.refused and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter):
        if self.refused:
            terminalreporter.section("skips not allowed (FAIL_ON_SKIP=1; see tests/skips.py)", red=True, bold=True)
            for nodeid, reason in self.refused:
                terminalreporter.line(f"{nodeid}: {reason}")
            terminalreporter.line(f"{len(self.refused)} skip(s) not allowed: the run fails")
