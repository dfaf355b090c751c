"""What may depend on what (issue 20, point 5: core knows no feature).

The indicator engine is pure Python and Ibis, so it can run outside the web service (a national run, a notebook);
the working-day calendar it counts with is a plain module beside the apps for the same reason.
"""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "safeguarding"


def django_modules_loaded_by(module):
    """The Django modules a fresh interpreter has loaded after importing `module` (no settings configured)."""
    script = (f"import {module}, sys; "
              "print(' '.join(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))))")
    finished = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                              env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}, timeout=120)
    assert finished.returncode == 0, finished.stderr
    return finished.stdout.split()


@pytest.mark.parametrize("module", ["safeguarding.indicators.engine.run", "safeguarding.indicators.engine.definitions",
                                    "safeguarding.indicators.engine.pool", "safeguarding.working_days"])
def test_the_engine_and_its_calendar_load_no_django(module):
    assert django_modules_loaded_by(module) == []


def test_the_engine_loads_pyspark_only_when_spark_is_asked_for():
    # The web service runs without the spark extra (ADR 0030): importing the engine and the pool module must not
    # import pyspark, whether it is installed or not.
    script = ("import safeguarding.indicators.engine.run, safeguarding.indicators.engine.pool, sys; "
              "print(sorted(m for m in sys.modules if m == 'pyspark' or m.startswith('pyspark.')))")
    finished = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                              env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}, timeout=120)
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip() == "[]"


def test_the_check_sees_django_when_it_is_loaded():
    # The check above could pass by never importing anything; a module that does use Django shows it can fail.
    assert "django.conf" in django_modules_loaded_by("safeguarding.returns.store")


def imported_modules(path):
    names = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def test_the_calendar_is_not_in_the_django_core():
    assert not (SOURCES / "core" / "working_days.py").exists()
    for path in SOURCES.rglob("*.py"):
        assert "safeguarding.core.working_days" not in imported_modules(path), path


def test_returns_do_not_import_indicators():
    # The indicators read the store of returns; the returns reach the figures only through returns/figures.py.
    for path in (SOURCES / "returns").rglob("*.py"):
        found = [m for m in imported_modules(path) if m.startswith("safeguarding.indicators")]
        assert not found, f"{path.relative_to(ROOT)} imports {found}"


def test_backups_go_through_the_stores_methods():
    # Not the store's file, URL or DuckDB connections: export, restore, count and postgres_params only.
    source = (SOURCES / "core" / "backups.py").read_text()
    for internal in ("duckdb_path", "store.url", "duckdb.connect", "EXPORT DATABASE '", "IMPORT DATABASE"):
        assert internal not in source, internal
