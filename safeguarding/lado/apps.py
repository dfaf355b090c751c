from django.apps import AppConfig


class LadoConfig(AppConfig):
    name = "safeguarding.lado"
    label = "lado"
    verbose_name = "The LADO register"
