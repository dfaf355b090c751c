"""Every form of the system, fuzzed: random and hostile values in every field, fields missing, extra fields,
several values for one field, wrongly encoded bodies, and broken request bodies.

The forms are found, not listed: every entry of the access matrix (tests/access_matrix.py) that takes a POST is
opened by someone allowed to post there, and the forms in its page are read from the HTML, field by field, as a
browser would send them; an endpoint behind a button gets the fields its view code reads. The view code itself is
read too: a view that takes form data must be a POST entry of the matrix, so no form is left out.

For each example: the status is 200 with the form's errors, a redirect (saved), or a 4xx — never a 5xx (the test
client raises the view's exception); a refusal wrote nothing but the session and the access log; what a success
stored is consistent (tests/fuzz/checks.py); and no markup comes back unescaped, on the page or on the page the
redirect leads to.
"""
import os
from dataclasses import dataclass
from urllib.parse import quote_from_bytes, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.access_matrix import PARTNERSHIP, TABLE, url_name, world  # noqa: F401 (the module's fixture)
from tests.fuzz import strategies as bad
from tests.fuzz.checks import Recorder, check_response
from tests.fuzz.targets import (ROLE_PREFERENCE, Field, client_and_url, compared_values, forms_in, fuzzed_keys,
                                handles_post, posted_names, url_names)

KEYS = fuzzed_keys()
CALLBACKS = dict(url_names())
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 15))  # per form; FUZZ_EXAMPLES=200 for a longer hunt
QUERY_EXAMPLES = max(3, EXAMPLES // 3)
# A page that answers a successful POST with 200 rather than a redirect: the API key is shown once, on the page.
WRITES_ON_200 = {"api-token:manage"}
# ... and a 200 without errors that is not a refusal: the survey results' "pick as a quote" button posts only the
# answer, and gets the quote form filled in with it.
NO_ERRORS_ON_200 = WRITES_ON_200 | {"registers:quote-add"}
# Refusals that are a page of their own rather than the form with errors: a reset link already used.
REFUSAL_PAGES = {"accounts:password-reset-confirm": b"This link does not work any more"}
# What a refused POST may still write: failed sign-ins (for the lock-out) and wrong codes (to slow guessing).
EXTRA_WRITES = {"accounts:sign-in": frozenset({"axes_accessattempt", "axes_accessfailurelog", "axes_accesslog",
                                               "axes_accessattemptexpiration"}),
                "accounts:two-factor": frozenset({"otp_totp_totpdevice"}),
                "accounts:two-factor-recovery": frozenset({"otp_static_staticdevice"})}


@dataclass
class Target:
    key: str
    extra_writes: frozenset
    partnership: object  # the records a success stores belong to this one

    @property
    def name(self):
        return url_name(self.key)


def fuzz_settings(examples):
    phases = [p for p in Phase if p != Phase.shrink or os.environ.get("FUZZ_SHRINK", "1") == "1"]
    return settings(max_examples=examples, deadline=None, database=None, print_blob=True, phases=phases,
                    suppress_health_check=list(HealthCheck))


# ------------------------------------------------------------------------------------- what is sent
FILES = [("evidence.pdf", b"%PDF-1.4\n%EOF\n"), ("empty.pdf", b""), ("script.pdf", b"<script>alert(1)</script>"),
         ("../../../etc/passwd.pdf", b"%PDF-1.4"), ("x" * 240 + ".docx", b"PK\x03\x04"),
         ("evil.html", b"<html><script>alert(1)</script>"), ("noext", b"\x00\x01\x02"),
         ("caf\u00e9 \u202egpj.exe.pdf", b"%PDF-1.4"), ("a.pdf\x00.exe", b"%PDF-1.4"), ("big.pdf", b"0" * 300_000)]


def plausible(field):
    """A value the field could take: its options, a date part, a short text, a number."""
    if field.kind in ("choice", "multi", "button") and field.options:
        return st.sampled_from(field.options)
    if field.kind == "date-part":
        part = field.name.rsplit("-", 1)[1]
        return st.integers(*{"day": (1, 28), "month": (1, 12), "year": (2015, 2026)}[part]).map(str)
    if field.kind == "email":
        return st.sampled_from(["known@test.example", "someone@test.example", "no-at-sign"])
    if field.kind == "url":
        return st.sampled_from(["https://example.org/report", "example.org", "ftp://x"])
    if field.kind == "number" or "year" in field.name or field.name in ("number", "count", "amount", "value"):
        return st.integers(0, 3000).map(str)
    words = st.text(st.characters(categories=("L", "N", "P", "Zs")), min_size=1, max_size=30)
    return st.one_of(words, st.just(field.value or "Text"), st.sampled_from(bad.SCRIPT_PAYLOADS))


def field_value(field):
    """One field: left out, a plausible value, several values, or something hostile."""
    if field.kind == "file":
        return st.one_of(st.none(), st.sampled_from(FILES).map(lambda f: [SimpleUploadedFile(f[0], f[1])]))
    one = plausible(field)
    return st.one_of(one.map(lambda v: [v]), one.map(lambda v: [v]), one.map(lambda v: [v]), st.none(),
                     st.lists(st.one_of(one, bad.hostile_text), min_size=2, max_size=3),
                     bad.hostile_value.map(lambda v: [v]))


def submission(fields):
    """A dict of field name -> list of values (str or bytes) or uploaded files, maybe with extra fields."""
    names = sorted(fields)
    extra = st.dictionaries(st.one_of(st.sampled_from(bad.EXTRA_FIELD_NAMES), st.text(max_size=10)),
                            st.one_of(st.integers(-2, 10**6).map(str), bad.hostile_value).map(lambda v: [v]),
                            max_size=3)
    chosen = st.fixed_dictionaries({name: field_value(fields[name]) for name in names})
    return st.tuples(chosen, extra).map(lambda both: {k: v for k, v in {**both[1], **both[0]}.items() if v})


def _to_bytes(value):
    return value if isinstance(value, bytes) else value.encode()


def urlencoded(data):
    return b"&".join(quote_from_bytes(_to_bytes(name)).encode() + b"=" + quote_from_bytes(_to_bytes(value)).encode()
                     for name, values in data.items() for value in values if not hasattr(value, "read"))


CHARSETS = ["utf-8", "utf-16", "latin-1", "ascii", "rot13", "zlib", "base64", "hex", "idna", "no-such-charset",
            "utf-7", "cp500", "", "utf-8; boundary=x"]


@st.composite
def request_body(draw, fields, multipart):
    """(content type, body bytes): the form as multipart or URL-encoded, in a declared charset, or broken."""
    data = draw(submission(fields))
    how = draw(st.sampled_from(["multipart", "multipart", "urlencoded", "urlencoded", "charset", "broken"]))
    if how == "multipart" or (multipart and how == "urlencoded" and draw(st.booleans())):
        return MULTIPART_CONTENT, encode_multipart(BOUNDARY, data)
    if how == "urlencoded":
        return "application/x-www-form-urlencoded", urlencoded(data)
    if how == "charset":
        charset = draw(st.sampled_from(CHARSETS))
        kind = draw(st.sampled_from(["application/x-www-form-urlencoded", MULTIPART_CONTENT]))
        body = urlencoded(data) if kind.startswith("application") else encode_multipart(BOUNDARY, data)
        return f"{kind}; charset={charset}", body
    whole = encode_multipart(BOUNDARY, data)
    return draw(st.sampled_from([
        ("multipart/form-data", whole),  # no boundary
        (MULTIPART_CONTENT, whole[: draw(st.integers(0, max(0, len(whole) - 1)))]),  # cut short
        ("multipart/form-data; boundary=" + "x" * 200, whole),  # a boundary that is not in the body
        ("multipart/form-data; boundary=", whole),
        ("multipart/mixed; boundary=" + BOUNDARY, whole),
        ("application/json", b'{"title": "<script>", "partnership": 2}'),
        ("application/json", draw(st.binary(max_size=50))),
        ("text/plain", urlencoded(data)),
        ("application/x-www-form-urlencoded", draw(st.binary(max_size=200))),
        ("application/x-www-form-urlencoded", b"a=%ZZ&%%%=1&&&=&b=%ed%a0%80&c=%00"),
        ("", urlencoded(data)),
    ]))


# ------------------------------------------------------------------------------------- sending and checking
def _follow(client, response, what):
    """The page a redirect leads to shows what was saved: it must render, with the markup escaped."""
    location = response.get("Location", "")
    if response.status_code in (302, 303) and location.startswith("/"):
        landing = client.get(location)
        check_response(landing, what=f"{what} → GET {location}")


def fuzz_post(client, url, fields, *, multipart, target, examples=EXAMPLES):
    partnership = target.partnership

    @fuzz_settings(examples)
    @given(request_body(fields, multipart))
    def post(sent):
        content_type, body = sent
        recorder = Recorder()
        with recorder.recording():
            response = client.generic("POST", url, body, content_type=content_type)
        what = f"POST {url} ({content_type})"
        check_response(response, recorder=None if target.name in WRITES_ON_200 else recorder,
                       partnership=partnership, allowed_writes=target.extra_writes, what=what)
        if response.status_code == 200 and target.name not in NO_ERRORS_ON_200:
            refusal = REFUSAL_PAGES.get(target.name, b"govuk-error-summary")
            assert b"govuk-error-summary" in response.content or refusal in response.content, \
                f"{what}: 200 without saying what is wrong"
        _follow(client, response, what)

    post()


def fuzz_query(client, url, fields, *, target):
    """A form that sends its fields in the address (filters, searches): the same values in the query string."""
    partnership = target.partnership

    @fuzz_settings(QUERY_EXAMPLES)
    @given(submission(fields))
    def get(data):
        query = urlencoded({k: v for k, v in data.items() if not any(hasattr(x, "read") for x in v)})
        recorder = Recorder()
        with recorder.recording():
            response = client.get(url, QUERY_STRING=query.decode("ascii"))
        check_response(response, recorder=recorder, partnership=partnership, allowed_writes=target.extra_writes,
                       what=f"GET {url}?{query[:200]!r}")

    get()


# ------------------------------------------------------------------------------------- the tests
@pytest.fixture
def uploads(settings, tmp_path):
    """Returns uploaded through the page wait in a temporary folder (stored files already go to the world's)."""
    settings.UPLOAD_DIR = tmp_path / "uploads"
    return tmp_path


def test_every_view_that_takes_form_data_is_fuzzed():
    """What the code says takes a POST is what the access matrix says, so every form is among KEYS."""
    takes_post = {name for name, callback in CALLBACKS.items() if handles_post(callback)}
    assert len(takes_post) > 50, "the view code reader found too few forms"
    in_matrix = {url_name(key) for key, entry in TABLE.items() if entry.posts}
    assert takes_post == in_matrix, (f"the code takes a POST at {sorted(takes_post - in_matrix)}, "
                                     f"the matrix says so of {sorted(in_matrix - takes_post)} too")
    assert {url_name(key) for key in KEYS} == in_matrix


def test_the_view_code_reader_finds_forms_and_their_fields():
    """The reader must see through helpers (`posted(request)`) and decorators (`require_POST`)."""
    assert handles_post(CALLBACKS["registers:visit-add"])  # via _visit_form and posted(request)
    assert handles_post(CALLBACKS["reports:publish"])  # @require_POST
    assert handles_post(CALLBACKS["accounts:sign-in"])  # a class-based view
    assert not handles_post(CALLBACKS["dashboard:index"]) and not handles_post(CALLBACKS["api:indicator-values"])
    assert {"action"} <= posted_names(CALLBACKS["registers:survey-status"])
    assert {"open", "close"} <= set(compared_values(CALLBACKS["registers:survey-status"]))


def _years_of_figures(world):
    """The new-report form asks for a year the partnership has figures for: give it some."""
    from tests.dashboard import data

    data.store_values(world.home.la_code, years=(2021,))


def _every_standard_answered(world):
    """A return is submitted once every standard has an answer: answer them."""
    from safeguarding.audits.models import CycleReturn
    from tests.audits import builders

    builders.answer_all(CycleReturn.objects.get(pk=world.home_records["own-return"]["pk"]))


def _report_signed_off(world):
    """The publish form is shown for a report every statutory partner has signed off: sign it off (the matrix's
    report is incomplete, so the form asks why it should be published now)."""
    from safeguarding.reports.models import YearlyReport

    YearlyReport.objects.filter(pk=world.home_records["report"]["pk"]).update(status=YearlyReport.Status.SIGNED_OFF)


# What a form needs before it is shown (the matrix's world has the records, not always the state).
PREPARE = {"reports:index": _years_of_figures, "audits:return-submit": _every_standard_answered,
           "reports:publish": _report_signed_off}


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_bad_input_never_breaks_a_form(world, key, uploads):
    entry = TABLE[key]
    if key in PREPARE:
        PREPARE[key](world)
    client, url = client_and_url(world, key)
    callback = CALLBACKS[url_name(key)]
    target = Target(key, EXTRA_WRITES.get(url_name(key), frozenset()), world.home)
    if not entry.gets:
        # An endpoint behind a button: the POST fields it reads, and the values it looks for, come from its code.
        options = compared_values(callback) + ["", "1"]
        fields = {name: Field(name, "choice", options) for name in posted_names(callback) | {"next", "action"}}
        fuzz_post(client, url, fields, multipart=False, target=target)
        return
    page = client.get(url)
    assert page.status_code == 200, f"GET {url} as someone allowed to post: {page.status_code}"
    path = urlsplit(url).path
    own = [form for form in forms_in(page.content.decode(), url) if form.method == "post" and form.path == path]
    assert own, f"{key} takes a POST but {url} shows no form that sends to it"
    for form in own:
        fuzz_post(client, url, form.fields, multipart=form.multipart, target=target)


@pytest.mark.django_db
def test_filters_and_searches_take_any_query(world, uploads):
    """Forms that send their fields in the address (filters, searches), on any page: any values in the query."""
    searched = []
    for key, entry in TABLE.items():
        if not (entry.gets and entry.access == PARTNERSHIP and entry.allowed and 200 in entry.status):
            continue
        principal = world.members[next(role for role in ROLE_PREFERENCE if role in entry.allowed)]
        url = world.url(key)
        page = principal.request("get", url)
        if page.status_code != 200 or not page.get("Content-Type", "").startswith("text/html"):
            continue
        path = urlsplit(url).path
        for form in forms_in(page.content.decode(), url):
            if form.method == "get" and form.path == path and form.fields:
                searched.append(key)
                fuzz_query(principal.client, url, form.fields, target=Target(key, frozenset(), world.home))
    print(f"\nfilters and searches fuzzed: {sorted(set(searched))}")
    assert {"core:audit-trail", "core:access-log", "registers:survey-results"} <= set(searched), searched


# ------------------------------------------------------------------------------------- what the fuzzing found
@pytest.mark.django_db
@pytest.mark.parametrize("charset", ["rot13", "zlib", "base64", "hex", "idna"])
def test_a_form_in_a_charset_that_is_not_text_is_refused_clearly(world, charset):
    """Found by the fuzzer: Django raised LookupError / UnicodeError (a 500) decoding a form whose declared charset
    is a codec but not a text encoding (rot13, zlib) or one without replacement characters (idna)."""
    client, url = client_and_url(world, "registers:voice-add")
    for content_type in (f"application/x-www-form-urlencoded; charset={charset}",
                         f"multipart/form-data; boundary=x; charset={charset}"):
        response = client.generic("POST", url, b"title=x", content_type=content_type)
        assert response.status_code == 400
        assert f"character set ‘{charset}’" in response.content.decode() and "as UTF-8" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["audits:maa-add", "audits:cycle-add", "partnership:add[members]"])
def test_a_choice_of_agencies_out_of_range_is_an_invalid_choice(world, key):
    """Found by the fuzzer: a many-to-many choice of 2**64 or more (agencies of an audit or cycle, a member's
    subgroups) reached SQLite as pk__in and failed with OverflowError (a 500)."""
    client, url = client_and_url(world, key)
    name = "subgroups" if key.startswith("partnership") else "organisations"
    for value in ("99999999999999999999999999999999", "-9223372036854775809", "1e3", "x"):
        response = client.post(url, {name: [value]})
        page = response.content.decode()
        assert response.status_code == 200 and "govuk-error-summary" in page, (value, response.status_code)
        assert f"{value} is not one of the available choices" in page, value


@pytest.mark.django_db
@pytest.mark.parametrize("key", [k for k in KEYS if TABLE[k].gets and TABLE[k].access == PARTNERSHIP
                                 and url_name(k) not in NO_ERRORS_ON_200 and k not in ("reports:index",
                                                                                       "audits:return-submit")])
def test_a_post_that_lost_its_fields_says_what_is_missing(world, key):
    """Found by the fuzzer: 26 forms took `request.POST or None`, so a POST whose fields were lost (an empty body,
    JSON, a cut-short upload) showed the blank form again and said nothing; they take core.forms.posted now."""
    client, url = client_and_url(world, key)
    for content_type, body in (("application/x-www-form-urlencoded", b""), ("application/json", b"{}")):
        response = client.generic("POST", url, body, content_type=content_type)
        if response.status_code == 200:
            assert b"govuk-error-summary" in response.content, f"{key}: an empty POST showed no errors"
        else:
            assert response.status_code in (302, 403, 404), (key, response.status_code)


@pytest.mark.django_db
def test_unreadable_forms_are_refused_saying_why(world):
    """A form Django cannot read is a 400 that says what was wrong with it, not the bare "could not be understood"."""
    client, url = client_and_url(world, "registers:voice-add")
    cases = [
        ("application/x-www-form-urlencoded", b"&".join(b"f%d=1" % n for n in range(1001)),
         "The form sent more than 1,000 fields"),
        ("multipart/form-data; boundary=", b"--\r\n", "was cut short or garbled"),
        ("application/x-www-form-urlencoded; charset=latin-1", b"title=caf%E9", "must be UTF-8 encoded"),
        ("application/x-www-form-urlencoded", b"title=" + b"x" * (3 * 1024 * 1024), "This page accepts at most 2.5 MB"),
    ]
    for content_type, body, says in cases:
        response = client.generic("POST", url, body, content_type=content_type)
        assert response.status_code in (400, 413), (content_type, response.status_code)
        assert says in response.content.decode(), (content_type, says)
        assert "Nothing was" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("key,data,says", [
    ("partnership:add[factor-groups]", {"name": "Extra-familial harm", "factors": ["11A"], "order": "1"},
     "Extra-familial harm is already a factor group of this partnership"),
    ("reviews:incident-add", {"reference": "SIN-1", "summary": "x", "aware_on-day": "1", "aware_on-month": "6",
                              "aware_on-year": "2020"}, "SIN-1 is already the reference of another incident"),
])
def test_a_name_or_reference_already_taken_is_a_form_error(world, key, data, says):
    """Found by the fuzzer: a factor group named like another, or an incident with another's reference, broke the
    database's uniqueness (partnership, name / reference), which the form could not see: an IntegrityError, a 500."""
    client, url = client_and_url(world, key)
    response = client.post(url, data)
    assert response.status_code == 200 and says in response.content.decode(), response.status_code
