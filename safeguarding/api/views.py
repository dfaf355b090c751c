"""The read-only API for analysts: the partnership's indicator values and the imported benchmarks.

Scoped like the pages: the partnership comes from the URL, but only among the person's memberships
(anything else is 404), and a scrutineer gets small numbers withheld as on the dashboard. A token
stands in for the sign-in, so tokens are made only on the API token page, by a signed-in person who
has passed two-factor sign-in (TwoFactorRequiredMiddleware sees to that).
"""
import re

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
from safeguarding.core import disclosure
from safeguarding.core.tenancy import partnership_for, partnership_view
from safeguarding.dashboard.selectors import is_scrutineer
from safeguarding.indicators.models import IndicatorValue

from .serializers import BenchmarkValueSerializer, IndicatorValueSerializer

SLUG = OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH,
                        description="The partnership, as in its page addresses (/p/<slug>/)")
YEAR_HELP = "Collection year: 2021 for 2020-21"
# A whole number as the schema's integer is written in a query: ASCII digits, no sign, point, space or leading zero
# (int() would take " 7", "+7", "0_7" and other scripts' digits). At most 12 digits: never a long int() to work out.
WHOLE_NUMBER = re.compile(r"0|[1-9][0-9]{0,11}")
FORMAT = OpenApiParameter("format", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=["json"],
                          description="The answer's format; JSON, the only one, whether given or not")


class Pages(LimitOffsetPagination):
    """Pages of results. A limit or offset that is not a whole number in range is refused with 400 saying so,
    not quietly replaced by the default (and never passed on to the database); so is one given empty, which the
    schema (an integer) does not allow either. Left out, the defaults apply."""

    max_limit = 100_000
    max_offset = 10 ** 9

    def get_limit(self, request):
        return self._number(request, self.limit_query_param, self.default_limit, 1, self.max_limit)

    def get_offset(self, request):
        return self._number(request, self.offset_query_param, 0, 0, self.max_offset)

    def _number(self, request, name, default, low, high):
        text = request.query_params.get(name)
        if text is None:
            return default
        if not (WHOLE_NUMBER.fullmatch(text) and low <= int(text) <= high):
            raise ValidationError({name: [f"{text[:40]!r} is not allowed; expected a whole number from {low} to "
                                          f"{high:,}, in digits"]})
        return int(text)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        ranges = {
            self.limit_query_param: (1, self.max_limit, f"Number of results to return per page: a whole number from 1 "
                                                        f"to {self.max_limit:,} (default {self.default_limit:,})"),
            self.offset_query_param: (0, self.max_offset, "The index of the first result to return: a whole number "
                                                          "from 0 (default 0)"),
        }
        for parameter in parameters:
            low, high, description = ranges[parameter["name"]]
            parameter["schema"].update({"minimum": low, "maximum": high})
            parameter["description"] = description
        return parameters


class Year(serializers.IntegerField):
    """A year in the query, written as the schema's integer (DRF's IntegerField would also take "2021.0", " 2021",
    "2_021" and other scripts' digits); given empty, it is not a year (DRF would take it as not given)."""

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=1900, max_value=2100, help_text=YEAR_HELP, error_messages={
            "invalid": "A year is required, in digits: 1900 to 2100."}, **kwargs)

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, empty)

    def to_internal_value(self, data):
        if isinstance(data, str) and not WHOLE_NUMBER.fullmatch(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class Text(serializers.CharField):
    """A text filter; an empty text is no filter. DRF refuses a NUL character in it (400), and the pattern says so
    in the schema too, so that what the schema allows is what the API accepts. The pattern asks for at least one
    character: drf-spectacular writes a blank-allowed text with a pattern as oneOf [the pattern, an empty string],
    and with "*" the empty string would match both, which oneOf forbids (the schema would refuse "")."""

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_blank=True,
                         validators=[RegexValidator(r"^[^\x00]+$", "Null characters are not allowed.")], **kwargs)


class IndicatorQuery(serializers.Serializer):
    """The filters of the indicator values: an empty text is no filter."""

    year = Year()
    indicator = Text(max_length=120,
                     help_text="An indicator code (referrals, cpp_open ...); a prefix ending in ':' "
                               "(referral_source:, factor_group:) gives the whole family")


class Choice(serializers.ChoiceField):
    """One of a list (written exactly, lower case); an empty choice is no filter. A refusal lists the choices."""

    def __init__(self, choices, **kwargs):
        expected = ", ".join(str(value) for value, _ in choices)
        super().__init__(choices=choices, required=False, allow_blank=True, error_messages={
            "invalid_choice": f'"{{input}}" is not a valid choice; expected one of {expected}'}, **kwargs)


class BenchmarkQuery(serializers.Serializer):
    """The filters of the benchmarks: an empty text or choice is no filter."""

    indicator = Text(max_length=80, help_text="Indicator code, e.g. referrals")
    year = Year()
    level = Choice(Level.choices)
    code = Text(max_length=12, help_text="Old three-digit LA code, or the area's ONS code")
    measure = Choice(Measure.choices)


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
        params = self.request.query_params
        known = set(self.query_class().fields) | {"limit", "offset", "format"}
        errors = {name[:40]: [f"not a parameter of this list; expected one of {', '.join(sorted(known))}"]
                  for name in sorted(set(params) - known)[:10]}  # a misspelt filter would otherwise give every row
        errors |= {name: [f"given {len(params.getlist(name))} times; give it once"]
                   for name in sorted(known & set(params)) if len(params.getlist(name)) > 1}
        if params.getlist("format") not in ([], ["json"]) and "format" not in errors:
            errors["format"] = [f"{params['format'][:40]!r} is not a format of this API; expected json"]
        if errors:  # which of two values would count is not something to guess
            raise ValidationError(errors)
        found = self.query_class(data=self.request.query_params)
        found.is_valid(raise_exception=True)
        return {name: value for name, value in found.validated_data.items() if value not in ("", None)}

    def perform_content_negotiation(self, request, force=False):
        """A ?format= other than json gets JSON here and a 400 from query(), after the token is checked, like any
        other parameter (DRF alone would answer 404)."""
        return super().perform_content_negotiation(request, force or request.query_params.getlist("format") not in
                                                   ([], ["json"]))

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


@extend_schema(parameters=[SLUG, IndicatorQuery, FORMAT],
               responses={200: IndicatorValueSerializer(many=True), **ERRORS})
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

    def get_serializer(self, *args, **kwargs):
        if self.scrutineer and args:
            # Decided over all the values of the years listed, not page by page: a family's parts add up to
            # its total whichever page they fall on.
            years = {v.year for v in args[0]}
            kwargs.setdefault("context", self.get_serializer_context())["disclosure"] = disclosure.indicator_values(
                IndicatorValue.objects.filter(la_code=self.partnership.la_code, year__in=years))
        return super().get_serializer(*args, **kwargs)


@extend_schema(parameters=[SLUG, BenchmarkQuery, FORMAT],
               responses={200: BenchmarkValueSerializer(many=True), **ERRORS})
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
