from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/account/", "/static/", "/healthz", "/readyz", "/survey/", "/published/")


class TwoFactorRequiredMiddleware:
    """Everyone who signs in reaches nothing else until they have given a code: every role (the service holds
    special-category data about children and allegations against staff), and a person with no role at all too,
    so that no account, however it came to be, is reached with a password alone (ADR 0002)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(EXEMPT_PREFIXES) and not user.is_verified():
            # Encoded, so a page address with its own query string (a & in it) comes back whole.
            return redirect(reverse("accounts:two-factor") + "?" + urlencode({"next": request.get_full_path()}))
        return self.get_response(request)
