"""Writes to a person's two-factor sign-in: recovery codes, and the partnership admin's reset."""
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts.models import Partnership
from safeguarding.core import audit
from safeguarding.core.models import AuditEvent

RECOVERY_CODES = 10
RECOVERY_DEVICE = "Recovery codes"


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def normalise_recovery_code(text):
    """As typed: spaces, hyphens and capitals allowed (the codes are shown in two groups of four)."""
    return "".join(text.split()).replace("-", "").lower()


def show_recovery_code(code):
    return f"{code[:4]} {code[4:]}"


def log_two_factor_event(user, what):
    """A change to a person's own sign-in, in the audit trail of every partnership they work in: whoever reviews
    who can get in (a lost phone, a code used by someone else) finds it there."""
    for partnership in Partnership.objects.filter(memberships__user=user).distinct():
        audit.log(action=AuditEvent.Action.UPDATE, instance=user, by=user, partnership=partnership,
                  after={"two_factor": what})


@transaction.atomic
def make_recovery_codes(*, user, replacing=False):
    """New single-use recovery codes for the person, replacing any they had; returns them, to be shown once.
    ``replacing``: the person asked for new ones (their old ones stop working), which the audit trail records."""
    # The same device keeps its id: a session verified with a recovery code stays verified.
    device = StaticDevice.objects.filter(user=user).order_by("pk").first() or StaticDevice.objects.create(
        user=user, name=RECOVERY_DEVICE, confirmed=True)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    if replacing:
        log_two_factor_event(user, f"made {RECOVERY_CODES} new recovery codes; the old ones no longer work")
    return codes


def _two_factor_state(user):
    app = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    codes = recovery_codes_left(user)
    if not app:
        return "not set up"
    return f"authenticator app, {codes} recovery code{'s' if codes != 1 else ''} unused"


def _end_sessions(user):
    """Sign the person out everywhere (sessions idle out after SESSION_IDLE_SECONDS, so there are few to read)."""
    ended = [session.pk for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
             if session.get_decoded().get(SESSION_KEY) == str(user.pk)]
    Session.objects.filter(pk__in=ended).delete()


@transaction.atomic
def reset_two_factor(*, user, partnership, by):
    """Remove the person's authenticator app and recovery codes, so that they set up a new app at their next
    sign-in (a lost or replaced phone), and end their sessions: a session opened with the password before the
    reset (on the lost phone, say) must not be the one that sets up the new app. The reset is an event in the
    partnership's audit trail, in the same transaction."""
    before = _two_factor_state(user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _end_sessions(user)
    audit.log(action=AuditEvent.Action.UPDATE, instance=user, by=by, partnership=partnership,
              before={"two_factor": before},
              after={"two_factor": "reset: signed out; sets up an authenticator app at the next sign-in"})
