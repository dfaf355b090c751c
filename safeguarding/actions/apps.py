from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "safeguarding.actions"
    label = "actions"
    verbose_name = "The action log: actions from meetings, case reviews, audits and Section 11"
