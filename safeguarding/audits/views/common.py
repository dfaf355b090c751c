"""What the assurance pages share: breadcrumbs and refusals shown as messages (the form page is core's)."""
from django.contrib import messages
from django.urls import reverse

from safeguarding.core.views import breadcrumbs


def url_for(request, name, **kwargs):
    return reverse(name, kwargs={"slug": request.partnership.slug, **kwargs})


def crumbs(request, *more):
    """Partnership › Assurance › more (each a (text, url name, kwargs) or a ready dict)."""
    return breadcrumbs(request.partnership, ("Assurance", url_for(request, "audits:index")), *(
        item if isinstance(item, dict) else (item[0], url_for(request, item[1], **item[2])) for item in more))


def refused(request, error):
    messages.error(request, " ".join(error.messages))
