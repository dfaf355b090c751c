from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "safeguarding.partnership"
    label = "partnership"
    verbose_name = "The partnership register"

    def ready(self):
        from safeguarding.core import archiving

        from .sections import archivables

        archiving.register(*archivables())
