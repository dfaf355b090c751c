from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "safeguarding.api"
    label = "analyst_api"
    verbose_name = "API for analysts"
