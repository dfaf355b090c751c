import io
import os

import pytest
from django.core.management import call_command

from safeguarding.accounts.roles import Role
from tests import factories, profiles
from tests.skips import SkipPolicy

profiles.load()  # before the test modules are imported: their @settings take the profile's values


def pytest_configure(config):
    if os.environ.get("FAIL_ON_SKIP") == "1":
        config.pluginmanager.register(SkipPolicy(), "skip-policy")


def pytest_report_header(config):
    return (f"property-based tests: profile {profiles.settings.get_current_profile_name()!r}, schemathesis seed "
            f"{profiles.fuzz_seed()} " + ("(FUZZ_SEED=N repeats a seed)" if profiles.hunting() else
                                          "(the same examples every run; make fuzz-hunt for a random hunt)"))


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


@pytest.fixture(scope="session")
def demo_returns(tmp_path_factory):
    """The demo's synthetic returns, made once per run: making them takes most of loading the demo."""
    from safeguarding.demo import load, returns
    from safeguarding.returns.synthetic import default_dfe_dir, parse_years

    out = tmp_path_factory.mktemp("demo-returns")
    for data in load.PARTNERSHIPS:
        years = load.return_years(data, parse_years(load.YEARS))
        returns.make_returns(data.PARTNERSHIP["la_code"], years, dfe=default_dfe_dir(), out=out, say=lambda _: None)
    return out


@pytest.fixture
def demo(db, settings, tmp_path, demo_returns):
    """The whole demo as `make demo` loads it (load_demo --returns), with the returns made once per run; gives
    what the command printed. Its returns go to a DuckDB store on both runs (ANALYTICS_URL, a deployment this
    supports beside PostgreSQL): importing nine years of returns into a PostgreSQL schema takes 6-7 minutes a
    test, which is issue 19's to make faster (ADR 0024); the PostgreSQL store is tested by tests/returns and
    tests/indicators. The test's AnalyticalStore() is this store."""
    settings.VAR_DIR = tmp_path
    settings.ANALYTICS_URL = f"duckdb:///{tmp_path / 'analytics.duckdb'}"
    settings.ANALYTICS_SCHEMA = "child_level"
    (tmp_path / "demo-returns").symlink_to(demo_returns, target_is_directory=True)
    out = io.StringIO()
    call_command("load_demo", returns=True, stdout=out)
    return out.getvalue()
