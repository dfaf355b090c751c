from django.urls import reverse


def register_breadcrumbs(partnership, section=None):
    """Breadcrumbs for the register's pages: partnership › register › section."""
    crumbs = [
        {"text": partnership.short_name, "href": reverse("partnership:home", kwargs={"slug": partnership.slug})},
        {"text": "Partnership register", "href": reverse("partnership:register", kwargs={"slug": partnership.slug})},
    ]
    if section is not None:
        crumbs.append({"text": section.title, "href": reverse(
            "partnership:section", kwargs={"slug": partnership.slug, "section": section.slug})})
    return crumbs
