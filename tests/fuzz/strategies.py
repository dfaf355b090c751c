"""Hypothesis strategies for bad input: hostile text and bytes, numbers and dates out of range, markup.

Shared by the form, upload and API fuzz tests. Values are str (sent as UTF-8) or bytes (sent as they are, so
they can be invalid UTF-8, a surrogate written as bytes, or Latin-1)."""
import operator

from hypothesis import strategies as st

# Markup that would run if a page ever showed it unescaped. The marker lets a test look for it in responses.
XSS_MARKER = "xssfuzz"
SCRIPT_PAYLOADS = [
    f"<script>window.{XSS_MARKER}=1</script>",
    f'"><img src=x onerror="window.{XSS_MARKER}=1">',
    f"'><svg onload=window.{XSS_MARKER}=1>",
    f"javascript:window.{XSS_MARKER}=1",
    f'<a href="javascript:window.{XSS_MARKER}=1">x</a>',
    f"</textarea><script>window.{XSS_MARKER}=1</script>",
    f"</title><script>window.{XSS_MARKER}=1</script>",
    f"<iframe srcdoc='<script>parent.{XSS_MARKER}=1</script>'>",
]
# Strings that must appear escaped (or not at all) in any page: they would only be there if markup was not escaped.
UNESCAPED = [f"<script>window.{XSS_MARKER}", f"onerror=\"window.{XSS_MARKER}", f"<svg onload=window.{XSS_MARKER}",
             f"<iframe srcdoc='<script>parent.{XSS_MARKER}"]

TEMPLATE_AND_QUERY_INJECTION = ["{{ 7*7 }}", "{% debug %}", "${7*7}", "#{7*7}", "' OR '1'='1' --", "\"; DROP TABLE x; --",
                                "%s%s%s%n", "../../../../etc/passwd", "%00", "\\", "%", "_", "*", "?", "&amp;",
                                "&#x3C;script&#x3E;"]

NUMBERS_OUT_OF_RANGE = ["-1", "0", "-0", "1.5", "1e309", "-1e309", "NaN", "nan", "Infinity", "-inf", "1e-400",
                        "99999999999999999999999999999999", "-9223372036854775809", "9223372036854775808",
                        "2147483648", "65536", "0x1F", "1_000", " 7 ", "٣", "²", "Ⅻ", "１２", "1,000", "£5", "5%",
                        "10000000000000.005", "0." + "0" * 400 + "1"]

DATES_MALFORMED = ["2021-02-30", "2021-13-01", "0000-00-00", "31/12/2021", "12/31/2021", "2021-1-1",
                   "10000-01-01", "-2021-01-01", "2021-02-29", "1900-02-29", "9999-12-31", "0001-01-01",
                   "2021‐03‐31", "today", "T", "2021-03-31T25:61:61"]

DATE_PARTS = ["0", "00", "32", "13", "-1", "99999", "1e3", "٣", "²", " ", "0x1", "1.5", "999999999999999999999"]

ODD_TEXT = ["", " ", "\t\n\r", "\x00", "a\x00b", "\u202eevil", "\ufeff", "\u200b", "\U0001f600" * 3, "𝕏𝕐𝕫",
            "ǅ", "İ", "ß", "\ufffd", "\r\n" * 5, "\x1b[31m", "\x7f", "\u0085", "\u2028", "Ω" * 3]

# Bytes that are not UTF-8: a surrogate written as UTF-8 bytes, overlong NUL, Latin-1, UTF-16, a lone
# continuation byte, a truncated sequence.
BAD_BYTES = [b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xc0\x80", b"caf\xe9", b"\xff\xfeh\x00i\x00", b"\x80", b"\xe2\x82",
             b"\xf4\x90\x80\x80", b"\xfe\xff", b"\x00\x00\x00"]

long_text = st.builds(operator.mul, st.sampled_from(["a", "é", "\U0001f600", "<", "9", " ", "\x00", "<b>"]),
                      st.sampled_from([256, 1001, 5000, 70_000]))

hostile_text = st.one_of(
    st.text(max_size=60),  # any unicode, NUL and control characters included (not lone surrogates: str → UTF-8)
    st.sampled_from(SCRIPT_PAYLOADS),
    st.sampled_from(TEMPLATE_AND_QUERY_INJECTION),
    st.sampled_from(NUMBERS_OUT_OF_RANGE),
    st.sampled_from(DATES_MALFORMED),
    st.sampled_from(ODD_TEXT),
    long_text,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)

hostile_bytes = st.one_of(st.sampled_from(BAD_BYTES), st.binary(max_size=40),
                          hostile_text.map(lambda s: s.encode("utf-16")),
                          st.text(max_size=20).map(lambda s: s.encode("utf-8", "surrogatepass")))

# Any hostile value: text (goes through UTF-8) or raw bytes (only where the body is built by hand)
hostile_value = st.one_of(hostile_text, hostile_text, hostile_bytes)

# Names a hand-made request might add to a form: fields the form does not have, meant to move a record to
# another partnership, mark it archived, or confuse a parser.
EXTRA_FIELD_NAMES = ["partnership", "partnership_id", "id", "pk", "archived_at", "created_by", "uploaded_by",
                     "status", "organisation", "incident", "report", "by", "is_staff", "is_superuser", "slug",
                     "__proto__", "a[b]", "x" * 300, "", "naïve", "files", "year-day", "csrfmiddlewaretoken"]
