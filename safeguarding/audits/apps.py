from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "safeguarding.audits"
    label = "audits"
    verbose_name = "Section 11 audits, multi-agency audits and escalations"

    def ready(self):
        from django.urls import reverse

        from safeguarding.core import archiving

        from .models import Escalation, MultiAgencyAudit

        def back(name):
            return lambda record: reverse(name, kwargs={"slug": record.partnership.slug})

        archiving.register(
            archiving.Archivable("multi-agency-audit", MultiAgencyAudit, "multi-agency audit", "Assurance",
                                 "audits.manage", back("audits:maa-list")),
            archiving.Archivable("escalation", Escalation, "escalation", "Assurance", "audits.manage",
                                 back("audits:escalations")))
