"""The forecast's core is pure like the indicator engine: no Django, nothing of ours but itself."""
import subprocess
import sys
from pathlib import Path

from tests.test_architecture import imported_modules

ROOT = Path(__file__).resolve().parents[2]


def test_the_forecast_engine_imports_nothing_but_itself():
    for path in (ROOT / "safeguarding" / "forecast" / "engine").rglob("*.py"):
        for name in imported_modules(path):
            assert not name.startswith("django"), f"{path.relative_to(ROOT)} imports {name}"
            if name.startswith("safeguarding"):
                assert name.startswith("safeguarding.forecast.engine"), f"{path.relative_to(ROOT)} imports {name}"


def test_it_loads_no_django():
    code = ("import sys, safeguarding.forecast.engine.model, safeguarding.forecast.engine.backtest, "
            "safeguarding.forecast.engine.counts, safeguarding.forecast.engine.output; "
            "print(any(m.startswith('django') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
