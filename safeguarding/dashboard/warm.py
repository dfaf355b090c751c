"""The dashboard worked out before anyone asks for it (issue 19, ADR 0031).

When an authority's figures are saved again (an import, inside the transaction that says "loaded"; the
`indicators` command; a pool) or a benchmark file is loaded, the dashboard's default view (the newest year, the
DfE's comparators, the neighbours' mean) is built for every partnership of the authority, as others see it and
as a scrutineer sees it. What it builds goes to the shared cache under the new figures' version, so the first
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


def on_benchmarks_loaded(sender, instance, created, **kwargs):
    """A benchmark file changes every authority's comparators: work out again the dashboards that have figures."""
    if not (created and settings.PREPARE_PAGES_AHEAD):
        return
    from safeguarding.accounts.models import Partnership
    from safeguarding.indicators.models import IndicatorValue

    with_figures = set(IndicatorValue.objects.values_list("la_code", flat=True).distinct())
    for la in sorted(set(Partnership.objects.values_list("la_code", flat=True)) & with_figures):
        _warm_quietly(la)
