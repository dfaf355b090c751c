from django.apps import AppConfig


class ForecastConfig(AppConfig):
    name = "safeguarding.forecast"
    label = "forecast"
    verbose_name = "Demand forecast"

    def ready(self):
        from safeguarding.indicators.signals import figures_saved

        figures_saved.connect(on_figures_saved, dispatch_uid="forecast-warm")


def on_figures_saved(sender, las, **kwargs):
    """After an import's transaction, a background task works the forecast page's default view out (seconds of
    simulation: too long to hold the import's transaction for, and never a page's work). ADR 0031."""
    from django.conf import settings
    from django.db import transaction

    from safeguarding.forecast.tasks import work_out_forecast

    if settings.PREPARE_PAGES_AHEAD:
        for la in las:
            transaction.on_commit(lambda la=la: work_out_forecast.enqueue(la))
