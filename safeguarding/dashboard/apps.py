from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "safeguarding.dashboard"
    label = "dashboard"
    verbose_name = "Performance dashboard"

    def ready(self):
        # The pages are worked out when the figures they show change, not when someone first asks (warm.py).
        from django.db.models.signals import post_save

        from safeguarding.benchmarks.models import BenchmarkImport
        from safeguarding.indicators.signals import figures_saved

        from . import warm

        figures_saved.connect(warm.on_figures_saved, dispatch_uid="dashboard-warm-figures")
        post_save.connect(warm.on_benchmarks_loaded, sender=BenchmarkImport, dispatch_uid="dashboard-warm-benchmarks")
