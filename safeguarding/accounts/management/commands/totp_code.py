from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Demo only: print the current two-factor code of a demo user's authenticator device."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if not (settings.DEBUG or settings.DEMO or settings.TESTING):
            raise CommandError("totp_code is a demo helper: it runs only with DEMO=1 or DEBUG=1.")
        device = TOTPDevice.objects.filter(user__email=email.lower()).order_by("-confirmed", "-id").first()
        if device is None:
            raise CommandError(f"{email} has no authenticator device yet: sign in once to create one.")
        self.stdout.write(f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}")
