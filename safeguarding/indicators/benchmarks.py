"""What the table asks of the imported benchmarks, in one place (safeguarding.benchmarks does the reading).

Two modes: "as-published" takes comparators and populations as a report printed them (the demo's
reference report), "dfe" takes the DfE's current files, with statistical-neighbour averages worked out
over the neighbours' own figures.

Every lookup takes an optional ``lookup`` (see `prefetch`): the rows a whole table asks for, fetched in a few
queries, so that a cold table is not hundreds of small ones (issue 19). The answers are the same either way.
"""
from safeguarding.benchmarks import selectors, vocabulary
from safeguarding.benchmarks.lookup import NOT_FETCHED, Lookup
from safeguarding.benchmarks.models import LocalAuthority

AS_PUBLISHED = "As published"
AS_FIRST_PUBLISHED = "as first published"  # the vintage of populations typed from a report (benchmarks/demo)
# The DfE's current files: their rates use ONS's current estimates for every year (ADR 0012), so they go with a
# series on those estimates; figures typed from a report are left out of such a series.
DFE_SOURCES = selectors.DEFAULT_SOURCE_ORDER
ENGLAND_CODE = "E92000001"
LONDON_CODE = "E12000007"


def la_name(la, lookup=None):
    record = lookup.authority(la) if lookup else NOT_FETCHED
    if record is NOT_FETCHED:
        record = LocalAuthority.objects.filter(code=la).first()
    if record:
        return record.name
    from safeguarding.accounts.models import Partnership

    partnership = Partnership.objects.filter(la_code=la).first()
    return partnership.local_authority if partnership else la


def population_series(la, years, mode, lookup=None):
    """The one population estimate a series of years uses (selectors.SeriesPopulation). With comparators as
    published, the estimate the report printed its rates with, if it covers every year; otherwise, and for the
    DfE's figures, ONS's current estimates, which the DfE's current files also use (ADR 0012)."""
    return selectors.population_series(la, years, prefer=AS_FIRST_PUBLISHED if mode == "as-published" else None,
                                       lookup=lookup)


def population(la, year, mode, lookup=None):
    """(population aged 0-17, its vintage) for one collection year: the mid-year estimate of the year before."""
    return population_series(la, [year], mode, lookup).get(year)


def is_as_published(vintage):
    return vintage.startswith(AS_FIRST_PUBLISHED)


def region(la, lookup=None):
    area = selectors.region_of(la, lookup=lookup)
    if area is None:
        return LONDON_CODE if la.startswith("2") else None, "London" if la.startswith("2") else None
    return area.region_code, area.region_name


PERCENT_OF = {"re_referrals": "re_referrals_percent", "cpp_2_years": "cpp_2_years_percent",
              "cpp_second_or_subsequent": "cpp_second_or_subsequent_percent"}


def pooled(code, year, measure, la, group, sn_average="mean", lookup=None):
    """A comparator worked out from the child-level returns this system holds for other authorities:
    statistical neighbours as the mean (or median) of their rates, region and England as one rate over
    all their children. (value, where it came from) or None."""
    import statistics

    from safeguarding.indicators.models import IndicatorValue

    wanted = PERCENT_OF.get(code, code) if measure == "percent" else code
    stored = lookup.stored(year, wanted) if isinstance(lookup, TableLookup) else NOT_FETCHED
    if stored is NOT_FETCHED:
        stored = {v.la_code: v for v in IndicatorValue.objects.filter(year=year, indicator=wanted)}
    if group == "sn":
        members = selectors.neighbours(la, lookup=lookup)
    elif group == "region":
        code_of_region = region(la, lookup)[0]
        members = lookup.authorities_in_region(code_of_region) if lookup else NOT_FETCHED
        if members is NOT_FETCHED:
            members = list(LocalAuthority.objects.filter(region_code=code_of_region).values_list("code", flat=True))
    else:
        members = list(stored)
    used = [m for m in members if m in stored and stored[m].value is not None]
    if not used:
        return None
    if measure == "percent":
        if group == "sn":
            values = [stored[m].value for m in used]
            value = sum(values) / len(values) if sn_average == "mean" else statistics.median(values)
        else:
            numerator = sum(stored[m].numerator or 0 for m in used)
            denominator = sum(stored[m].denominator or 0 for m in used)
            value = numerator * 100 / denominator if denominator else None
    else:
        populations = {m: population(m, year, "dfe", lookup) for m in used}
        used = [m for m in used if populations[m]]
        if not used:
            return None
        if group == "sn":
            rates = [stored[m].value * 10000 / populations[m][0] for m in used]
            value = sum(rates) / len(rates) if sn_average == "mean" else statistics.median(rates)
        else:
            value = sum(stored[m].value for m in used) * 10000 / sum(populations[m][0] for m in used)
    left_out = [m for m in members if m not in used]
    note = f"pooled from the returns held here: {len(used)} authorities"
    if left_out:
        names = lookup.names(left_out[:10]) if lookup else NOT_FETCHED
        if names is NOT_FETCHED:
            names = dict(LocalAuthority.objects.filter(code__in=left_out[:10]).values_list("code", "name"))
        note += (f"; left out (no returns or population): {', '.join(names.get(m, m) for m in left_out[:10])}"
                 + (" …" if len(left_out) > 10 else ""))
    return value, note


def comparator(code, year, measure, la, group, mode, sn_average="mean", vintage="", lookup=None):
    """(value, where it came from) or None. ``vintage`` is the population estimate of the series the figure joins:
    a rate is taken only from figures on that estimate (as published with the report's estimate, the DfE's
    current files with ONS's current one); a percentage does not depend on it."""
    if mode == "pooled":
        return pooled(code, year, measure, la, group, sn_average, lookup)
    if mode == "as-published" and (measure != "rate" or is_as_published(vintage)):
        found = as_published_comparator(code, year, measure, la, group, lookup)
        if found is not None or measure == "rate":
            return found
    key = {"sn": f"sn_{sn_average}", "england": "england", "region": "region"}[group]
    found = selectors.comparator(code, year, measure, la, key, source_preference=DFE_SOURCES, lookup=lookup)
    if found.value is None:
        return None
    return found.value, comparator_in_words(found, la, lookup)


# The source shown beside a comparator reaches reports and pages: in words, not table names or codes.
def source_in_words(source):
    """"DfE EES d3_cpps_subsequent_plan" -> "DfE statistics on second or subsequent child protection plans";
    several sources (joined by "; ") each in words; a source with no known wording as it is."""
    import re

    from safeguarding.benchmarks.readers import EES_KINDS

    words = []
    for one in filter(None, (part.strip() for part in source.split(";"))):
        label = next((label for _kind, _columns, label, name in EES_KINDS if name == one), None)
        if label is not None and one.startswith("DfE EES"):
            one = "DfE statistics on " + re.sub(r"^EES (?:[a-z]+\d+ )?", "", label)
        elif label is not None:
            one = label.replace(" (EES)", "")
        elif one.startswith("DfE LAIT"):
            one = "the DfE's Local Authority Interactive Tool"
        words.append(one)
    return "; ".join(dict.fromkeys(words))


def _why_left_out(reason):
    if reason.startswith("withheld"):
        return "not published by the DfE"
    return {"no data": "no figure held"}.get(reason, reason)


def comparator_in_words(found, la, lookup=None):
    """A comparator's label and source in words: authorities by name, and why any were left out."""
    label = found.label.replace(f" of {la} ", f" of {la_name(la, lookup)} ") if found.label else ""
    text = f"{label} ({source_in_words(found.source)})" if label else source_in_words(found.source)
    if found.members_left_out:
        codes = [c for c, _ in found.members_left_out]
        names = lookup.names(codes) if lookup else NOT_FETCHED
        if names is NOT_FETCHED:
            names = dict(LocalAuthority.objects.filter(code__in=codes).values_list("code", "name"))
        text += "; left out: " + ", ".join(f"{names.get(c, c)} ({_why_left_out(why)})"
                                           for c, why in found.members_left_out)
    return text


def as_published_comparator(code, year, measure, la, group, lookup=None):
    """A comparator as a report printed it: (value, where it came from) or None."""
    level, area = {"sn": ("sn", la), "england": ("england", ENGLAND_CODE),
                   "region": ("region", region(la, lookup)[0])}[group]
    figure = selectors.value(code, year, level, area, measure, source_preference=AS_PUBLISHED, lookup=lookup)
    if figure is None or figure.value is None:
        return None
    return figure.value, f"{figure.source} ({figure.vintage})"


def published_la_rate(la, code, year, measure="rate", lookup=None):
    figure = selectors.value(code, year, "la", la, measure, source_preference=AS_PUBLISHED, lookup=lookup)
    return None if figure is None else figure.value


class TableLookup(Lookup):
    """A Lookup with, for pooled comparators, every authority's stored values of the table's indicators."""

    def __init__(self):
        super().__init__()
        self._stored = {}  # (year, indicator) -> {la: IndicatorValue}, in the model's order (by authority)

    def fetch_stored(self, years, indicators):
        from safeguarding.indicators.models import IndicatorValue

        for year in years:
            for indicator in indicators:
                self._stored[(year, indicator)] = {}
        for value in IndicatorValue.objects.filter(year__in=list(years), indicator__in=list(indicators)):
            self._stored[(value.year, value.indicator)][value.la_code] = value

    def authorities_stored(self):
        return sorted({la for found in self._stored.values() for la in found})

    def stored(self, year, indicator):
        found = self._stored.get((year, indicator), NOT_FETCHED)
        return found if found is NOT_FETCHED else dict(found)


def prefetch(la, years, codes, mode="dfe"):
    """A Lookup holding every row a table of ``codes`` over ``years`` can ask for: the authority's neighbours,
    the authorities it names (with pooled comparators, every one of its region too), the benchmark figures of
    the authority, its neighbours, its region and England, and the populations. Four queries; pooled
    comparators add their region's authorities and every authority's stored values."""
    lookup = TableLookup()
    lookup.fetch_neighbours([la])
    members = lookup.neighbours(la)
    # A left-out region or England is looked up by name too: fetched with the rest, it is known to have none.
    lookup.fetch_authorities([la, *members, ENGLAND_CODE, LONDON_CODE, *vocabulary.REGIONS])
    region_code = region(la, lookup)[0]
    areas = [("la", [la, *members]), ("sn", [la]), ("england", [ENGLAND_CODE])]
    if region_code:
        areas.append(("region", [region_code]))
    lookup.fetch_values(codes, years, ("rate", "percent"), areas)
    populations = [la]
    if mode == "pooled":
        if region_code:
            lookup.fetch_authorities([], region_code=region_code)
        lookup.fetch_stored(years, set(codes) | {PERCENT_OF[c] for c in codes if c in PERCENT_OF})
        populations += lookup.authorities_stored()
    lookup.fetch_populations(populations, [y - 1 for y in years])
    return lookup
