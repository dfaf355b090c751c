from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "safeguarding.dashboard"
    label = "dashboard"
    verbose_name = "Performance dashboard"
