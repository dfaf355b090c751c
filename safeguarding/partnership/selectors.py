"""Reads of the partnership register used by more than one page."""
from collections import OrderedDict
from decimal import Decimal

from django.utils import timezone

from safeguarding.partnership import models as m
from safeguarding.working_days import year_label


def current_chair(partnership, on=None):
    on = on or timezone.localdate()
    terms = m.ChairTerm.objects.for_partnership(partnership).active().filter(starts_on__lte=on)
    return terms.filter(ends_on__isnull=True).order_by("-starts_on").first() or terms.filter(
        ends_on__gte=on).order_by("-starts_on").first()


def membership_table(partnership):
    """The membership table of the yearly report: one column per kind of partner, posts in order."""
    columns = OrderedDict((heading, []) for heading, _ in m.MEMBERSHIP_COLUMNS)
    members = m.BoardMember.objects.for_partnership(partnership).active().select_related("organisation")
    for member in members:
        columns[member.membership_column].append(member)
    depth = max((len(posts) for posts in columns.values()), default=0)
    rows = [[posts[i] if i < len(posts) else None for posts in columns.values()] for i in range(depth)]
    return list(columns), rows


def contributions_by_year(partnership):
    """Each financial year's contributions with their total, newest year first."""
    years = OrderedDict()
    records = m.Contribution.objects.for_partnership(partnership).active().select_related("organisation")
    for record in records.order_by("-financial_year", "id"):
        years.setdefault(record.financial_year, []).append(record)
    return [
        {"year": year, "label": year_label(year + 1), "rows": rows,
         "total": sum((row.amount for row in rows), Decimal("0"))}
        for year, rows in years.items()
    ]


