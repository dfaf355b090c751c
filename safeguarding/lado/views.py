"""The LADO register. The yearly figures are for every member (counts of 1 to 5 shown as c to anyone who is
not a LADO officer); the contacts themselves only for LADO officers, and every view of one is logged."""
import csv

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from safeguarding.core import audit
from safeguarding.core.forms import posted
from safeguarding.core.tenancy import can, partnership_view
from safeguarding.core.working_days import financial_year

from . import figures as f
from .forms import LadoContactForm
from .models import LadoContact, Sector


def _crumbs(partnership, *more):
    return [{"text": partnership.short_name, "href": reverse("partnership:home", kwargs={"slug": partnership.slug})},
            {"text": "LADO", "href": reverse("lado:index", kwargs={"slug": partnership.slug})}, *more]


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
               "detail": detail, "breadcrumbs": _crumbs(partnership)[:1], "sectors": Sector.choices,
               "shown": lambda n: f.shown(n, suppress=not detail)}
    if years:
        try:
            year = int(request.GET.get("year", years[0]))
        except ValueError:
            year = years[0]
        year = year if year in years else years[0]
        figures = f.year_figures(list(contacts(partnership)), year)
        context.update(year=year, figures=figures, paragraph=f.paragraph(figures, suppress=not detail),
                       targets=f.TARGET_MONTHS)
    return render(request, "lado/index.html", context)


@partnership_view("lado.view_detail")
def contact_list(request):
    records = contacts(request.partnership)
    kind = request.GET.get("kind", "")
    if kind in LadoContact.Kind.values:
        records = records.filter(kind=kind)
    audit.log_access(request, record_type_label="lado.ladocontact", record_label="LADO contacts list")
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{request.partnership.slug}-lado-contacts.csv"'
        writer = csv.writer(response)
        writer.writerow(["Reference", "Kind", "Date of contact", "Threshold limb", "Role", "Sector", "Referrer",
                         "Referrer's sector", "Allegation", "Strategy meeting", "Outcome", "Outcome date",
                         "Further action"])
        for c in records:
            writer.writerow([c.reference, c.kind, c.received_on, c.threshold_limb, c.person_role, c.employer_sector,
                             c.referrer, c.referrer_sector, c.category, c.strategy_meeting_on or "", c.outcome,
                             c.outcome_on or "", ";".join(c.further_action)])
        return response
    return render(request, "lado/list.html", {
        "records": records, "kind": kind, "kinds": LadoContact.Kind.choices, "page_title": "LADO contacts",
        "breadcrumbs": _crumbs(request.partnership)})


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
    if request.method == "POST" and form.is_valid():
        contact = form.save(commit=False)
        contact.partnership = request.partnership
        (audit.update if record else audit.create)(contact, by=request.user)
        messages.success(request, f"{contact} saved.")
        return redirect("lado:contact", slug=request.partnership.slug, pk=contact.pk)
    back = reverse("lado:contact", kwargs={"slug": request.partnership.slug, "pk": record.pk}) if record else \
        reverse("lado:index", kwargs={"slug": request.partnership.slug})
    return render(request, "form_page.html", {
        "form": form, "page_title": f"Change {record}" if record else "Record a LADO contact", "back": back,
        "intro": "Record no names: the person's role and sector, and the referrer's role and agency, are enough "
                 "for the register.", "breadcrumbs": _crumbs(request.partnership)})
