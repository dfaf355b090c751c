"""The Jinja2 environment: our templates first, then the GOV.UK Frontend macros."""
from django.contrib import messages
from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import reverse
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader
from markupsafe import Markup

from config.navigation import navigation
from safeguarding.core.formats import format_date, format_money, format_number
from safeguarding.core.forms import error_summary
from safeguarding.partnership.navigation import register_breadcrumbs
from safeguarding.working_days import year_label


def url(name, *args, **kwargs):
    return reverse(name, args=args or None, kwargs=kwargs or None)


def indent(s, width=4, first=False, blank=False):
    """Jinja's `indent`, the same text, without its cost on markup: the GOV.UK macros indent each component's
    HTML, and the tabs and details of the dashboard pass whole panels through them. Jinja splits Markup into
    Markup lines and joins them through Markup's escaping, a quarter of the dashboard's time (docs/benchmarks.md);
    here the lines are plain text, made Markup again at the end."""
    markup = isinstance(s, Markup)
    text = str(s)
    indention = width if isinstance(width, str) else " " * width  # markup too, when the text is markup, as in Jinja
    text += "\n"  # as Jinja does: splitlines then drops the last line ending, not an empty last line
    if blank:
        out = ("\n" + indention).join(text.splitlines())
    else:
        lines = text.splitlines()
        out = lines.pop(0)
        if lines:
            out += "\n" + "\n".join(indention + line if line else line for line in lines)
    if first:
        out = indention + out
    return Markup(out) if markup else out


def environment(**options):
    options["loader"] = ChoiceLoader(
        [
            options["loader"],
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")}),
        ]
    )
    options.setdefault("extensions", []).append("jinja2.ext.do")
    env = Environment(**options)
    env.globals.update(
        {
            "static": staticfiles_storage.url,
            "url": url,
            "get_messages": messages.get_messages,
            "error_summary": error_summary,
            "register_breadcrumbs": register_breadcrumbs,
            "navigation": navigation,
        }
    )
    env.filters.update({"date": format_date, "money": format_money, "number": format_number, "year_label": year_label,
                        "indent": indent})
    return env
