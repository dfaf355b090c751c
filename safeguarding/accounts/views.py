import base64
import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from markupsafe import Markup

from safeguarding.accounts.forms import NewPasswordForm, ResetRequestForm, SignInForm, TokenForm
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


@login_required
def two_factor(request):
    """Enrol an authenticator app on first sign-in, or check a code on later ones."""
    user = request.user
    if user.is_verified():
        return redirect(_safe_next(request, reverse("home")))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        allowed, why = device.verify_is_allowed()
        if not allowed:
            wait = (why or {}).get("locked_until")
            form.add_error("code", "Too many wrong codes in a row. Wait a few seconds, then enter the code "
                                   "your app shows now." if wait else "Codes cannot be checked now. Try again later.")
        elif device.verify_token(form.cleaned_data["code"].strip().replace(" ", "")):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                messages.success(request, "Two-factor sign-in is set up for your account.")
            otp_login(request, device)
            return redirect(_safe_next(request, reverse("home")))
        form.add_error("code", "The code is not right. Enter the 6-digit code your app shows now.")
    context = {"form": form, "enrolling": enrolling, "next": _safe_next(request, "")}
    if enrolling:
        context["secret"] = base64.b32encode(device.bin_key).decode()
        context["qr"] = _qr_svg(device.config_url)
    return render(request, "accounts/two_factor.html", context)


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
