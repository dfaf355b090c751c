import csv
import shutil
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

# The DfE/ONS files shipped with the code (published_data/dfe).
DFE = settings.PUBLISHED_DATA_DIR / "dfe"
DEMO = Path(__file__).resolve().parents[2] / "safeguarding" / "benchmarks" / "demo"

FILES = {
    "c1": "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
    "b1": "b1_children_in_need_2013_to_2025.csv",
    "c3": "c3_factors_identified_at_end_of_assessment_2018_to_2025.csv",
    "d3": "d3_cpps_subsequent_plan_2013_to_2025.csv",
    "d5": "d5_cpps_at31march_by_duration_2013_to_2025.csv",
    "cla": "cla_number_and_rate_per_10k_children.csv",
    "csww": "csww_indicators_2017_to_2025.csv",
    "ons": "ons_mid-year_population_estimates_2012_to_2024.csv",
    "sn2021": "New_Statistical_Neighbour_Groupings_April_2021.csv",
    "sn2025": "sn_model_2025_wide.csv",
    "lait": "lait_bds_long.parquet",
}


@pytest.fixture
def dfe():
    missing = [name for name in FILES.values() if not (DFE / name).is_file()]
    assert not missing, f"published DfE files missing from {DFE}: {', '.join(missing)}"
    return DFE


@pytest.fixture
def disguised(dfe, tmp_path):
    """disguised("c1") -> a copy of that file under a meaningless name, proving names do not matter."""
    def copy(key, suffix=".dat"):
        target = tmp_path / f"upload-{len(list(tmp_path.iterdir()))}{suffix}"
        shutil.copyfile(dfe / FILES[key], target)
        return target
    return copy


def run(*paths, **options):
    out = StringIO()
    call_command("import_benchmarks", *map(str, paths), stdout=out, **options)
    return out.getvalue()


def csv_rows(path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def published(cell):
    """A cell as the test expects it stored: (Decimal or None, marker)."""
    cell = cell.strip()
    try:
        return Decimal(cell), ""
    except ArithmeticError:
        return None, cell
