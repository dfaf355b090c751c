from django.apps import AppConfig


class ForecastConfig(AppConfig):
    name = "safeguarding.forecast"
    label = "forecast"
    verbose_name = "Demand forecast"

    def ready(self):
        from safeguarding.indicators.signals import figures_saved

        figures_saved.connect(on_figures_saved, dispatch_uid="forecast-warm")


def on_figures_saved(sender, las, **kwargs):
    """After an import's transaction, in the task worker: the forecast page's default view worked out (seconds of
    simulation: too long to hold the import's transaction for, and never a page's work). ADR 0031."""
    import logging

    from django.conf import settings
    from django.db import transaction

    from safeguarding.forecast import services

    def warm():
        for la in las:
            try:
                services.warm(la)
            except Exception:
                logging.getLogger(__name__).exception("Forecast of %s not worked out ahead", la)

    if settings.PREPARE_PAGES_AHEAD:
        transaction.on_commit(warm)
