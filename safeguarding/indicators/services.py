"""Compute the indicators from the analytical store and keep the stored values up to date."""
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from safeguarding.indicators import disproportionality
from safeguarding.indicators.engine import definitions as d
from safeguarding.indicators.engine.run import Engine
from safeguarding.indicators.models import DEFAULT_FACTOR_GROUPS, FactorGroup, IndicatorValue
from safeguarding.indicators.signals import figures_saved
from safeguarding.returns.store import AnalyticalStore


def engine_for(store=None):
    store = store or AnalyticalStore()
    return Engine(store.url, store.schema)


def populations_for(la_code, years):
    """The 0-17 populations the stored rates of an authority use: one estimate for all its years (ADR 0012)."""
    from safeguarding.indicators import benchmarks

    return benchmarks.population_series(la_code, years, "dfe")


@transaction.atomic
def recompute(la_code=None, store=None, engine=None, returns=None):
    """Recompute every indicator for one authority (or all) from the returns in the store; or, given `engine` and
    `returns` (the returns it reads, e.g. a pool's on Spark: `indicators --save`), from what that engine reads."""
    store = store or AnalyticalStore()
    own = engine is None
    engine = engine or engine_for(store)
    try:
        results = engine.core(las=[la_code] if la_code else None)
        details = {la: engine.details(la, factor_groups_for(la)) for la in {la for la, _ in results}}
        decisions = engine.decision_points(las=[la_code] if la_code else None)
    finally:
        if own:
            engine.close()
    sources = {}
    for loaded in (store.loaded_returns(la_code) if returns is None else returns):
        sources.setdefault((loaded.la, loaded.year), []).append(
            {"kind": loaded.kind, "source": loaded.source, "sha256": loaded.sha256})
    stale = IndicatorValue.objects.all()
    if la_code:
        stale = stale.filter(la_code=la_code)
    stale.delete()
    now = timezone.now()
    rows = []
    series = {la: populations_for(la, [y for other, y in results if other == la]) for la, _ in results}
    for (la, year), values in results.items():
        population, vintage = series[la].get(year) or (None, "")
        for indicator in d.INDICATORS:
            value = values.get(indicator.code)
            numerator = denominator = None
            if indicator.unit == "percent":
                numerator, denominator = values[indicator.numerator], values[indicator.denominator]
            rate = None
            if indicator.rate and population:
                rate = Decimal(value) * 10000 / Decimal(population)
            rows.append(IndicatorValue(
                la_code=la, year=year, indicator=indicator.code, numerator=numerator, denominator=denominator,
                value=None if value is None else Decimal(str(round(value, 4))), rate=rate,
                population=population if indicator.rate else None,
                population_vintage=vintage if indicator.rate and population else "",
                computed_at=now, returns=sources.get((la, year), [])))
    denominators = {"referral_source": "referrals", "initial_category": "cpp_starts",
                    "factor_group": "assessments_completed"}
    for la, found in details.items():
        for year, code, numerator, denominator in found:
            if (la, year) not in results:
                continue
            if denominator is None:
                denominator = results[(la, year)].get(denominators[code.split(":")[0]])
            rows.append(IndicatorValue(
                la_code=la, year=year, indicator=code, numerator=numerator, denominator=denominator,
                value=Decimal(numerator) * 100 / Decimal(denominator) if denominator else None,
                computed_at=now, returns=sources.get((la, year), [])))
    for (la, year), points in decisions.items():
        if (la, year) not in results:
            continue
        for indicator, numerator, denominator in disproportionality.values_for(points):
            rows.append(IndicatorValue(
                la_code=la, year=year, indicator=indicator, numerator=numerator, denominator=denominator,
                value=Decimal(numerator) * 100 / Decimal(denominator) if denominator else None,
                computed_at=now, returns=sources.get((la, year), [])))
    IndicatorValue.objects.bulk_create(rows, batch_size=2000)
    figures_saved.send(sender=IndicatorValue, las=sorted({la for la, _ in results} | ({la_code} if la_code else set())))
    return len(rows)


def factor_groups_for(la_code):
    """{name: [factor codes]}: the groups of every partnership of this authority, or the default groups."""
    groups = {g.name: list(g.factors) for g in FactorGroup.objects.filter(partnership__la_code=la_code).active()}
    return groups or dict(DEFAULT_FACTOR_GROUPS)
