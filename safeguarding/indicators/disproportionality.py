"""Disproportionality at each decision point (docs/indicators.md, "Decision points"; ADR 0028): from the children at
each point that the engine counts (``definitions.decision_points_expr``), the share of a group who went on to the
next point, and its relative rate against all other children with a 95% confidence interval (Katz's log method).

Pure Python: no Django, no store. The stored values and the pages read the counts through ``from_values`` and
``from_counts``; what is shown as c is decided by ``core.disclosure`` (``disclosure``, below).
"""
import math
from dataclasses import dataclass

from safeguarding.indicators.engine.definitions import DIMENSIONS, STEPS

Z95 = 1.959963984540054  # the standard normal quantile for a two-sided 95% interval
ALL = ("all", "All children")
DIMENSION_TITLES = {"ethnicity": "Ethnic group", "sex": "Sex", "age": "Age at referral"}
POINT_TITLES = {"referred": "Referred", "assessed": "Assessment completed", "s47": "Section 47 enquiry",
                "icpc": "Initial child protection conference", "plan": "Child protection plan",
                "looked_after": "Started to be looked after"}
STEP_TITLES = {step: f"{POINT_TITLES[step[0]]} to {POINT_TITLES[step[1]].lower()}" for step in STEPS}
STEP_TITLES[("s47", "icpc")] = "Section 47 enquiry to initial conference"
STEP_TITLES[("icpc", "plan")] = "Initial conference to child protection plan"
CODE_PREFIX = "decision:"


def relative_rate(went_on, at_point, rest_went_on, rest_at_point):
    """(rate, low, high): the share of a group going on over the share of the rest, and its 95% interval by
    Katz's method (the log of the ratio taken as normal, standard error sqrt(1/a - 1/n + 1/b - 1/m)). None for
    what cannot be worked out: no one at the point on either side, or no one going on on either side (the log
    is then unbounded; the interval is not given)."""
    a, n, b, m = went_on, at_point, rest_went_on, rest_at_point
    if not n or not m or not b:
        return None, None, None
    rate = (a / n) / (b / m)
    if not a:
        return rate, None, None
    se = math.sqrt(1 / a - 1 / n + 1 / b - 1 / m)
    log = math.log(rate)
    return rate, math.exp(log - Z95 * se), math.exp(log + Z95 * se)


def code(step, dimension, group):
    """The IndicatorValue code of a step for a group: numerator the children who went on, denominator those at
    the point before."""
    return f"{CODE_PREFIX}{step[1]}:{dimension}:{group}"


def values_for(points):
    """[(code, went on, at the point)] for one authority and year, from ``definitions.roll_up``'s
    {(dimension, group): {point: children}}."""
    return [(code(step, dimension, group), counts[step[1]], counts[step[0]])
            for (dimension, group), counts in points.items() for step in STEPS]


@dataclass
class Row:
    """One group at one step: its counts, the rest's, and what is worked out from them."""

    dimension: str
    group: str
    step: tuple
    went_on: int
    at_point: int
    rest_went_on: int
    rest_at_point: int

    @property
    def share(self):
        return self.went_on / self.at_point if self.at_point else None

    @property
    def rest_share(self):
        return self.rest_went_on / self.rest_at_point if self.rest_at_point else None

    @property
    def rate(self):
        return relative_rate(self.went_on, self.at_point, self.rest_went_on, self.rest_at_point)


def from_counts(counts):
    """{step: [Row]} from {(dimension, group): {point: children}}, the groups of each dimension in their order
    (those with no child at the step's first point left out); "All children" first, with no rest."""
    total = counts.get(ALL)
    steps = {}
    for step in STEPS:
        rows = []
        if total:
            rows.append(Row(*ALL, step, total[step[1]], total[step[0]], 0, 0))
        for dimension, groups in DIMENSIONS.items():
            for group in groups:
                found = counts.get((dimension, group))
                if not found or not found[step[0]]:
                    continue
                rows.append(Row(dimension, group, step, found[step[1]], found[step[0]],
                                total[step[1]] - found[step[1]], total[step[0]] - found[step[0]]))
        steps[step] = rows
    return steps


def from_values(values):
    """{year: {(dimension, group): {point: children}}} from stored IndicatorValues (year, indicator, numerator,
    denominator) with codes from ``code``."""
    found = {}
    for v in values:
        if not v.indicator.startswith(CODE_PREFIX):
            continue
        point, dimension, group = v.indicator[len(CODE_PREFIX):].split(":", 2)
        counts = found.setdefault(v.year, {}).setdefault((dimension, group), {})
        counts[point] = v.numerator
        before = next(s[0] for s in STEPS if s[1] == point)
        counts[before] = v.denominator
    return found


def count_key(year, dimension, group, point):
    return (year, "decision", dimension, group, point)


def rest_key(year, dimension, group, point):
    return (year, "decision-rest", dimension, group, point)


def disclosure(counts_by_year, found):
    """Register every count the disproportionality figures use in the Disclosure ``found`` (core.disclosure): each
    group's children at each point, and the rest's (the total less the group: a share of the rest is worked out
    from it). The groups of a dimension add up to all children, and so do a group and its rest, so a hidden count
    is never the total less the others shown."""
    for year, counts in counts_by_year.items():
        total = counts.get(ALL)
        if not total:
            continue
        points = sorted({p for step in STEPS for p in step})
        for point in points:
            whole = count_key(year, *ALL, point)
            found.count(whole, total[point])
            for dimension, groups in DIMENSIONS.items():
                parts = []
                for group in groups:
                    n = counts.get((dimension, group), {}).get(point, 0)
                    key, rest = count_key(year, dimension, group, point), rest_key(year, dimension, group, point)
                    found.count(key, n)
                    found.count(rest, total[point] - n)
                    found.add_up(whole, [key, rest])
                    parts.append(key)
                found.add_up(whole, parts)
    return found


def row_keys(year, row):
    """The counts a row's share and relative rate are worked out from: the group's and the rest's."""
    keys = [count_key(year, row.dimension, row.group, row.step[1]), count_key(year, row.dimension, row.group,
                                                                               row.step[0])]
    if row.dimension != "all":
        keys += [rest_key(year, row.dimension, row.group, row.step[1]),
                 rest_key(year, row.dimension, row.group, row.step[0])]
    return keys


# -- national comparison --------------------------------------------------------------------------------------

ETHNIC_WORDS = ("ethnic", "white", "black", "asian", "mixed")
NO_COMPARATOR = ("The DfE publishes no children's social care figures by ethnic group among the files this system "
                 "holds: the children in need, child protection, looked-after and workforce files have none, and "
                 "the DfE's local authority interactive tool has figures by ethnic group only for school attainment. "
                 "So there is no national figure to show beside these.")


def ethnic_measures(dfe_dir):
    """{file name: [measures or columns naming an ethnic group]} over the shipped DfE files (the LAIT's measures by
    their dictionary entry and topic): what a national comparison by ethnicity could be drawn from."""
    import csv
    from pathlib import Path

    found = {}
    for path in sorted(Path(dfe_dir).glob("*.csv")):
        with path.open(encoding="utf-8", errors="replace", newline="") as f:
            rows = csv.reader(f)
            header = next(rows, [])
            if path.name == "lait_data_dictionary.csv":
                found[path.name] = [f"{r[1]}: {r[4]}" for r in rows if len(r) > 4 and _ethnic(" ".join(r[:5]))]
            else:
                found[path.name] = [c for c in header if _ethnic(c)]
    return found


def _ethnic(text):
    text = text.lower()
    return any(word in text for word in ETHNIC_WORDS)
