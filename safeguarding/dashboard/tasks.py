import logging

from django_tasks import task

log = logging.getLogger(__name__)


# After an import (priority 50), before a draft report's files (-50): someone may pick another year at any time.
@task(priority=-10)
def work_out_choices(la, year):
    """Every choice of an authority's dashboard for one year worked out into the shared cache (warm.warm_choices)."""
    from . import warm

    log.info("Dashboard choices of %s for %s worked out in %.1f s", la, year, warm.warm_choices(la, [year]))
