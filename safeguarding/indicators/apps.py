from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "safeguarding.indicators"
    label = "indicators"
    verbose_name = "Core child protection indicators"

    def ready(self):
        # The returns app calls these without importing this app: an import and its figures stay one unit.
        from safeguarding.indicators.engine.definitions import INDICATORS
        from safeguarding.indicators.services import recompute
        from safeguarding.returns import figures

        figures.register(recompute=recompute, titles=[(i.code, i.title) for i in INDICATORS])
