"""A known disparity planted in a simulated history (``generate_returns --plant-disparity``, issue 16 point 3):
children of one ethnic group go on from one decision point to the next at k times the rate of other children,
so that the analysis (indicators/disproportionality.py) can be shown to find it.

Nothing about what happens to children changes, so every published count the generator reproduces stays exact:
only who belongs to the group does. Among the children at the point (as the year's return shows them, by the
definitions of docs/indicators.md, "Decision points"), the group keeps its share, and is split between those who
went on and those who did not so that its share going on is k times the others'. The group of a child is fixed
across years: a child referred in more than one of the years written is placed by the first of them, so the
planted rate is exact in that year and only approximate in later ones (the test plants in one year).
"""
import random
from dataclasses import dataclass

from safeguarding.ethnic_groups import ETHNIC_GROUPS

from . import calendar as cal
from .simulate import ETHNICITIES

POINTS = ("referred", "assessed", "s47", "icpc", "plan")


@dataclass(frozen=True)
class Disparity:
    group: str  # one of ETHNIC_GROUPS
    point: str  # the point gone on to: assessed, s47, icpc or plan (from the point before it)
    rate: float  # k

    @classmethod
    def parse(cls, text):
        """"Black:s47:1.5" -> Disparity("Black", "s47", 1.5); ValueError when it is not one."""
        try:
            group, point, rate = text.split(":")
            rate = float(rate)
        except ValueError:
            raise ValueError("give GROUP:POINT:RATE, e.g. Black:s47:1.5") from None
        if group not in ETHNIC_GROUPS:
            raise ValueError(f"the group must be one of {', '.join(ETHNIC_GROUPS)}")
        if point not in POINTS[1:]:
            raise ValueError(f"the point must be one of {', '.join(POINTS[1:])}")
        if not rate > 0:
            raise ValueError("the rate must be positive")
        return cls(group, point, rate)


def reached(child, year):
    """The furthest point (index in POINTS) the child's referrals of ``year`` reached in the year's return, or
    None when the child was not referred in it."""
    ys, ye = cal.year_start(year), cal.year_end(year)
    best = None
    for e in child.episodes:
        if not ys <= e.ref <= ye:
            continue
        level = 0
        if any(a[1] <= ye for a in e.assess):
            level = 1
            if any(s[0] <= ye for s in e.s47):
                level = 2
                if any(s[2] is not None and s[2] <= ye for s in e.s47):
                    level = 3
                    if any(p.start <= ye for p in e.plans):
                        level = 4
        best = level if best is None else max(best, level)
    return best


def plant(history, years, disparity, seed):
    """Re-draw the ethnicity of the children at the point before ``disparity.point`` (module docstring)."""
    rng = random.Random(f"disparity:{seed}:{history.la}:{disparity}")
    codes = ETHNIC_GROUPS[disparity.group]
    target = POINTS.index(disparity.point)
    placed = set()
    for year in sorted(years):
        at = []
        for child in history.children:
            if child.idx in placed:
                continue
            level = reached(child, year)
            if level is not None and level >= target - 1:
                at.append((child, level >= target))
        placed.update(child.idx for child, _ in at)
        if not at:
            continue
        went_on = [c for c, on in at if on]
        stayed = [c for c, on in at if not on]
        if not went_on or not stayed:
            continue
        share, k = sum(c.eth in codes for c, _ in at) / len(at), disparity.rate
        in_went_on = k * share / (1 - share + k * share)  # P(group | went on) for a rate of k, the share kept
        n_went_on = min(len(went_on), round(in_went_on * len(went_on)))
        n_stayed = min(len(stayed), max(0, round(share * len(at)) - n_went_on))
        chosen = set(map(id, rng.sample(went_on, n_went_on) + rng.sample(stayed, n_stayed)))
        # drawn with the generator's own weights, within the group or outside it
        group_codes = [c for c in ETHNICITIES if c in codes]
        other_codes = [c for c in ETHNICITIES if c not in codes]
        for child, _ in at:
            if (id(child) in chosen) != (child.eth in codes):
                child.eth = rng.choice(group_codes if id(child) in chosen else other_codes)
