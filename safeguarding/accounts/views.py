import base64
import functools
import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from markupsafe import Markup

from safeguarding.accounts import services
from safeguarding.accounts.forms import NewPasswordForm, RecoveryCodeForm, ResetRequestForm, SignInForm, TokenForm
from safeguarding.accounts.models import Partnership


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


@require_POST
def sign_out(request):
    return auth_views.LogoutView.as_view()(request)


def _safe_next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


def _qr_svg(uri):
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    return Markup(buffer.getvalue().decode())


# Recovery codes just made, kept in the session until the page that shows them (once) has been opened.
NEW_CODES_SESSION_KEY = "recovery_codes_to_show"


def _with_next(name, next_url):
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _signed_in_with(request, device, next_url):
    """The session is verified with the device. Someone with no unused recovery codes (on setting up, or after
    using the last) is given new ones, shown once before they go on."""
    otp_login(request, device)
    if services.recovery_codes_left(request.user) == 0:
        request.session[NEW_CODES_SESSION_KEY] = services.make_recovery_codes(user=request.user)
        return redirect(_with_next("accounts:recovery-codes", next_url))
    return redirect(next_url)


def _refused(device, form):
    """django-otp's back-off after wrong codes: say so instead of checking; False when the code may be checked."""
    allowed, why = device.verify_is_allowed()
    if allowed:
        return False
    form.add_error("code", "Too many wrong codes in a row. Wait a few seconds, then try again."
                   if (why or {}).get("locked_until") else "Codes cannot be checked now. Try again later.")
    return True


def _second_step(view):
    """A page of the second step of signing in, never cached: for someone signed in with a password (anyone else
    is sent to sign in); someone through both steps already goes on to where they were going, ``next_url``, which
    the view is given too."""
    @never_cache
    @login_required
    @functools.wraps(view)
    def page(request):
        next_url = _safe_next(request, reverse("home"))
        if request.user.is_verified():
            return redirect(next_url)
        return view(request, next_url)
    return page


@_second_step
def two_factor(request, next_url):
    """Enrol an authenticator app on first sign-in, or check a code on later ones."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and not _refused(device, form):
        if device.verify_token(form.cleaned_data["code"].strip().replace(" ", "")):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                messages.success(request, "Two-factor sign-in is set up for your account.")
            return _signed_in_with(request, device, next_url)
        form.add_error("code", "The code is not right. Enter the 6-digit code your app shows now.")
    context = {"form": form, "enrolling": enrolling, "next": _safe_next(request, ""),
               "recovery_url": _with_next("accounts:two-factor-recovery", next_url)}
    if enrolling:
        context["secret"] = base64.b32encode(device.bin_key).decode()
        context["qr"] = _qr_svg(device.config_url)
    return render(request, "accounts/two_factor.html", context)


@_second_step
def two_factor_recovery(request, next_url):
    """Sign in with a recovery code instead of the app's code (a lost or broken phone). Each code works once."""
    user = request.user
    form = RecoveryCodeForm(request.POST if request.method == "POST" else None)
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if request.method == "POST" and form.is_valid() and not (device and _refused(device, form)):
        code = services.normalise_recovery_code(form.cleaned_data["code"])
        if device is not None and device.verify_token(code):
            left = services.recovery_codes_left(user)
            services.log_two_factor_event(user, f"signed in with a recovery code; {left} left")
            messages.warning(request, (
                f"You signed in with a recovery code. It will not work again; you have {left} left. If you have lost "
                "your phone, ask your partnership's business unit to reset your two-factor sign-in, then set up "
                "your new phone when you next sign in."))
            return _signed_in_with(request, device, next_url)
        form.add_error("code", "The recovery code is not right, or it has been used. Check it and try again, "
                               "or try another of your codes.")
    return render(request, "accounts/two_factor_recovery.html", {
        "form": form, "next": _safe_next(request, ""), "app_url": _with_next("accounts:two-factor", next_url)})


@never_cache
@login_required
def recovery_codes(request):
    """The person's recovery codes: new ones shown once, just after they are made; or how many are left, and a
    button to make new ones (the old ones stop working)."""
    user = request.user
    if not user.is_verified():
        return redirect(_with_next("accounts:two-factor", request.get_full_path()))
    next_url = _safe_next(request, reverse("home"))
    if request.method == "POST":
        request.session[NEW_CODES_SESSION_KEY] = services.make_recovery_codes(user=user, replacing=True)
        return redirect(_with_next("accounts:recovery-codes", next_url))
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    return render(request, "accounts/recovery_codes.html", {
        "codes": [services.show_recovery_code(code) for code in codes or []],
        "left": services.recovery_codes_left(user), "next": next_url})


def locked_out(request, credentials=None, *args, **kwargs):
    """Too many failed sign-ins: say so, and how long until the next try (AXES_COOLOFF_TIME after the last)."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


@login_required
def home(request):
    """Send people to their partnership, or let them choose if they belong to several."""
    partnerships = Partnership.objects.filter(memberships__user=request.user).distinct()
    if len(partnerships) == 1:
        return redirect("partnership:home", slug=partnerships[0].slug)
    return render(request, "accounts/choose_partnership.html", {"partnerships": partnerships})


password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    form_class=ResetRequestForm,
    success_url=reverse_lazy("accounts:password-reset-sent"),
)
password_reset_sent = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    form_class=NewPasswordForm,
    success_url=reverse_lazy("accounts:password-reset-complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html")
