"""The LADO register. The yearly figures are for every member (counts of 1 to 5 shown as c to anyone who is
not a LADO officer); the contacts themselves only for LADO officers, and every view of one is logged."""
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from safeguarding.core import audit, disclosure
from safeguarding.core.forms import posted
from safeguarding.core.tenancy import can, partnership_view
from safeguarding.core.views import add_or_change, breadcrumbs, XLSX
from safeguarding.core.spreadsheets import to_xlsx
from safeguarding.registers.views import csv_response
from safeguarding.working_days import financial_year

from . import figures as f
from .forms import ContactFilterForm, LadoContactForm
from .models import LadoContact, Sector


def _crumbs(partnership, *more):
    return breadcrumbs(partnership, ("LADO", reverse("lado:index", kwargs={"slug": partnership.slug})), *more)


def contacts(partnership):
    return LadoContact.objects.for_partnership(partnership).active()


def years_held(partnership):
    return sorted({financial_year(d) for d in contacts(partnership).values_list("received_on", flat=True)},
                  reverse=True)


@partnership_view("lado.view_figures")
def index(request):
    partnership = request.partnership
    years = years_held(partnership)
    detail = can(request, "lado.view_detail")
    context = {"page_title": "LADO: allegations against people who work with children", "years": years,
               "detail": detail, "breadcrumbs": _crumbs(partnership)[:1], "sectors": Sector.choices}
    if years:
        try:
            year = int(request.GET.get("year", years[0]))
        except ValueError:
            year = years[0]
        year = year if year in years else years[0]
        figures = f.year_figures(list(contacts(partnership)), year)
        found = f.disclosure(figures, suppress=not detail)
        context.update(year=year, figures=figures, paragraph=f.paragraph(figures, suppress=not detail), targets=f.TARGET_MONTHS,
                       shown=found.shown, derived=found.derived,
                       change=f.change_shown(figures, found, f"{figures.change:.1f}%")
                       if figures.change is not None else None,
                       average=f.average_shown(figures, found) if figures.average_before is not None else None)
    return render(request, "lado/index.html", context)


PER_PAGE = 50
EXPORT_HEADER = ["Reference", "Consultation or referral", "Date of contact", "Harm threshold met", "Role",
                 "Employer's sector", "Who made the contact", "Referrer's sector", "Allegation", "Strategy meeting",
                 "Outcome", "Outcome date", "Further action", "Notes"]


def _export_rows(records):
    """The contacts as people read them: labels, not the codes they are stored as."""
    for c in records:
        yield [c.reference, c.get_kind_display().split(" (")[0], c.received_on, c.get_threshold_limb_display(),
               c.person_role, c.get_employer_sector_display(), c.referrer, c.get_referrer_sector_display(),
               c.get_category_display(), c.strategy_meeting_on or "", c.get_outcome_display() or "Open",
               c.outcome_on or "", c.further_action_display, c.notes]


@partnership_view("lado.view_detail")
def contact_list(request):
    """The contacts, 50 a page, searched and filtered by year, kind, outcome and sector; the filtered list (all of
    it) downloads as CSV or Excel. Every view and download is in the access log, with its address (the filters)."""
    partnership = request.partnership
    every = contacts(partnership)
    form = ContactFilterForm(request.GET or None, years=years_held(partnership))
    records = form.apply(every)
    audit.log_access(request, record_type_label="lado.ladocontact", record_label="LADO contacts list")
    download = request.GET.get("format")
    if download in ("csv", "xlsx"):
        name = f"{partnership.slug}-lado-contacts"
        if download == "csv":
            return csv_response(f"{name}.csv", EXPORT_HEADER, _export_rows(records))
        response = HttpResponse(to_xlsx("LADO contacts", EXPORT_HEADER, list(_export_rows(records)), []),
                                content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    page = Paginator(records, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    for key in ("page", "format"):
        query.pop(key, None)
    return render(request, "lado/list.html", {
        "form": form, "page": page, "query": query.urlencode(), "any_held": every.exists(),
        "shown": lambda n: disclosure.small_count(n, suppress=False),  # only LADO officers see the list
        "page_title": "LADO contacts", "breadcrumbs": _crumbs(partnership)})


@partnership_view("lado.view_detail")
def contact_detail(request, pk):
    record = get_object_or_404(contacts(request.partnership), pk=pk)
    audit.log_access(request, record)
    return render(request, "lado/detail.html", {
        "record": record, "page_title": str(record),
        "breadcrumbs": _crumbs(request.partnership, {"text": "Contacts", "href": reverse(
            "lado:contacts", kwargs={"slug": request.partnership.slug})})})


@partnership_view("lado.view_detail")
def contact_form(request, pk=None):
    record = get_object_or_404(contacts(request.partnership), pk=pk) if pk else None
    if record is not None:  # the form shows the contact: a view like any other
        audit.log_access(request, record)
    form = LadoContactForm(posted(request), instance=record, partnership=request.partnership)
    return add_or_change(request, form, record, f"Change {record}" if record else "Record a LADO contact",
                         _crumbs(request.partnership), page="lado:contact", listing="lado:index", saved="{} saved.",
                         intro="Record no names: the person's role and sector, and the referrer's role and agency, "
                               "are enough for the register.")
