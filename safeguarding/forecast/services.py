"""The forecast on the configured store of returns, with the returns quality report deciding which years to leave
out (the Django side of the pure core in engine/)."""
import hashlib

from django.core.cache import cache
from django.db.models import Max

from safeguarding.forecast.engine import backtest
from safeguarding.forecast.engine.counts import authorities_in_store, has_returns, read_counts, years_in_store
from safeguarding.forecast.engine.model import DEFAULT_RUNS, DEFAULT_SEED, Scenario, forecast
from safeguarding.forecast.engine.states import CP, GROUPS, LAC
from safeguarding.returns.models import ReturnImport
from safeguarding.returns.store import AnalyticalStore, StoreError
from safeguarding.working_days import year_label

# A return whose records left out of the stock it counts (children looked after, or plans, on a day) are more than
# this share of its records is not fitted on: its moves would be moves of missing records (ADR 0029).
QUALITY_SHARE = 0.01
STOCK_FIGURES = {"ssda903": ("lac_open", "episodes"), "cin": ("cpp_open", "plans")}
PAGE_BACKTEST_RUNS = 300  # the page's back-test: enough for the coverage figures, quick enough to show
# The page's choices until someone changes them (the base year is the newest in the store).
PAGE_DEFAULTS = {"window_years": 3, "horizon_months": 24, "lac_arrivals_change": 0, "cp_arrivals_change": 0}


def connection(url=None, schema=None):
    from safeguarding.indicators.engine.run import connect

    store = AnalyticalStore(url, schema) if (url or schema) else AnalyticalStore()
    return connect(store.url), store.schema


def left_out_for_quality(las=None):
    """{la: {year: reason}} from the latest loaded import of each return."""
    imports = ReturnImport.objects.filter(status=ReturnImport.Status.LOADED).order_by("created_at")
    if las is not None:
        imports = imports.filter(la_code__in=las)
    latest = {}
    for record in imports:
        latest[(record.la_code, record.year, record.kind)] = record
    out = {}
    for (la, year, kind), record in latest.items():
        figure, records = STOCK_FIGURES.get(kind, (None, None))
        if figure is None:
            continue
        missing = (record.left_out or {}).get(figure, 0)
        total = (record.counts or {}).get(records, 0)
        if missing and missing > QUALITY_SHARE * max(total, 1):
            out.setdefault(la, {})[year] = (f"the {'SSDA903' if kind == 'ssda903' else 'CIN census'} return "
                                            f"{year_label(year)} left {missing} of {total} records out of the count")
    return out


def read_store_counts(las=None, *, url=None, schema=None):
    """({la: Counts}, {la: [years left out]}) for the authorities given, or every one in the store."""
    con, schema = connection(url, schema)
    try:
        if not has_returns(con, schema):
            return {}, {}
        las = las or authorities_in_store(con, schema)
        years = sorted({y for la in las for y in years_in_store(con, schema, la)})
        counts = read_counts(con, schema, las, years)
    finally:
        con.disconnect()
    excluded = {la: sorted(years) for la, years in left_out_for_quality(las).items()}
    return {la: c for la, c in counts.items() if c.years}, excluded


CACHE_SECONDS = 60 * 60


def _cache_key(kind, *parts):
    """A key safe for any cache backend: what it depends on (the store's URL, a timestamp) hashed."""
    store = AnalyticalStore()
    return f"forecast:{kind}:" + hashlib.sha256(repr((*parts, store.url, store.schema)).encode()).hexdigest()


def data_version(la):
    """Changes whenever a return of the authority is loaded again: what the cached counts and back-test hang on."""
    latest = ReturnImport.objects.filter(la_code=la).aggregate(last=Max("id"), at=Max("finished_at"))
    return f"{latest['last']}-{latest['at']}"


def years_for(la):
    """The authority's collection years in the configured store, newest first ([] with no store or no returns),
    kept while its returns stay the same: the page asks on every view."""
    key = _cache_key("years", la, data_version(la))
    found = cache.get(key)
    if found is None:
        try:
            con, schema = connection()
        except StoreError:
            return []
        try:
            found = sorted(years_in_store(con, schema, la), reverse=True)
        except Exception:  # no store yet: no tables to read
            return []
        finally:
            con.disconnect()
        cache.set(key, found, CACHE_SECONDS)
    return found


def authority_counts(la, *, url=None, schema=None):
    """One authority's Counts (None if it has no returns), kept while its returns stay the same (the configured
    store only: another store is read each time)."""
    if url or schema:
        return read_store_counts([la], url=url, schema=schema)[0].get(la)
    key = _cache_key("counts", la, data_version(la))
    found = cache.get(key)
    if found is None:
        found = read_store_counts([la])[0].get(la) or "none"
        cache.set(key, found, CACHE_SECONDS)
    return None if found == "none" else found


def forecast_for(la, base_year, horizon, window_years, *, seed=DEFAULT_SEED, runs=DEFAULT_RUNS, scenario=None,
                 url=None, schema=None, counts=None):
    """(the forecast, the returns used [year labels], the years left out [(label, reason)]); kept while the
    authority's returns stay the same when it reads the configured store (1,000 runs take most of a second)."""
    if url or schema or counts is not None:
        return _forecast_for(la, base_year, horizon, window_years, seed=seed, runs=runs, scenario=scenario,
                             url=url, schema=schema, counts=counts)
    key = _cache_key("forecast", la, base_year, horizon, window_years, seed, runs, repr(scenario), data_version(la))
    found = cache.get(key)
    if found is None:
        found = _forecast_for(la, base_year, horizon, window_years, seed=seed, runs=runs, scenario=scenario)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _forecast_for(la, base_year, horizon, window_years, *, seed, runs, scenario, url=None, schema=None, counts=None):
    if counts is None:
        counts = authority_counts(la, url=url, schema=schema)
    if counts is None:
        raise ValueError(f"No returns for local authority {la} in the store")
    reasons = left_out_for_quality([la]).get(la, {})
    wanted = range(base_year - window_years + 1, base_year + 1)
    window = [y for y in wanted if y in counts.years and y not in reasons]
    if base_year not in counts.years:
        raise ValueError(f"No return for {la} for {year_label(base_year)}")
    if not window:
        raise ValueError(f"Every return in the {window_years} years to {year_label(base_year)} was left out")
    result = forecast(counts, base_year, horizon, window=window, seed=seed, runs=runs, scenario=scenario,
                      excluded=set(reasons))
    left = [(year_label(y), reasons[y]) for y in wanted if y in reasons]
    return result, [year_label(y) for y in window], left


def backtest_for(la, window_years, *, seed=DEFAULT_SEED, runs=PAGE_BACKTEST_RUNS):
    """The authority's back-test, kept while its returns stay the same (it is most of the page's work)."""
    key = _cache_key("backtest", la, window_years, seed, runs, data_version(la))
    found = cache.get(key)
    if found is None:
        counts = authority_counts(la)
        excluded = {la: sorted(left_out_for_quality([la]).get(la, {}))}
        found = backtest.run({la: counts}, window_years, seed=seed, runs=runs, excluded=excluded) if counts else \
            backtest.Result()
        cache.set(key, found, CACHE_SECONDS)
    return found


def scenario_of(chosen):
    """The scenario of the page's choices: arrivals changed by a percentage, a weekly cost per placement type."""
    costs = {g: float(chosen[f"cost_{g}"]) for g in GROUPS if chosen.get(f"cost_{g}") not in (None, "")}
    return Scenario(arrivals={LAC: 1 + chosen["lac_arrivals_change"] / 100, CP: 1 + chosen["cp_arrivals_change"] / 100},
                    weekly_cost=costs)


def page_forecast(la, chosen, seed=DEFAULT_SEED):
    return forecast_for(la, chosen["base_year"], chosen["horizon_months"], chosen["window_years"], seed=seed,
                        scenario=scenario_of(chosen))


def warm(la):
    """Work out what the page shows by default (the forecast and its back-test), so that its first view after an
    import reads them: run by the task worker after the import's transaction (forecast/apps.py)."""
    years = years_for(la)
    if years:
        chosen = {"base_year": years[0], **PAGE_DEFAULTS}
        try:
            page_forecast(la, chosen)
        except ValueError:
            return  # the page says why; nothing to keep
        backtest_for(la, chosen["window_years"])
