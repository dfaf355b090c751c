"""A disparity planted by the generator is found by the analysis, within its interval; none is found where none
was planted (issue 16, point 3; docs/synthetic-returns.md)."""
import filecmp
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safeguarding.indicators import disproportionality as dp
from safeguarding.indicators.engine.run import Engine
from safeguarding.returns.importer import import_return
from safeguarding.returns.synthetic import Disparity, generate
from safeguarding.returns.synthetic.disparity import reached
from tests.returns.test_synthetic import DFE

pytestmark = pytest.mark.django_db

LA, YEAR, SEED = "210", 2021, 7
# Southwark's 2021 return at twice its size: about 2,900 children reach an S47 enquiry from a completed assessment
# (a third of them Black), enough that an interval is about ±0.15 wide around a rate near 1.
SCALE = 2.0


def analysed(store, tmp_path, disparity=None):
    out = tmp_path / "returns"
    paths = [Path(p) for p in generate(LA, [YEAR], out, seed=SEED, scale=SCALE, dfe_dir=DFE, disparity=disparity)]
    for kind in ("cin_census", "ssda903"):
        import_return([p for p in paths if p.name.startswith(kind)], la=LA, store=store)
    counts = Engine(store.url, store.schema).decision_points()[(LA, YEAR)]
    return out, dp.from_counts(counts)


def row(steps, point, group):
    step = next(s for s in steps if s[1] == point)
    return next(r for r in steps[step] if r.group == group)


@pytest.mark.parametrize("planted", [Disparity("Black", "s47", 1.5), Disparity("Asian", "assessed", 0.8),
                                     Disparity("White", "plan", 1.3)])
def test_a_planted_relative_rate_is_found_within_its_interval(store, tmp_path, planted):
    _, steps = analysed(store, tmp_path, planted)
    found = row(steps, planted.point, planted.group)
    rate, low, high = found.rate
    assert low <= planted.rate <= high, (rate, low, high)
    assert not low <= 1 <= high, "the planted difference is large enough to be told from none"
    assert rate == pytest.approx(planted.rate, rel=0.05)


def test_nothing_planted_nothing_found(store, tmp_path):
    out, steps = analysed(store, tmp_path)
    for point, group in [("s47", "Black"), ("assessed", "Asian"), ("plan", "White")]:
        _, low, high = row(steps, point, group).rate
        assert low <= 1 <= high, (point, group, low, high)


def test_off_by_default_the_files_are_the_same_byte_for_byte(tmp_path):
    plain = generate(LA, [YEAR], tmp_path / "a", seed=3, scale=0.2, dfe_dir=DFE)
    again = generate(LA, [YEAR], tmp_path / "b", seed=3, scale=0.2, dfe_dir=DFE, disparity=None)
    planted = generate(LA, [YEAR], tmp_path / "c", seed=3, scale=0.2, dfe_dir=DFE,
                       disparity=Disparity("Black", "s47", 2))
    plain, again, planted = ([Path(p) for p in paths] for paths in (plain, again, planted))
    assert [p.read_bytes() for p in plain] == [p.read_bytes() for p in again]
    cin = [p for p in planted if p.suffix == ".xml"][0]
    assert not filecmp.cmp(cin, [p for p in plain if p.suffix == ".xml"][0], shallow=False)
    # only ethnicities change: every other line is the same
    before = [p for p in plain if p.suffix == ".xml"][0].read_text().splitlines()
    after = cin.read_text().splitlines()
    assert len(before) == len(after)
    assert all(a == b or ("<Ethnicity>" in a and "<Ethnicity>" in b) for a, b in zip(before, after))


def test_the_command_takes_the_option_and_refuses_a_wrong_one(tmp_path):
    call_command("generate_returns", la=LA, years="2021", out=str(tmp_path), seed=1, scale=0.1,
                 plant_disparity="Mixed:icpc:2", dfe_dir=str(DFE))
    assert (tmp_path / LA / "2021" / f"cin_census_{LA}_2021.xml").exists()
    for wrong in ("Purple:s47:2", "Black:lac:2", "Black:s47:0", "Black:s47"):
        with pytest.raises(CommandError, match="--plant-disparity"):
            call_command("generate_returns", la=LA, years="2021", out=str(tmp_path), plant_disparity=wrong,
                         dfe_dir=str(DFE))


def test_points_reached_follow_the_engines_definition():
    from types import SimpleNamespace as N

    ys = 737516  # 1 April 2020
    child = N(episodes=[N(ref=ys + 10, assess=[[ys + 11, ys + 30, []]], s47=[[ys + 12, ys + 27, None, 1, 0]],
                          plans=[N(start=ys + 40)]),  # a plan without a conference: reaches the enquiry
                        N(ref=ys - 5, assess=[[ys - 4, ys + 1, []]], s47=[], plans=[])])  # referred the year before
    assert reached(child, 2021) == 2
    assert reached(N(episodes=child.episodes[1:]), 2021) is None
