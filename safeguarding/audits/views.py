"""Section 11 audits, multi-agency audits and escalations."""
from django.shortcuts import render

from safeguarding.core.tenancy import partnership_view


@partnership_view("audits.view")
def index(request):
    return render(request, "audits/index.html", {"page_title": "Assurance"})
