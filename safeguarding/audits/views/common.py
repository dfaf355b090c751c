"""What the assurance pages share: breadcrumbs, the form page, refusals shown as messages."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse

from safeguarding.core.tenancy import can


def url_for(request, name, **kwargs):
    return reverse(name, kwargs={"slug": request.partnership.slug, **kwargs})


def crumbs(request, *more):
    """Partnership › Assurance › more (each a (text, url name, kwargs) or a ready dict)."""
    items = [{"text": request.partnership.short_name, "href": reverse("partnership:home", kwargs={
        "slug": request.partnership.slug})},
             {"text": "Assurance", "href": url_for(request, "audits:index")}]
    for item in more:
        if isinstance(item, dict):
            items.append(item)
        else:
            text, name, kwargs = item
            items.append({"text": text, "href": url_for(request, name, **kwargs)})
    return items


def form_page(request, form, title, back, breadcrumbs, *, caption="", intro="", button="Save", another=False):
    return render(request, "form_page.html", {"form": form, "page_title": title, "back": back, "caption": caption,
                                              "intro": intro, "button": button, "another": another,
                                              "breadcrumbs": breadcrumbs})


def require(request, permission):
    if not can(request, permission):
        raise PermissionDenied


def refused(request, error):
    messages.error(request, " ".join(error.messages))
