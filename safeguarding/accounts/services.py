"""Writes to a person's two-factor sign-in: recovery codes."""
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

RECOVERY_CODES = 10
RECOVERY_DEVICE = "Recovery codes"


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def normalise_recovery_code(text):
    """As typed: spaces, hyphens and capitals allowed (the codes are shown in two groups of four)."""
    return "".join(text.split()).replace("-", "").lower()


def show_recovery_code(code):
    return f"{code[:4]} {code[4:]}"


@transaction.atomic
def make_recovery_codes(*, user):
    """New single-use recovery codes for the person, replacing any they had; returns them, to be shown once."""
    # The same device keeps its id: a session verified with a recovery code stays verified.
    device = StaticDevice.objects.filter(user=user).order_by("pk").first() or StaticDevice.objects.create(
        user=user, name=RECOVERY_DEVICE, confirmed=True)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes

