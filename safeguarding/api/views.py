"""The read-only API for analysts: the partnership's indicator values and the imported benchmarks.

Scoped like the pages: the partnership comes from the URL, but only among the person's memberships
(anything else is 404), and a scrutineer gets small numbers withheld as on the dashboard. A token
stands in for the sign-in, so tokens are made only on the API token page, by a signed-in person who
has passed two-factor sign-in where their role needs it (TwoFactorRequiredMiddleware sees to that).
"""
from django.shortcuts import render
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import PermissionDenied

from safeguarding.benchmarks.models import BenchmarkValue
from safeguarding.core.tenancy import partnership_for, partnership_view
from safeguarding.dashboard.selectors import is_scrutineer
from safeguarding.indicators.models import IndicatorValue

from .serializers import BenchmarkValueSerializer, IndicatorValueSerializer

SLUG = OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH,
                        description="The partnership, as in its page addresses (/p/<slug>/)")


class PartnershipScoped:
    permission = "partnership.view"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authenticates: 401 without a valid token
        self.partnership = partnership_for(request.user, kwargs["slug"])  # 404 outside the person's partnerships
        if not request.user.has_perm(self.permission, self.partnership):
            raise PermissionDenied
        self.scrutineer = is_scrutineer(request.user.roles_in(self.partnership))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["scrutineer"] = getattr(self, "scrutineer", True)
        return context


@extend_schema(parameters=[
    SLUG,
    OpenApiParameter("year", OpenApiTypes.INT, description="Collection year: 2021 for 2020-21"),
    OpenApiParameter("indicator", OpenApiTypes.STR,
                     description="An indicator code (referrals, cpp_open ...); a prefix ending in ':' "
                                 "(referral_source:, factor_group:) gives the whole family"),
])
class IndicatorValueList(PartnershipScoped, generics.ListAPIView):
    """Indicator values of the partnership's local authority, computed from its returns."""

    serializer_class = IndicatorValueSerializer

    def get_queryset(self):
        found = IndicatorValue.objects.filter(la_code=self.partnership.la_code).order_by("year", "indicator")
        year = self.request.query_params.get("year")
        if year:
            found = found.filter(year=int(year)) if year.isdigit() else found.none()
        indicator = self.request.query_params.get("indicator")
        if indicator:
            found = found.filter(indicator__startswith=indicator) if indicator.endswith(":") else \
                found.filter(indicator=indicator)
        return found


@extend_schema(parameters=[
    SLUG,
    OpenApiParameter("indicator", OpenApiTypes.STR, description="Indicator code, e.g. referrals"),
    OpenApiParameter("year", OpenApiTypes.INT, description="Collection year: 2021 for 2020-21"),
    OpenApiParameter("level", OpenApiTypes.STR, enum=["la", "region", "inner_outer_london", "england", "sn"]),
    OpenApiParameter("code", OpenApiTypes.STR, description="Old three-digit LA code, or the area's ONS code"),
    OpenApiParameter("measure", OpenApiTypes.STR, enum=["count", "rate", "percent", "value"]),
])
class BenchmarkValueList(PartnershipScoped, generics.ListAPIView):
    """Published figures (DfE, ONS, figures typed from reports) with their source and vintage."""

    serializer_class = BenchmarkValueSerializer

    def get_queryset(self):
        found = BenchmarkValue.objects.order_by("indicator", "year", "level", "code", "measure", "source", "vintage")
        params = self.request.query_params
        for name in ("indicator", "level", "code", "measure"):
            if params.get(name):
                found = found.filter(**{name: params[name]})
        if params.get("year"):
            found = found.filter(year=int(params["year"])) if params["year"].isdigit() else found.none()
        return found


@partnership_view()
def api_token(request):
    """Create (or replace) the signed-in person's API token; the key is shown once, when made."""
    token = Token.objects.filter(user=request.user).first()
    key = None
    if request.method == "POST":
        if token is not None:
            token.delete()
            token = None
        if request.POST.get("action") != "revoke":
            token = Token.objects.create(user=request.user)
            key = token.key
    return render(request, "api/token.html", {"token": token, "key": key, "page_title": "API for analysts",
                                              "scrutineer": is_scrutineer(request.roles)})
