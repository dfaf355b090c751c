"""The smaller registers: private fostering, training and its impact, surveys and the voice of children."""
from django.shortcuts import render

from safeguarding.core.tenancy import partnership_view


@partnership_view("registers.view")
def index(request):
    return render(request, "registers/index.html", {"page_title": "Registers"})
