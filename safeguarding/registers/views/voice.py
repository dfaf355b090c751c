"""The voice of children and families: what they said, and what changed because of it ("you said, we did")."""
from django.shortcuts import render

from safeguarding.core.forms import posted
from safeguarding.core.tenancy import can, partnership_view
from safeguarding.working_days import financial_year

from .. import models as m
from .. import selectors
from ..forms import VoiceForm
from . import add_or_change, crumbs, csv_response, record_or_404


@partnership_view("registers.view")
def index(request):
    partnership = request.partnership
    records = selectors.active(m.VoiceRecord, partnership).select_related("priority", "survey")
    years = selectors.years_with([r.heard_on for r in records] + [r.changed_on for r in records])
    year = selectors.chosen_year(request, years) if request.GET.get("year") else None
    if year is not None:
        records = [r for r in records if financial_year(r.heard_on) == year
                   or (r.changed_on and financial_year(r.changed_on) == year)]
    if request.GET.get("format") == "csv":
        return csv_response(f"{partnership.slug}-you-said-we-did.csv", [
            "Subject", "Date heard", "Who spoke", "Where it was heard", "Priority", "Survey", "What they said",
            "What changed because of it", "Date of the change"], [
            [r.title, r.heard_on, r.get_who_display(), r.get_source_display(), r.priority or "", r.survey or "",
             r.you_said, r.we_did, r.changed_on or ""] for r in records])
    return render(request, "registers/voice.html", {
        "records": records, "years": years, "year": year, "page_title": "You said, we did",
        "breadcrumbs": crumbs(partnership), "can_manage": can(request, "registers.manage")})


@partnership_view("registers.view")
def record(request, pk):
    found = record_or_404(request, m.VoiceRecord, pk)
    return render(request, "registers/voice_record.html", {
        "record": found, "page_title": found.title, "can_manage": can(request, "registers.manage"),
        "breadcrumbs": crumbs(request.partnership, "voice")})


@partnership_view("registers.manage")
def voice_form(request, pk=None):
    found = record_or_404(request, m.VoiceRecord, pk) if pk else None
    form = VoiceForm(posted(request), instance=found, partnership=request.partnership)
    return add_or_change(request, form, found, f"Change: {found}" if found else "Record what children or families said",
                         crumbs(request.partnership, "voice"), page="registers:voice-record", listing="registers:voice",
                         saved="Saved: {}", intro="Write what was said in plain words, without names. Add what "
                                                  "changed because of it when it has.")
