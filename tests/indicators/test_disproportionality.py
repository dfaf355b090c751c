"""What the disproportionality figures can be compared with nationally, and how they are suppressed."""
from types import SimpleNamespace

import pandas as pd
from django.conf import settings

from safeguarding.core import disclosure
from safeguarding.indicators import disproportionality as dp
from safeguarding.indicators.engine import definitions as d

CSC_TOPICS = ("children", "social", "care", "looked", "protection", "referral", "workforce")


def test_the_shipped_dfe_files_hold_no_childrens_social_care_figures_by_ethnicity():
    """The page and report say there is no national comparator: true while this passes. If a file gains such
    figures, this fails, and the comparison should be shown."""
    dfe = settings.PUBLISHED_DATA_DIR / "dfe"
    found = dp.ethnic_measures(dfe)
    assert "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv" in found
    lait = found.pop("lait_data_dictionary.csv")
    assert lait, "the check reads the dictionary (it has attainment by ethnic group)"
    topics = {entry.split(":")[0] for entry in lait}
    assert topics <= {"Foundation Stage", "Key Stage 2", "Key Stage 4"}, topics
    assert not any(found.values()), found
    measures = pd.read_parquet(dfe / "lait_bds_long.parquet", columns=["Short Desc"])["Short Desc"].dropna().unique()
    by_ethnicity = [m for m in measures if dp._ethnic(m)]
    assert by_ethnicity and all(m.startswith(("KS2_", "FSP_", "AVG_Attain8", "AVG_Prog8")) for m in by_ethnicity)


def _counts(black_referred, black_assessed):
    counts = {key: dict.fromkeys(d.POINTS, 0) for key in
              [("all", "All children")] + [(dim, g) for dim, groups in d.DIMENSIONS.items() for g in groups]}
    groups = {"White": (60, 40), "Black": (black_referred, black_assessed), "Asian": (30, 20)}
    for group, (referred, assessed) in groups.items():
        counts[("ethnicity", group)].update(referred=referred, assessed=assessed)
    total = sum(r for r, _ in groups.values()), sum(a for _, a in groups.values())
    counts[("all", "All children")].update(referred=total[0], assessed=total[1])
    counts[("sex", "Male")].update(referred=total[0], assessed=total[1])
    counts[("age", "5 to 9")].update(referred=total[0], assessed=total[1])
    return counts


def test_a_small_group_is_c_and_cannot_be_worked_out_from_the_total():
    counts = _counts(black_referred=8, black_assessed=3)
    found = dp.disclosure({2021: counts}, disclosure.Disclosure())
    rows = {r.group: r for r in dp.from_counts(counts)[("referred", "assessed")]}
    black, asian = rows["Black"], rows["Asian"]
    assert found.is_hidden(*dp.row_keys(2021, black))  # 3 went on: the share and the rate are c
    # the total shown, so a second group's count that went on is hidden too (the smallest other)
    assert found.is_hidden(*dp.row_keys(2021, asian))
    assert not found.is_hidden(*dp.row_keys(2021, rows["All children"]))
    assert not found.is_hidden(*dp.row_keys(2021, rows["White"]))


def test_nothing_is_hidden_when_every_count_is_large():
    counts = _counts(black_referred=50, black_assessed=30)
    found = dp.disclosure({2021: counts}, disclosure.Disclosure())
    for row in dp.from_counts(counts)[("referred", "assessed")]:
        assert not found.is_hidden(*dp.row_keys(2021, row)), row.group


def test_stored_values_add_up_for_the_api_as_well():
    """The API's disclosure over stored values (core.disclosure.indicator_values) hides a second group when one is
    c, so the one cannot be worked out from all children less the others."""
    counts = _counts(black_referred=8, black_assessed=3)
    values = [SimpleNamespace(year=2021, indicator=code, numerator=n, denominator=m, value=None)
              for code, n, m in dp.values_for(counts)]
    found = disclosure.indicator_values(values)
    hidden = {v.indicator for v in values if disclosure.value_hidden(found, v)}
    assert "decision:assessed:ethnicity:Black" in hidden
    assert "decision:assessed:ethnicity:Asian" in hidden
    assert "decision:assessed:ethnicity:White" not in hidden
    assert "decision:assessed:all:All children" not in hidden
