from django.apps import AppConfig


class ForecastConfig(AppConfig):
    name = "safeguarding.forecast"
    label = "forecast"
    verbose_name = "Demand forecast"
