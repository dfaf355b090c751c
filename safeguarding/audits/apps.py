from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "safeguarding.audits"
    label = "audits"
    verbose_name = "Section 11 audits, multi-agency audits and escalations"
