from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "safeguarding.returns"
    label = "returns"
    verbose_name = "Child-level statutory returns"
