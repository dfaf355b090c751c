from django.apps import AppConfig


class LadoConfig(AppConfig):
    name = "safeguarding.lado"
    label = "lado"
    verbose_name = "The LADO register"

    def ready(self):
        from django.urls import reverse

        from safeguarding.core import archiving

        from .models import LadoContact

        # LADO officers keep the register, so they archive a contact recorded in error (ADR 0003).
        archiving.register(archiving.Archivable(
            "lado-contact", LadoContact, "LADO contact", "LADO", "lado.view_detail",
            lambda record: reverse("lado:contacts", kwargs={"slug": record.partnership.slug})))
