"""What the table asks of the imported benchmarks, in one place (safeguarding.benchmarks does the reading).

Two modes: "as-published" takes comparators and populations as a report printed them (the demo's
reference report), "dfe" takes the DfE's current files, with statistical-neighbour averages worked out
over the neighbours' own figures.
"""
from safeguarding.benchmarks import selectors
from safeguarding.benchmarks.models import LocalAuthority

AS_PUBLISHED = "As published"
AS_FIRST_PUBLISHED = "as first published"  # the vintage of populations typed from a report (benchmarks/demo)
# The DfE's current files: their rates use ONS's current estimates for every year (ADR 0012), so they go with a
# series on those estimates; figures typed from a report are left out of such a series.
DFE_SOURCES = selectors.DEFAULT_SOURCE_ORDER
ENGLAND_CODE = "E92000001"
LONDON_CODE = "E12000007"


def la_name(la):
    record = LocalAuthority.objects.filter(code=la).first()
    if record:
        return record.name
    from safeguarding.accounts.models import Partnership

    partnership = Partnership.objects.filter(la_code=la).first()
    return partnership.local_authority if partnership else la


def population_series(la, years, mode):
    """The one population estimate a series of years uses (selectors.SeriesPopulation). With comparators as
    published, the estimate the report printed its rates with, if it covers every year; otherwise, and for the
    DfE's figures, ONS's current estimates, which the DfE's current files also use (ADR 0012)."""
    return selectors.population_series(la, years, prefer=AS_FIRST_PUBLISHED if mode == "as-published" else None)


def population(la, year, mode):
    """(population aged 0-17, its vintage) for one collection year: the mid-year estimate of the year before."""
    return population_series(la, [year], mode).get(year)


def is_as_published(vintage):
    return vintage.startswith(AS_FIRST_PUBLISHED)


def region(la):
    area = selectors.region_of(la)
    if area is None:
        return LONDON_CODE if la.startswith("2") else None, "London" if la.startswith("2") else None
    return area.region_code, area.region_name


PERCENT_OF = {"re_referrals": "re_referrals_percent", "cpp_2_years": "cpp_2_years_percent",
              "cpp_second_or_subsequent": "cpp_second_or_subsequent_percent"}


def pooled(code, year, measure, la, group, sn_average="mean"):
    """A comparator worked out from the child-level returns this system holds for other authorities:
    statistical neighbours as the mean (or median) of their rates, region and England as one rate over
    all their children. (value, where it came from) or None."""
    import statistics

    from safeguarding.indicators.models import IndicatorValue

    wanted = PERCENT_OF.get(code, code) if measure == "percent" else code
    stored = {v.la_code: v for v in IndicatorValue.objects.filter(year=year, indicator=wanted)}
    if group == "sn":
        members = selectors.neighbours(la)
    elif group == "region":
        code_of_region = region(la)[0]
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
        populations = {m: population(m, year, "dfe") for m in used}
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
        note += f"; left out (no returns or population): {', '.join(left_out[:10])}" + (" …" if len(left_out) > 10 else "")
    return value, note


def comparator(code, year, measure, la, group, mode, sn_average="mean", vintage=""):
    """(value, where it came from) or None. ``vintage`` is the population estimate of the series the figure joins:
    a rate is taken only from figures on that estimate (as published with the report's estimate, the DfE's
    current files with ONS's current one); a percentage does not depend on it."""
    if mode == "pooled":
        return pooled(code, year, measure, la, group, sn_average)
    if mode == "as-published" and (measure != "rate" or is_as_published(vintage)):
        found = as_published_comparator(code, year, measure, la, group)
        if found is not None or measure == "rate":
            return found
    key = {"sn": f"sn_{sn_average}", "england": "england", "region": "region"}[group]
    found = selectors.comparator(code, year, measure, la, key, source_preference=DFE_SOURCES)
    if found.value is None:
        return None
    source = found.label or found.source
    if found.members_left_out:
        source += "; left out: " + ", ".join(f"{c} ({why})" for c, why in found.members_left_out)
    return found.value, f"{source} [{found.source}]"


def as_published_comparator(code, year, measure, la, group):
    """A comparator as a report printed it: (value, where it came from) or None."""
    level, area = {"sn": ("sn", la), "england": ("england", ENGLAND_CODE), "region": ("region", region(la)[0])}[group]
    figure = selectors.value(code, year, level, area, measure, source_preference=AS_PUBLISHED)
    if figure is None or figure.value is None:
        return None
    return figure.value, f"{figure.source} ({figure.vintage})"


def published_la_rate(la, code, year, measure="rate"):
    figure = selectors.value(code, year, "la", la, measure, source_preference=AS_PUBLISHED)
    return None if figure is None else figure.value
