"""The dashboard's disproportionality page ("Which children go further"), its CSV and Excel downloads and its
charts (``disproportionality.py`` has the figures). Every member sees it; a scrutineer sees small numbers as c."""
from django.http import HttpResponse
from django.shortcuts import render

from safeguarding.core.tenancy import partnership_view
from safeguarding.core.views import XLSX
from safeguarding.indicators import disproportionality as dp
from safeguarding.working_days import year_label

from . import disproportionality as figures
from . import exports, selectors


def _chosen(request):
    """(year, [years], steps, suppress) for the year asked for (the newest by default)."""
    la = request.partnership.la_code
    years = selectors.years_for(la)
    suppress = selectors.is_scrutineer(request.roles)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year not in years:
        year = years[0] if years else None
    steps = figures.figures(la, year, suppress) if year else []
    return year, years, steps, suppress


@partnership_view()
def page(request):
    year, years, steps, suppress = _chosen(request)
    return render(request, "dashboard/disproportionality.html", {
        "page_title": "Which children go further", "partnership": request.partnership, "year": year,
        "year_label": year_label(year) if year else "", "years": years,
        "steps": [(s, figures.summary(s), figures.svg_uri(s) if s.charted else "") for s in steps], "scrutineer": suppress, "caution": figures.CAUTION,
        "interval": figures.INTERVAL, "source": figures.SOURCE, "no_comparator": dp.NO_COMPARATOR,
        "dfe_files": figures.searched_files(), "explained": figures.EXPLAINED})


def _name(request, year, extension):
    return f"{request.partnership.slug}-which-children-go-further-{year - 1}-{year % 100:02d}.{extension}" if year \
        else f"{request.partnership.slug}-which-children-go-further.{extension}"


def _attachment(content, content_type, name):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@partnership_view()
def download(request, form):
    year, _, steps, suppress = _chosen(request)
    header, rows = figures.sheet(steps, year) if year else (["No returns loaded yet"], [])
    if form == "csv":
        return _attachment(exports.to_csv(header, rows), "text/csv; charset=utf-8", _name(request, year, "csv"))
    notes = figures.notes(request.partnership, year, suppress) if year else []
    return _attachment(exports.to_xlsx("Which children go further", header, rows, notes), XLSX,
                       _name(request, year, "xlsx"))


@partnership_view()
def chart(request, form):
    """One decision point's chart drawn on the server: ?step=<key>, the first by default."""
    year, _, steps, _ = _chosen(request)
    step = figures.chosen_step(steps, request.GET.get("step"))
    name = _name(request, year, f"{step.key}.{form}").replace(f".{step.key}.", f"-{step.key}.")
    if form == "svg":
        return _attachment(figures.svg(step), "image/svg+xml", name)
    return _attachment(figures.png(step), "image/png", name)
