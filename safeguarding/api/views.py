"""The read-only API for analysts: the partnership's indicator values and the imported benchmarks.

Scoped like the pages: the partnership comes from the URL, but only among the person's memberships
(anything else is 404), and a scrutineer gets small numbers withheld as on the dashboard. A token
stands in for the sign-in, so tokens are made only on the API token page, by a signed-in person who
has passed two-factor sign-in (TwoFactorRequiredMiddleware sees to that).
"""
from django.core.validators import RegexValidator
from django.shortcuts import render
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.fields import empty
from rest_framework.pagination import LimitOffsetPagination

from safeguarding.benchmarks.models import BenchmarkValue, Level, Measure
from safeguarding.core.tenancy import partnership_for, partnership_view
from safeguarding.dashboard.selectors import is_scrutineer
from safeguarding.indicators.models import IndicatorValue

from .serializers import BenchmarkValueSerializer, IndicatorValueSerializer

SLUG = OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH,
                        description="The partnership, as in its page addresses (/p/<slug>/)")
YEAR_HELP = "Collection year: 2021 for 2020-21"


class Pages(LimitOffsetPagination):
    """Pages of results. A limit or offset that is not a whole number in range is refused with 400 saying so,
    not quietly replaced by the default (and never passed on to the database)."""

    max_limit = 100_000

    def get_limit(self, request):
        return self._number(request, self.limit_query_param, self.default_limit, 1, self.max_limit)

    def get_offset(self, request):
        return self._number(request, self.offset_query_param, 0, 0, 10 ** 9)

    def _number(self, request, name, default, low, high):
        text = request.query_params.get(name)
        if text is None or text == "":
            return default
        if not (text.isascii() and text.isdigit() and low <= int(text) <= high):
            raise ValidationError({name: [f"{text[:40]!r} is not allowed; expected a whole number from {low} to "
                                          f"{high:,}"]})
        return int(text)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update({"limit": {"minimum": 1, "maximum": self.max_limit},
                                        "offset": {"minimum": 0, "maximum": 10 ** 9}}[parameter["name"]])
        return parameters


class Year(serializers.IntegerField):
    """A year in the query: given empty, it is not a year (DRF would take it as not given)."""

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=1900, max_value=2100, help_text=YEAR_HELP, **kwargs)

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, empty)


class Text(serializers.CharField):
    """A text filter; an empty text is no filter. DRF refuses a NUL character in it (400), and the pattern says so
    in the schema too, so that what the schema allows is what the API accepts."""

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_blank=True,
                         validators=[RegexValidator(r"^[^\x00]*$", "Null characters are not allowed.")], **kwargs)


class IndicatorQuery(serializers.Serializer):
    """The filters of the indicator values: an empty text is no filter."""

    year = Year()
    indicator = Text(max_length=120,
                     help_text="An indicator code (referrals, cpp_open ...); a prefix ending in ':' "
                               "(referral_source:, factor_group:) gives the whole family")


class BenchmarkQuery(serializers.Serializer):
    """The filters of the benchmarks: an empty text or choice is no filter."""

    indicator = Text(max_length=80, help_text="Indicator code, e.g. referrals")
    year = Year()
    level = serializers.ChoiceField(required=False, allow_blank=True, choices=Level.choices)
    code = Text(max_length=12, help_text="Old three-digit LA code, or the area's ONS code")
    measure = serializers.ChoiceField(required=False, allow_blank=True, choices=Measure.choices)


class PartnershipScoped:
    permission = "partnership.view"
    pagination_class = Pages
    query_class = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authenticates: 401 without a valid token
        self.partnership = partnership_for(request.user, kwargs["slug"])  # 404 outside the person's partnerships
        if not request.user.has_perm(self.permission, self.partnership):
            raise PermissionDenied
        self.scrutineer = is_scrutineer(request.user.roles_in(self.partnership))

    def query(self):
        """The filters asked for, checked: a value of the wrong kind is a 400 naming the parameter, not a quiet
        empty list (or a database error)."""
        known = set(self.query_class().fields) | {"limit", "offset", "format"}
        unknown = sorted(set(self.request.query_params) - known)
        if unknown:  # a misspelt filter would otherwise give every row
            raise ValidationError({name[:40]: [f"not a parameter of this list; expected one of "
                                               f"{', '.join(sorted(known - {'format'}))}"] for name in unknown[:10]})
        found = self.query_class(data=self.request.query_params)
        found.is_valid(raise_exception=True)
        return {name: value for name, value in found.validated_data.items() if value not in ("", None)}

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["scrutineer"] = getattr(self, "scrutineer", True)
        return context


DETAIL = inline_serializer("Refusal", {"detail": serializers.CharField(help_text="Why")})
ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="A parameter of the wrong kind or out of range: each "
                                                          "parameter named, with what is wrong and what is expected"),
    401: OpenApiResponse(DETAIL, description="No token, or a token that is not valid"),
    403: OpenApiResponse(DETAIL, description="Your role in the partnership does not allow this"),
    404: OpenApiResponse(DETAIL, description="Not one of your partnerships"),
}


@extend_schema(parameters=[SLUG, IndicatorQuery], responses={200: IndicatorValueSerializer(many=True), **ERRORS})
class IndicatorValueList(PartnershipScoped, generics.ListAPIView):
    """Indicator values of the partnership's local authority, computed from its returns."""

    serializer_class = IndicatorValueSerializer
    query_class = IndicatorQuery

    def get_queryset(self):
        found = IndicatorValue.objects.filter(la_code=self.partnership.la_code).order_by("year", "indicator")
        query = self.query()
        if "year" in query:
            found = found.filter(year=query["year"])
        indicator = query.get("indicator")
        if indicator:
            found = found.filter(indicator__startswith=indicator) if indicator.endswith(":") else \
                found.filter(indicator=indicator)
        return found


@extend_schema(parameters=[SLUG, BenchmarkQuery], responses={200: BenchmarkValueSerializer(many=True), **ERRORS})
class BenchmarkValueList(PartnershipScoped, generics.ListAPIView):
    """Published figures (DfE, ONS, figures typed from reports) with their source and vintage."""

    serializer_class = BenchmarkValueSerializer
    query_class = BenchmarkQuery

    def get_queryset(self):
        found = BenchmarkValue.objects.order_by("indicator", "year", "level", "code", "measure", "source", "vintage")
        return found.filter(**self.query())


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
