"""The dashboard worked out before anyone asks for it (issue 19, ADR 0031).

When an authority's figures are saved again (an import, inside the transaction that says "loaded"; the
`indicators` command; a pool) or a benchmark file is loaded, the dashboard's default view (the newest year, the
DfE's comparators, the neighbours' mean) is built for every partnership of the authority, as others see it and
as a scrutineer sees it; once that transaction has committed, a background task (`tasks.work_out_choices`, run
by the task worker after any import waiting) builds every other choice too. What it builds goes to the shared cache under the new figures' version, so the first
person to open the page after an import waits no longer than the hundredth, and a restart loses nothing.
"""
import logging
import time

from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)


def warm(la):
    """Build and keep the default dashboard of every partnership of the authority. Seconds taken."""
    from safeguarding.accounts.models import Partnership

    from .views import page_context

    started = time.perf_counter()
    for partnership in Partnership.objects.filter(la_code=la):
        for scrutineer in (False, True):
            page_context(partnership, scrutineer, {})
    return time.perf_counter() - started


def warm_choices(la, years=None):
    """Every other choice of the dashboard for these years (all with figures by default; both comparator sets, both
    averages), as others and as a scrutineer see it: run after the import's transaction by the task worker, so
    that no one who picks another year before a meeting waits for it to be built. Seconds taken."""
    from safeguarding.accounts.models import Partnership

    from . import selectors
    from .views import page_context

    started = time.perf_counter()
    for partnership in Partnership.objects.filter(la_code=la):
        for year in years or selectors.years_for(la):
            for comparators in selectors.COMPARATOR_SETS:
                for average in selectors.SN_AVERAGES:
                    query = {"year": str(year), "comparators": comparators, "sn_average": average}
                    for scrutineer in (False, True):
                        page_context(partnership, scrutineer, query)
    return time.perf_counter() - started


def _after_commit(las):
    """Once the transaction has committed, a background task per authority and year works the other choices out:
    a task a year, so that an import uploaded meanwhile waits for one year's work at most, not every year's."""
    from . import selectors
    from .tasks import work_out_choices

    for la in las:
        for year in selectors.years_for(la):
            transaction.on_commit(lambda la=la, year=year: work_out_choices.enqueue(la, year))


def _warm_quietly(la):
    # A page that cannot be worked out now is worked out when it is asked for (and fails there, visibly): the
    # import it follows must not fail for it. The savepoint keeps PostgreSQL's transaction usable after an error.
    try:
        with transaction.atomic():
            seconds = warm(la)
        log.info("Dashboard of %s worked out in %.2f s", la, seconds)
    except Exception:
        log.exception("Dashboard of %s not worked out ahead; it will be when first asked for", la)


def on_figures_saved(sender, las, **kwargs):
    if settings.PREPARE_PAGES_AHEAD:
        for la in las:
            _warm_quietly(la)
        _after_commit(las)


def on_benchmarks_loaded(sender, instance, created, **kwargs):
    """A benchmark file changes every authority's comparators: work out again the dashboards that have figures."""
    if not (created and settings.PREPARE_PAGES_AHEAD):
        return
    from safeguarding.accounts.models import Partnership
    from safeguarding.indicators.models import IndicatorValue

    with_figures = set(IndicatorValue.objects.values_list("la_code", flat=True).distinct())
    las = sorted(set(Partnership.objects.values_list("la_code", flat=True)) & with_figures)
    for la in las:
        _warm_quietly(la)
    _after_commit(las)
