import logging

from django.apps import AppConfig
from django.db.models.signals import post_migrate

log = logging.getLogger(__name__)


def upgrade_store(sender, **kwargs):
    """`migrate` also brings the analytical store (not a Django database) up to the columns this version reads."""
    from safeguarding.returns.store import AnalyticalStore, StoreBusy

    try:
        added = AnalyticalStore().upgrade()
    except StoreBusy:
        log.warning("The store of returns is busy with an import; run `manage.py migrate` again afterwards to "
                    "upgrade it.")
        return
    for column in added:
        log.warning("Store of returns: added and filled in %s", column)


class ReturnsConfig(AppConfig):
    name = "safeguarding.returns"
    label = "returns"
    verbose_name = "Child-level statutory returns"

    def ready(self):
        from safeguarding.core import backups
        from safeguarding.returns.store import AnalyticalStore, StoreBusy

        post_migrate.connect(upgrade_store, sender=self, dispatch_uid="returns.upgrade_store")
        backups.register_store(AnalyticalStore, busy=StoreBusy)  # core backs the store up without importing it
