from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "safeguarding.indicators"
    label = "indicators"
    verbose_name = "Core child protection indicators"
