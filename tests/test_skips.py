"""The skip policy of .ci/run (tests/skips.py, FAIL_ON_SKIP=1): a run with a skip that is not allowed fails and
says which; a skip for the other database, or for ../shared/data/peer_returns where it is absent, does not.

Each case runs a small suite of its own in a separate pytest, in the SQLite run's or the PostgreSQL run's
environment, and looks at its exit status and summary."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests import skips

ROOT = Path(__file__).resolve().parents[1]


def run(tmp_path, source, *, postgres=False, peer_returns=False, fail_on_skip=True, passing=True):
    """Runs `source` as a test module with the policy, as .ci/run would, beside a module with a test that passes
    (unless not `passing`); returns (exit status, output)."""
    peer = tmp_path / "peer_returns"
    if peer_returns:
        peer.mkdir(exist_ok=True)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    if passing:
        (tmp_path / "test_passing.py").write_text("def test_passes():\n    pass\n")
    (tmp_path / "conftest.py").write_text(textwrap.dedent("""\
        import os

        from tests import skips


        def pytest_configure(config):
            if os.environ.get("FAIL_ON_SKIP") == "1":
                config.pluginmanager.register(skips.SkipPolicy(), "skip-policy")
        """))
    (tmp_path / "test_case.py").write_text(textwrap.dedent(source))
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "FAIL_ON_SKIP")}
    env |= {"PYTHONPATH": str(ROOT), "FAIL_ON_SKIP": "1" if fail_on_skip else "0", "PEER_RETURNS_DIR": str(peer),
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}  # pytest's own plugins only: quicker
    if postgres:
        env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"  # only read, never connected to
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                           "-c", str(tmp_path / "pytest.ini"), "--rootdir", str(tmp_path), str(tmp_path)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout + done.stderr


DATABASES = """
    import pytest
    from tests import skips
    from tests.skips import NEEDS_SQLITE, needs_postgres, needs_sqlite

    def test_runs():
        pass

    @needs_postgres
    def test_postgres_only():
        pass

    @needs_sqlite
    def test_sqlite_only():
        pass

    def test_duckdb_store_only():
        if skips.POSTGRES:
            pytest.skip(f"{NEEDS_SQLITE}: reads a DuckDB file")
"""


@pytest.mark.parametrize("postgres", [False, True], ids=["sqlite-run", "postgres-run"])
def test_a_skip_for_the_other_database_is_allowed(tmp_path, postgres):
    status, output = run(tmp_path, DATABASES, postgres=postgres)
    assert status == 0, output
    assert ("4 passed, 1 skipped" if not postgres else "3 passed, 2 skipped") in output, output


@pytest.mark.parametrize("source,expected,postgres", [
    ("""
        import pytest

        @pytest.mark.skipif(True, reason="needs ../shared/data/dfe")
        def test_dfe():
            pass
     """, "needs ../shared/data/dfe", False),
    ("""
        import pytest

        def test_inside():
            pytest.skip("not ready yet")
     """, "not ready yet", False),
    ("""
        import pytest

        pytest.importorskip("a_module_that_is_not_installed")

        def test_never_collected():
            pass
     """, "a_module_that_is_not_installed", False),
    ("""
        import pytest

        @pytest.mark.parametrize("path", [])
        def test_over_no_files(path):
            pass
     """, "empty parameter set", False),
    ("""
        import pytest
        from tests.skips import NEEDS_POSTGRES

        def test_says_postgres_but_is_in_its_run():
            pytest.skip(f"{NEEDS_POSTGRES}: pretending")
     """, "needs the PostgreSQL run: pretending", True),
], ids=["missing-folder", "skip-call", "module-importorskip", "empty-parameters", "postgres-reason-in-its-run"])
def test_any_other_skip_fails_the_run_and_is_listed(tmp_path, source, expected, postgres):
    status, output = run(tmp_path, source, postgres=postgres)
    assert status == 1, output
    assert "skips not allowed" in output and expected in output.split("skips not allowed")[1], output
    assert run(tmp_path, source, postgres=postgres, fail_on_skip=False)[0] == 0  # the policy fails it, not a test


PEER = """
    from tests.skips import needs_peer_returns

    @needs_peer_returns
    def test_peer_returns():
        pass
"""


@pytest.mark.parametrize("present", [False, True], ids=["absent", "present"])
def test_peer_returns_may_skip_only_where_the_folder_is_absent(tmp_path, present):
    status, output = run(tmp_path, PEER, peer_returns=present)
    assert status == 0 and ("2 passed" if present else "1 passed, 1 skipped") in output, output


def test_a_peer_returns_skip_where_the_folder_is_fails_the_run(tmp_path):
    status, output = run(tmp_path, """
        import pytest
        from tests.skips import NEEDS_PEER_RETURNS

        def test_skips_anyway():
            pytest.skip(f"{NEEDS_PEER_RETURNS}: skipped although the folder is here")
    """, peer_returns=True)
    assert status == 1 and "skipped although the folder is here" in output, output


def test_an_xfail_is_not_a_skip_and_no_tests_stays_a_failure(tmp_path):
    status, output = run(tmp_path, """
        import pytest

        @pytest.mark.xfail(strict=True, reason="known")
        def test_known():
            assert False
    """)
    assert status == 0 and "1 passed, 1 xfailed" in output, output
    (tmp_path / "none").mkdir()
    status, output = run(tmp_path / "none", "", passing=False)
    assert status == pytest.ExitCode.NO_TESTS_COLLECTED, output


def test_the_allowed_reasons_belong_to_their_runs(monkeypatch, tmp_path):
    monkeypatch.setattr(skips, "POSTGRES", False)
    assert skips.allowed("needs the PostgreSQL run (make test-postgres)")
    assert not skips.allowed("needs the SQLite run (make test)")
    monkeypatch.setattr(skips, "POSTGRES", True)
    assert skips.allowed("needs the SQLite run (make test)") and not skips.allowed("needs the PostgreSQL run")
    monkeypatch.setattr(skips, "PEER_RETURNS", tmp_path / "absent")
    assert skips.allowed("needs ../shared/data/peer_returns (not beside the repository here)")
    monkeypatch.setattr(skips, "PEER_RETURNS", tmp_path)
    assert not skips.allowed("needs ../shared/data/peer_returns (not beside the repository here)")
    for reason in ("needs ../shared/data/dfe", "shared DfE data not available", "CIN schemas not available",
                   f"the shared DfE data folder {tmp_path} is not here (it sits beside the repository)", ""):
        assert not skips.allowed(reason)
