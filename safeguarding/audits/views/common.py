"""What the assurance pages share: breadcrumbs and refusals shown as messages (the form page is core's)."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
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


def require(request, permission):
    if not can(request, permission):
        raise PermissionDenied


def refused(request, error):
    messages.error(request, " ".join(error.messages))
