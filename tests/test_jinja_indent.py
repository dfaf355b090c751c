"""Our `indent` filter gives exactly what Jinja's gives, for text and for markup (config/jinja2.py says why it is
ours)."""
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2.filters import do_indent
from markupsafe import Markup

from config.jinja2 import indent

texts = st.text(alphabet=st.sampled_from(list("ab <>&\n\r\t\u2028\x0b\x0c\x1c\x85")), max_size=40)
widths = st.one_of(st.integers(min_value=0, max_value=6), st.sampled_from(["", "  ", "\t", "<>", "&"]))


@given(text=texts, width=widths, first=st.booleans(), blank=st.booleans(), markup=st.booleans())
def test_the_same_as_jinjas(text, width, first, blank, markup):
    value = Markup(text) if markup else text
    ours, jinjas = indent(value, width, first, blank), do_indent(value, width, first, blank)
    assert ours == jinjas and type(ours) is type(jinjas)


@pytest.mark.parametrize("value", [Markup("<p>\n  <b>x</b>\n\n</p>"), "plain\ntext <not markup>"])
def test_a_panel(value):
    assert indent(value, 8) == do_indent(value, 8)
