from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "safeguarding.audits"
    label = "audits"
    verbose_name = "Section 11 audits, multi-agency audits and escalations"

    def ready(self):
        from safeguarding.core import archiving

        from .models import Escalation, MultiAgencyAudit

        archiving.register(
            archiving.Archivable("multi-agency-audit", MultiAgencyAudit, "multi-agency audit", "Assurance",
                                 "audits.manage", archiving.to_page("audits:maa-list")),
            archiving.Archivable("escalation", Escalation, "escalation", "Assurance", "audits.manage",
                                 archiving.to_page("audits:escalations")))
