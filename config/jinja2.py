"""The Jinja2 environment: our templates first, then the GOV.UK Frontend macros."""
from django.contrib import messages
from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import reverse
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from config.navigation import navigation
from safeguarding.core.formats import format_date, format_money, format_number
from safeguarding.core.forms import error_summary
from safeguarding.partnership.navigation import register_breadcrumbs
from safeguarding.working_days import year_label


def url(name, *args, **kwargs):
    return reverse(name, args=args or None, kwargs=kwargs or None)


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
    env.filters.update({"date": format_date, "money": format_money, "number": format_number, "year_label": year_label})
    return env
