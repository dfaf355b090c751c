"""The rules of docs/architecture.md ("What must never depend on what"), checked against the imports in the code.

Each rule names the apps a module may not import. The places that break a rule today, while issue 20 moves them,
are listed by file in WAITING: a new import that breaks a rule fails here, whichever file it is in."""
import ast
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = sorted(p.name for p in (ROOT / "safeguarding").iterdir() if (p / "__init__.py").exists())
# The demo package loads every app in its order (ADR 0023): the one place allowed to know them all.
APPS_BUT_DEMO = [app for app in APPS if app != "demo"]
FEATURES = {"audits", "dashboard", "indicators", "lado", "partnership", "registers", "reports", "returns", "reviews"}

# (the rule as docs/architecture.md words it, the app whose modules it covers, the apps they must not import)
RULES = [
    ("core knows no feature", "core", FEATURES | {"api", "benchmarks"}),
    ("accounts rests on core alone", "accounts", set(APPS) - {"accounts", "core"}),
    ("the published comparators stand alone", "benchmarks", set(APPS) - {"benchmarks"}),
    ("nothing depends on the API", None, {"api"}),
    ("nothing depends on the yearly report", None, {"reports"}),
    ("nothing depends on the demo", None, {"demo"}),
    ("registers do not reach into each other", "lado", {"registers", "reviews", "audits"}),
    ("registers do not reach into each other", "registers", {"lado", "reviews", "audits"}),
    ("registers do not reach into each other", "reviews", {"lado", "registers", "audits"}),
    ("registers do not reach into each other", "audits", {"lado", "registers", "reviews"}),
    ("the partnership register knows no other register", "partnership", {"audits", "lado", "registers", "reviews"}),
]

# Breaks of the rules on main today, each being moved by a point of issue 20; remove a line when its move lands.
WAITING = {
    ("lado", "safeguarding/lado/views.py", "registers"),  # point 4: the CSV download from core
}


def imported_modules(path):
    """Every module a file imports by its full name, in functions too."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


def imports_of(app):
    """(file, imported app) for every import of another of our apps in an app's code."""
    found = set()
    for path in sorted((ROOT / "safeguarding" / app).rglob("*.py")):
        if "migrations" not in path.parts:
            for name in imported_modules(path):
                parts = name.split(".")
                if parts[0] == "safeguarding" and len(parts) > 1 and parts[1] != app:
                    found.add((str(path.relative_to(ROOT)), parts[1]))
    return found


@pytest.mark.parametrize("rule, app, forbidden", RULES, ids=[f"{r[1] or 'any'}: {r[0]}" for r in RULES])
def test_no_app_imports_what_the_map_forbids(rule, app, forbidden):
    broken = [
        f"{path} imports safeguarding.{imported} ({rule})"
        for owner in ([app] if app else APPS_BUT_DEMO)
        for path, imported in sorted(imports_of(owner))
        if imported in forbidden and imported != owner and (owner, path, imported) not in WAITING
    ]
    assert not broken, "\n".join(broken)


def test_the_pure_engine_imports_no_django_and_no_app():
    # the calendar and the DfE's ethnic groups: plain modules
    allowed = {"safeguarding.indicators.engine", "safeguarding.working_days", "safeguarding.ethnic_groups"}
    for path in (ROOT / "safeguarding" / "indicators" / "engine").rglob("*.py"):
        for name in imported_modules(path):
            assert not name.startswith("django"), f"{path.relative_to(ROOT)} imports {name}"
            if name.startswith("safeguarding"):
                assert any(name.startswith(a) for a in allowed), f"{path.relative_to(ROOT)} imports {name}"


def test_every_app_is_on_the_map():
    text = (ROOT / "docs" / "architecture.md").read_text()
    assert [app for app in APPS if f"`{app}`" not in text] == []


def test_every_document_the_code_cites_is_in_the_repository():
    """The code once cited a design note that was not in the repository: each citation names a file that is."""
    cited = re.compile(r"\b(?:docs/[\w/.-]+?\.md|DESIGN\.md)\b")
    skipped = {".git", ".venv", "node_modules", "build", "var", "__pycache__"}  # not ours, or made by a build
    missing = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in skipped]
        for path in (Path(folder) / name for name in files if name.endswith((".py", ".md", ".html"))):
            missing += [f"{path.relative_to(ROOT)} cites {name}"
                        for name in cited.findall(path.read_text()) if not (ROOT / name).exists()]
    assert missing == []
