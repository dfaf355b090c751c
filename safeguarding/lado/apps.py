from django.apps import AppConfig


class LadoConfig(AppConfig):
    name = "safeguarding.lado"
    label = "lado"
    verbose_name = "The LADO register"

    def ready(self):
        from safeguarding.core import archiving

        from .models import LadoContact

        # LADO officers keep the register, so they archive a contact recorded in error (ADR 0003).
        archiving.register(archiving.Archivable(
            "lado-contact", LadoContact, "LADO contact", "LADO", "lado.view_detail",
            archiving.to_page("lado:contacts")))
