"""Production runs without the development tools (issue 13, point 3).

requirements.lock holds what the running service imports; requirements-dev.lock adds the test, benchmark, load,
fuzz and audit tools at the same pins. Nothing the service runs (safeguarding/, config/, manage.py, the gunicorn
configuration) may import a package that only the development lock installs: production would fail on it.
"""
import ast
import importlib.metadata
import re
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_SOURCES = [ROOT / "safeguarding", ROOT / "config", ROOT / "manage.py", ROOT / "deploy" / "gunicorn.conf.py"]
OUR_PACKAGES = {"safeguarding", "config"}
# Imported by the runtime sources only where an optional extra is asked for, inside a function, and never by the web
# service: pyspark when `indicators --backend spark` runs (requirements-spark.lock, ADR 0030).
OPTIONAL = {"pyspark": ["safeguarding/indicators/engine/pool.py"]}


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_names(path):
    """Distribution names a requirements file names (.in or lock), without -r/-c lines, extras or versions."""
    names = set()
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(normalise(re.split(r"[\[<>=!~;\s]", line, maxsplit=1)[0]))
    return names


def pins(path):
    return dict(re.findall(r"(?m)^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", path.read_text()))


def dev_only_distributions():
    """Named in requirements-dev.in and not in requirements.in, or installed only by the development lock."""
    named = requirement_names(ROOT / "requirements-dev.in") - requirement_names(ROOT / "requirements.in")
    locked = requirement_names(ROOT / "requirements-dev.lock") - requirement_names(ROOT / "requirements.lock")
    return named | locked


def import_names(distributions):
    """Top-level module names that only these distributions provide (read from the installed metadata: the
    tests run with the development lock installed)."""
    names = set()
    for module, owners in importlib.metadata.packages_distributions().items():
        if owners and all(normalise(owner) in distributions for owner in owners):
            names.add(module)
    # A distribution without installed metadata is still known by its usual module name.
    names |= {name.replace("-", "_") for name in distributions}
    return names


def imports_in(source, filename="<source>"):
    """(top-level module, line) for every absolute import in a module's source, at any depth (imports inside
    functions run in production too)."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            found += [(alias.name.split(".")[0], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module.split(".")[0], node.lineno))
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None))
              == "import_module" and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)):
            found.append((node.args[0].value.split(".")[0], node.lineno))
    return found


def runtime_imports():
    """{top-level module: [where]} over the runtime sources, and the dotted paths the settings name (apps,
    middleware, backends, storages), which Django imports by name."""
    found = {}
    files = [p for source in RUNTIME_SOURCES for p in ([source] if source.is_file() else source.rglob("*.py"))]
    for path in files:
        for module, line in imports_in(path.read_text(), str(path)):
            found.setdefault(module, []).append(f"{path.relative_to(ROOT)}:{line}")
    dotted = [*settings.INSTALLED_APPS, *settings.MIDDLEWARE, *settings.AUTHENTICATION_BACKENDS,
              *(t["BACKEND"] for t in settings.TEMPLATES), *(s["BACKEND"] for s in settings.STORAGES.values()),
              *(t["BACKEND"] for t in settings.TASKS.values()), *settings.REST_FRAMEWORK.get(
                  "DEFAULT_AUTHENTICATION_CLASSES", [])]
    for path in dotted:
        found.setdefault(path.split(".")[0], []).append("config/settings.py (by name)")
    return found


def test_the_service_imports_no_development_tool():
    dev_only = import_names(dev_only_distributions())
    wrong = {module: where for module, where in runtime_imports().items() if module in dev_only}
    assert not wrong, ("runtime code imports packages only requirements-dev.lock installs (production would fail): "
                       f"{wrong}; move the import to tests/ or perf/, or the package to requirements.in")


def test_every_package_the_service_imports_is_in_the_runtime_lock():
    runtime = requirement_names(ROOT / "requirements.lock")
    owners = importlib.metadata.packages_distributions()
    missing = {}
    for module, where in runtime_imports().items():
        if module in sys.stdlib_module_names or module in OUR_PACKAGES or module == "__future__":
            continue
        if {w.split(":")[0] for w in where} <= set(OPTIONAL.get(module, [])):
            continue
        distributions = {normalise(d) for d in owners.get(module, [module])}
        if not distributions & runtime:
            missing[module] = (sorted(distributions), where[:3])
    assert not missing, f"imported by the service but not pinned in requirements.lock: {missing}"


def test_the_check_finds_a_development_import():
    # So that the two tests above cannot pass for want of looking.
    dev_only = import_names(dev_only_distributions())
    assert {"pytest", "hypothesis", "playwright", "locust", "schemathesis", "pip_audit", "pypdf"} <= dev_only
    assert not {"django", "ibis", "pandas", "pyarrow", "weasyprint", "gunicorn", "PIL"} & dev_only
    sample = "import os\nimport hypothesis.strategies\n\ndef f():\n    from pypdf import PdfReader\n"
    assert [m for m, _ in imports_in(sample) if m in dev_only] == ["hypothesis", "pypdf"]
    assert {"django", "ibis", "whitenoise", "django_tasks_db"} <= set(runtime_imports())


def test_the_development_lock_pins_the_runtime_at_the_same_versions():
    runtime, dev = pins(ROOT / "requirements.lock"), pins(ROOT / "requirements-dev.lock")
    assert runtime and dev
    differ = {name: (version, dev.get(name)) for name, version in runtime.items() if dev.get(name) != version}
    assert not differ, f"requirements-dev.lock differs from requirements.lock (runtime, dev): {differ}"


def test_each_lock_holds_what_its_file_names():
    for source, lock in [("requirements.in", "requirements.lock"), ("requirements-dev.in", "requirements-dev.lock"),
                         ("requirements-spark.in", "requirements-spark.lock")]:
        missing = requirement_names(ROOT / source) - requirement_names(ROOT / lock)
        assert not missing, f"{lock} lacks {missing} named in {source}: run the uv pip compile command in its header"
    runtime_names = requirement_names(ROOT / "requirements.in")
    assert "pytest" not in runtime_names and "gunicorn" in runtime_names


def test_the_spark_extra_is_not_in_the_service_and_pins_the_development_lock():
    # ADR 0030: PySpark and Polars only in the spark extra, at the development lock's versions of everything else.
    spark, dev = pins(ROOT / "requirements-spark.lock"), pins(ROOT / "requirements-dev.lock")
    assert {"pyspark", "polars"} <= set(spark)
    assert not {"pyspark", "py4j", "polars"} & (requirement_names(ROOT / "requirements.lock")
                                                | requirement_names(ROOT / "requirements-dev.lock"))
    differ = {name: (version, spark.get(name)) for name, version in dev.items() if spark.get(name) != version}
    assert not differ, f"requirements-spark.lock differs from requirements-dev.lock (dev, spark): {differ}"
    # The service imports pyspark only inside the functions that start or read a Spark session (engine/pool.py).
    assert {where.split(":")[0] for where in runtime_imports()["pyspark"]} == set(OPTIONAL["pyspark"])
