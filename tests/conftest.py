import os

import pytest

from safeguarding.accounts.roles import Role
from tests import factories


@pytest.fixture
def partnership(db):
    return factories.partnership("Testshire")


@pytest.fixture
def other_partnership(db):
    return factories.partnership("Elsewhere")


@pytest.fixture
def as_role(client, partnership):
    """as_role(Role.ADMIN) -> a test client signed in as a member holding that role."""

    def sign_in(role, p=None):
        user = factories.person(p or partnership, role)
        return factories.sign_in(client, user)

    return sign_in


@pytest.fixture
def admin_client(as_role):
    return as_role(Role.ADMIN)


@pytest.fixture
def store(tmp_path, settings):
    """A fresh analytical store: a DuckDB file, or a schema of its own on the PostgreSQL test run."""
    import uuid

    from safeguarding.returns.store import AnalyticalStore

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        settings.ANALYTICS_URL = ""
        settings.ANALYTICS_SCHEMA = f"test_{uuid.uuid4().hex[:12]}"
    else:
        settings.ANALYTICS_URL = f"duckdb:///{tmp_path / 'analytics.duckdb'}"
        settings.ANALYTICS_SCHEMA = "child_level"
    analytical = AnalyticalStore()
    yield analytical
    if analytical.kind == "postgres":
        analytical.drop()


# Issue 13: a skipped test is one that did not run. In CI (CI=true) only a test for the other database may skip
# (PostgreSQL-only tests on SQLite and the reverse); any other skip fails the run.
OTHER_DATABASE_SKIPS = ("needs the PostgreSQL run", "SQLite's locking", "reads a DuckDB store file")


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("CI", "").lower() not in ("1", "true", "yes"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    reasons = [report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
               for report in skipped]
    unexpected = [(report.nodeid, reason) for report, reason in zip(skipped, reasons)
                  if not any(allowed in reason for allowed in OTHER_DATABASE_SKIPS)]
    if unexpected:
        for nodeid, reason in unexpected:
            reporter.write_line(f"skipped in CI, which allows only the other database's tests to skip: {nodeid}: "
                                f"{reason}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
