from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "safeguarding.registers"
    label = "registers"
    verbose_name = "Private fostering, training, surveys and the voice of children"

    def ready(self):
        from safeguarding.core import archiving

        from .views import ARCHIVABLE

        archiving.register(*ARCHIVABLE)
