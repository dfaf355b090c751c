from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/account/", "/static/", "/healthz", "/readyz", "/survey/", "/published/")


class TwoFactorRequiredMiddleware:
    """People whose role needs two-factor sign-in reach nothing else until they have given a code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not user.is_verified()
            and user.needs_two_factor
        ):
            return redirect(reverse("accounts:two-factor") + "?next=" + request.get_full_path())
        return self.get_response(request)
