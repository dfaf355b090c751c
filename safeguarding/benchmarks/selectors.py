"""What the indicator engine asks of the benchmark tables. Read-only; nothing here rounds.

    value("referrals", 2021, "la", "210", "count")                  -> BenchmarkValue or None
    population("210", 2020)                                        -> PopulationFigure (unpacks as value, vintage)
    neighbours("210", model="2021")                                -> ["204", "208", ...] closest first
    region_of("210")                                               -> AreaOf("E12000007", "London", "Inner London")
    comparator("cpp_open", 2021, "rate", "210", "sn_median")       -> Comparator(value, used, left_out, source ...)

Where several sources hold the same figure, the default preference is DfE explore-education-statistics,
then DfE LAIT, then anything else (figures typed from reports); within a source, the latest vintage.
Pass ``source_preference`` (a source, a prefix such as "DfE LAIT" or "As published", or a list of them in
order) to choose; only sources matching it are then considered. Pass ``lookup`` (a `lookup.Lookup` of rows
fetched in bulk) to answer from memory what it holds: the same answer, without a query each.
"""
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from . import vocabulary as v
from .lookup import NOT_FETCHED
from .models import BenchmarkValue, LocalAuthority, Population, StatisticalNeighbour

DEFAULT_SOURCE_ORDER = ("DfE EES", "ONS", "DfE LAIT")
DEFAULT_POPULATION_ORDER = ("ONS mid-year estimates", "as used by the DfE")
GROUPS = ("sn_mean", "sn_median", "sn_published", "region", "inner_outer_london", "england")


def _preference(source_preference):
    if source_preference is None:
        return None
    if isinstance(source_preference, str):
        return (source_preference,)
    return tuple(source_preference)


def _rank(candidate, preference):
    """Position of the first preference (a source or prefix of one) the candidate's source matches."""
    order = preference or DEFAULT_SOURCE_ORDER
    return next((i for i, prefix in enumerate(order) if candidate.source.startswith(prefix)), len(order))


def _best(candidates, preference):
    """The preferred source's figure; within a source, the newest vintage (then the newest import)."""
    if preference:
        candidates = [c for c in candidates if any(c.source.startswith(p) for p in preference)]
    if not candidates:
        return None
    newest_first = sorted(candidates, key=lambda c: (c.vintage, c.imported_at), reverse=True)
    return min(newest_first, key=lambda c: _rank(c, preference))  # min keeps the first of equals


def best(candidates, source_preference=None):
    """Of several BenchmarkValue rows for one figure, the one the lookups below would use."""
    return _best(list(candidates), _preference(source_preference))


def value(indicator, year, level, code, measure, source_preference=None, lookup=None):
    """The published figure (a BenchmarkValue: .value is None and .suppressed holds the marker when withheld),
    or None if no imported source has it."""
    candidates = lookup.values(indicator, year, level, code, measure) if lookup else NOT_FETCHED
    if candidates is NOT_FETCHED:
        candidates = list(BenchmarkValue.objects.filter(indicator=indicator, year=year, level=level, code=code,
                                                        measure=measure))
    return _best(candidates, _preference(source_preference))


def values_for(indicator, year, level, codes, measure, source_preference=None, lookup=None):
    """{code: BenchmarkValue} for several areas in one query (codes without any figure are absent)."""
    preference = _preference(source_preference)
    by_code = {}
    fetched = [lookup.values(indicator, year, level, code, measure) for code in codes] if lookup else [NOT_FETCHED]
    if any(rows is NOT_FETCHED for rows in fetched):
        fetched = [BenchmarkValue.objects.filter(indicator=indicator, year=year, level=level, code__in=list(codes),
                                                 measure=measure)]
    for candidate in (row for rows in fetched for row in rows):
        by_code.setdefault(candidate.code, []).append(candidate)
    found = {code: _best(candidates, preference) for code, candidates in by_code.items()}
    return {code: best for code, best in found.items() if best is not None}


@dataclass(frozen=True)
class PopulationFigure:
    value: int
    vintage: str
    source: str
    year: int
    code: str
    name: str = ""

    def __iter__(self):  # value, vintage = population("210", 2020)
        return iter((self.value, self.vintage))


def population(code, mid_year, vintage=None, age_group="0-17"):
    """The 0-17 population of an area at mid-year ``mid_year`` (for collection year Y the DfE uses mid-(Y-1)).

    With ``vintage``, only that vintage (exact label, or a prefix such as "as first published"); otherwise
    ONS's current estimates, then the populations DfE releases used, then any other, newest import first."""
    rows = list(Population.objects.filter(code=code, year=mid_year, age_group=age_group))
    if vintage is not None:
        rows = [r for r in rows if r.vintage == vintage or r.vintage.startswith(vintage)]
    if not rows:
        return None

    def rank(row):
        return next((i for i, prefix in enumerate(DEFAULT_POPULATION_ORDER) if row.vintage.startswith(prefix)),
                    len(DEFAULT_POPULATION_ORDER))

    rows.sort(key=lambda r: (r.vintage, r.imported_at), reverse=True)
    best = min(rows, key=rank)
    return PopulationFigure(best.value, best.vintage, best.source, best.year, best.code, best.name)


@dataclass(frozen=True)
class SeriesPopulation:
    """One population estimate (vintage) for every year of a series: rates worked out with it can be compared
    with each other. ``figures`` maps each collection year to its mid-year figure, or None where this vintage
    has no figure for it (that year then has no rate, rather than a rate on another estimate)."""

    vintage: str
    figures: dict

    def get(self, year):
        """(population, "vintage, mid-YYYY") for a collection year, or None."""
        found = self.figures.get(year)
        return None if found is None else (found.value, f"{found.vintage}, mid-{found.year}")

    @property
    def missing(self):
        return sorted(year for year, found in self.figures.items() if found is None)


def population_series(code, years, prefer=None, age_group="0-17", lookup=None):
    """The population estimate a series of collection ``years`` uses, the same vintage for every year.

    The vintage is the first of: one matching ``prefer`` (a label or prefix) that covers every year; the
    first in the usual order (ONS's current estimates, then those DfE releases used, then any other, newest
    import first) that covers every year; the one covering most years. Never a mix (ADR 0012)."""
    years = sorted(set(years))
    mid_years = [y - 1 for y in years]  # DfE: the mid-year estimate of the year before the year end
    by_vintage = {}
    rows = lookup.populations(code, mid_years, age_group) if lookup else NOT_FETCHED
    if rows is NOT_FETCHED:
        rows = Population.objects.filter(code=code, year__in=mid_years, age_group=age_group).order_by("-imported_at")
    for row in rows:
        by_vintage.setdefault(row.vintage, {}).setdefault(row.year + 1, row)

    def rank(vintage):
        return next((i for i, prefix in enumerate(DEFAULT_POPULATION_ORDER) if vintage.startswith(prefix)),
                    len(DEFAULT_POPULATION_ORDER))

    ordered = sorted(sorted(by_vintage, reverse=True), key=rank)
    if prefer:
        ordered = [v for v in ordered if v == prefer or v.startswith(prefer)] + \
                  [v for v in ordered if not (v == prefer or v.startswith(prefer))]
        chosen = next((v for v in ordered if len(by_vintage[v]) == len(years)), None)
    else:
        chosen = None
    if chosen is None:
        usual = [v for v in ordered if not (prefer and v.startswith(prefer))] or ordered
        chosen = max(usual, key=lambda v: (len(by_vintage[v]), -usual.index(v)), default=None)
    if chosen is None:
        return SeriesPopulation("", {y: None for y in years})
    figures = {}
    for year in years:
        row = by_vintage[chosen].get(year)
        figures[year] = None if row is None else PopulationFigure(row.value, row.vintage, row.source, row.year,
                                                                  row.code, row.name)
    return SeriesPopulation(chosen, figures)


def neighbours(la_code, model="2021", lookup=None):
    """The authority's ten statistical neighbours, closest first (an empty list if none imported)."""
    found = lookup.neighbours(la_code, model) if lookup else NOT_FETCHED
    if found is not NOT_FETCHED:
        return found
    return list(StatisticalNeighbour.objects.filter(model=str(model), la_code=la_code).order_by("rank")
                .values_list("neighbour_code", flat=True))


@dataclass(frozen=True)
class AreaOf:
    region_code: str
    region_name: str
    inner_outer_london: str | None  # "Inner London", "Outer London" or None outside London
    inner_outer_london_code: str | None = None

    def __iter__(self):  # region_code, region_name, inner_outer = region_of("210")
        return iter((self.region_code, self.region_name, self.inner_outer_london))


def region_of(la_code, lookup=None):
    """(region code, region name, Inner/Outer London or None), from whichever imported file said so; None if
    no imported file mentions the authority's region."""
    record = lookup.authority(la_code) if lookup else NOT_FETCHED
    if record is NOT_FETCHED:
        record = LocalAuthority.objects.filter(code=la_code).first()
    if record is None or not record.region_code:
        return None
    return AreaOf(record.region_code, record.region_name or v.REGIONS.get(record.region_code, ""),
                  record.london_name or None, record.london_code or None)


@dataclass
class Comparator:
    group: str
    value: Decimal | None
    members_used: list = field(default_factory=list)
    members_left_out: list = field(default_factory=list)  # [(code, reason)], e.g. ("318", "withheld (c)")
    source: str = ""
    vintage: str = ""
    label: str = ""

    @property
    def complete(self):
        return not self.members_left_out


def comparator(indicator, year, measure, la_code, group, *, model="2021", source_preference=None, lookup=None):
    """A comparator for authority ``la_code``:

    * ``sn_mean`` - the mean of the published figures of its ten statistical neighbours (LAIT's way);
    * ``sn_median`` - their median (the DfE children's social care dashboard's way);
      neighbours with no figure, or a withheld one, are left out and listed in ``members_left_out``;
    * ``sn_published`` - a statistical-neighbour average as somebody published it (level ``sn``);
    * ``region``, ``inner_outer_london``, ``england`` - the published figure for that area.

    Returns a Comparator whose ``value`` is None when nothing usable was found."""
    if group not in GROUPS:
        raise ValueError(f"group must be one of {', '.join(GROUPS)}, not {group!r}")
    preference = _preference(source_preference)
    if group in ("sn_mean", "sn_median"):
        members = neighbours(la_code, model, lookup)
        result = Comparator(group=group, value=None,
                            label=f"statistical neighbours of {la_code} ({model} model), "
                                  f"{'mean' if group == 'sn_mean' else 'median'}")
        if not members:
            result.members_left_out = [(la_code, f"no statistical neighbours imported for the {model} model")]
            return result
        found = values_for(indicator, year, "la", members, measure, preference, lookup)
        used, sources, vintages = [], set(), set()
        for code in members:
            figure = found.get(code)
            if figure is None:
                result.members_left_out.append((code, "no data"))
            elif figure.value is None:
                result.members_left_out.append((code, f"withheld ({figure.suppressed})"))
            else:
                used.append(figure.value)
                result.members_used.append(code)
                sources.add(figure.source)
                vintages.add(figure.vintage)
        if used:
            result.value = (sum(used) / len(used)) if group == "sn_mean" else statistics.median(used)
        result.source, result.vintage = "; ".join(sorted(sources)), "; ".join(sorted(vintages))
        return result
    if group == "sn_published":
        level, code, label = "sn", la_code, f"statistical neighbours of {la_code}, as published"
    elif group == "england":
        level, code, label = "england", v.ENGLAND[0], v.ENGLAND[1]
    else:
        area = region_of(la_code, lookup)
        code = None
        if area is not None:
            code = area.region_code if group == "region" else area.inner_outer_london_code
        if code is None:
            reason = "region not known (import a file that gives it)" if area is None else "not in London"
            return Comparator(group=group, value=None, members_left_out=[(la_code, reason)])
        level = group
        label = area.region_name if group == "region" else area.inner_outer_london
    figure = value(indicator, year, level, code, measure, preference, lookup)
    result = Comparator(group=group, value=None, label=label)
    if figure is None:
        result.members_left_out = [(code, "no data")]
    elif figure.value is None:
        result.members_left_out = [(code, f"withheld ({figure.suppressed})")]
        result.source, result.vintage = figure.source, figure.vintage
    else:
        result.value, result.members_used = figure.value, [code]
        result.source, result.vintage = figure.source, figure.vintage
    return result
