"""Archive and restore for any partnership record (ADR 0003: records are archived from their pages, never
deleted), through one confirm page, one restore button and one page of archived records.

Core knows no feature (ADR 0020): each app declares the kinds of record it archives, in its AppConfig.ready, with
``register``. The views (core/views.py: ``archive``, ``restore``, ``archived``) take the kind from the URL, look
the record up within the person's partnership (another partnership's is 404) and check the kind's permission."""
from dataclasses import dataclass
from typing import Callable

from django.http import Http404
from django.urls import reverse


@dataclass(frozen=True)
class Archivable:
    kind: str  # its name in the URL: /p/<slug>/archive/<kind>/<pk>/
    model: type  # a PartnershipRecord
    singular: str  # "LADO contact": the confirm page, messages and the archived page's heading
    area: str  # where it belongs ("LADO", "Registers"): groups the archived page
    permission: str  # who may archive and restore it (a rule of accounts/rules.py)
    back: Callable  # record -> the page to go back to once it is archived (its list, or its parent)
    refuse: Callable | None = None  # record -> why it cannot be archived now, or None
    restored: Callable | None = None  # record -> where to go once it is restored (default: Archived records)


KINDS: dict[str, Archivable] = {}


def to_page(url_name, fixed=None, **attributes):
    """An Archivable's ``back`` or ``restored``: the page ``url_name`` of the record's partnership. Each of
    ``attributes`` is a URL argument taken from the record (``pk="course_id"``); ``fixed`` gives others outright."""
    def page(record):
        kwargs = {"slug": record.partnership.slug, **(fixed or {})}
        kwargs.update((argument, getattr(record, attribute)) for argument, attribute in attributes.items())
        return reverse(url_name, kwargs=kwargs)
    return page


def register(*archivables):
    for archivable in archivables:
        if KINDS.get(archivable.kind, archivable) != archivable:
            raise ValueError(f"Two kinds of archived record are called {archivable.kind!r}")
        KINDS[archivable.kind] = archivable


def kind(name):
    try:
        return KINDS[name]
    except KeyError:
        raise Http404("No such kind of record") from None


def areas():
    """The kinds by area, in the order they were registered."""
    grouped = {}
    for archivable in KINDS.values():
        grouped.setdefault(archivable.area, []).append(archivable)
    return grouped
