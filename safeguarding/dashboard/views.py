"""The performance dashboard: the core child protection table, its narrative, trends against the
comparators, the priority panels, and downloads of each. Every member sees it; a scrutineer sees small
numbers as c. Figures come from stored indicator values, never from the analytical store."""
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from safeguarding.core.tenancy import partnership_view
from safeguarding.core.views import XLSX
from safeguarding.indicators.narrative import sentences
from safeguarding.indicators.table import Table, population_note, short_year
from safeguarding.working_days import year_label

from . import charts, exports, selectors, workforce
from .forms import DashboardForm


def _figures(request, *, with_trends=True):
    """The person's choices and the figures for them (None where nothing is stored yet)."""
    return figures_for(request.partnership, selectors.is_scrutineer(request.roles), request.GET,
                       with_trends=with_trends)


def figures_for(partnership, scrutineer, query, *, with_trends=True):
    la = partnership.la_code
    years = selectors.years_for(la)
    found = {"partnership": partnership, "years": years, "scrutineer": scrutineer, "table": None, "trends": [],
             "choice": None, "form": None}
    if not years:
        return found
    default = selectors.Choice(years[0])
    data = {**default.query(), **{k: v for k, v in query.items() if k in default.query() and v}}
    form = DashboardForm(data, years=years)
    choice = selectors.Choice(**form.cleaned_data) if form.is_valid() else default
    table = selectors.core_table(la, choice)
    trends = selectors.trends(la, choice) if with_trends else []
    if scrutineer:
        table = selectors.suppressed_table(table)
        trends = selectors.suppressed_trends(trends)
    found.update(form=form, choice=choice, table=table, trends=trends)
    return found


def _empty_table(partnership):
    return Table(partnership.la_code, partnership.local_authority, 0, [], [], [], "dfe")


@partnership_view()
def dashboard(request):
    context = page_context(request.partnership, selectors.is_scrutineer(request.roles), request.GET)
    return render(request, "dashboard/dashboard.html", context)


def page_context(partnership, scrutineer, query):
    """Everything the dashboard page shows for these choices; what it takes long to work out is cached, so this
    is also how an import works the page out before it says "loaded" (dashboard/warm.py)."""
    found = figures_for(partnership, scrutineer, query)
    table, choice = found["table"], found["choice"]
    context = {**found, "page_title": "Performance dashboard"}
    if table is not None:
        specs_key = selectors.cache_key(f"small-specs-{int(scrutineer)}", partnership.la_code, choice)
        specs = cache.get_or_set(specs_key, lambda: [charts.spec(trend, small=True) for trend in found["trends"]],
                                 selectors.CACHE_SECONDS)
        first, second = _headings(table)
        years = selectors.trend_years(partnership.la_code, choice.year)
        context.update(
            # From the table as this person sees it: suppressed for scrutineers (selectors.suppressed_table).
            headlines=selectors.headlines(table),
            legend=charts.legend(found["trends"][0].series) if found["trends"] else [],
            returns_used=selectors.returns_used(partnership, years),
            releases_used=selectors.releases_used(partnership.la_code, choice, years),
            query=urlencode(choice.query()), headings=first, subheadings=second,
            sentences=sentences(table) if table.rows else [],
            charts=list(zip(found["trends"], specs)),
            panels=selectors.panels(partnership, choice.year, scrutineer),
            year_label=year_label(choice.year), comparator_set=selectors.COMPARATOR_SETS[choice.comparators],
            sn_average=selectors.SN_AVERAGES[choice.sn_average],
            population_note=population_note(table),
            population=[(year_label(y), pop) for y, pop in sorted(table.population.items(), reverse=True) if pop],
        )
        context["workforce"] = workforce.panel(partnership, choice, scrutineer)
    return context


def _headings(table):
    """The reference report's two header rows: each year of the authority over Number and Rate (the
    newest year's rate marked * for the footnote), then each comparator's rate, then the change."""
    first = [(f"{table.la_name} {short_year(y)}", 2) for y in table.years]
    first += [(f"{heading} {short_year(table.year)}", 1) for _, heading in table.groups]
    first.append((f"{table.la_name} change", 1))
    second = []
    for index, _ in enumerate(table.years):
        second += ["Number", "Rate*" if index == 0 else "Rate"]
    second += ["Rate"] * len(table.groups) + [""]
    return first, second


def _download(content, content_type, name):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response




def _file_name(request, found, what, extension):
    choice = found["choice"]
    if choice is None:
        return f"{request.partnership.slug}-{what}.{extension}"
    return f"{request.partnership.slug}-{what}-{choice.year - 1}-{choice.year % 100:02d}-{choice.comparators}.{extension}"


@partnership_view()
def table_download(request, form):
    found = _figures(request, with_trends=False)
    table = found["table"] or _empty_table(request.partnership)
    header, rows = exports.table_sheet(table)
    name = _file_name(request, found, "core-child-protection-activity", form)
    if form == "csv":
        return _download(exports.to_csv(header, rows), "text/csv; charset=utf-8", name)
    notes = exports.notes(request.partnership, table, found["choice"], found["scrutineer"]) if found["choice"] else []
    return _download(exports.to_xlsx("Core child protection activity", header, rows, notes), XLSX, name)


def _chosen_trends(request, found):
    wanted = request.GET.get("chart")
    if not wanted:
        return found["trends"]
    chosen = [t for t in found["trends"] if t.code == wanted]
    if not chosen:
        raise Http404("No such chart")
    return chosen


@partnership_view()
def chart_data_download(request, form):
    found = _figures(request)
    trends = _chosen_trends(request, found)
    header, rows = exports.trend_sheet(trends)
    what = f"trend-{trends[0].code}" if request.GET.get("chart") else "trends"
    name = _file_name(request, found, what, form)
    if form == "csv":
        return _download(exports.to_csv(header, rows), "text/csv; charset=utf-8", name)
    table = found["table"] or _empty_table(request.partnership)
    notes = exports.notes(request.partnership, table, found["choice"], found["scrutineer"], trends) \
        if found["choice"] else []
    return _download(exports.to_xlsx("Trends", header, rows, notes), XLSX, name)


@partnership_view()
def chart_image(request, form):
    """One chart drawn on the server (vl-convert): ?chart=<indicator>, the first chart by default."""
    found = _figures(request)
    trends = _chosen_trends(request, found)
    if trends:
        trend = trends[0]
    else:
        trend = selectors.Trend("none", "No figures loaded yet", "rate", [], [request.partnership.local_authority])
    name = _file_name(request, found, f"trend-{trend.code}", form)
    if form == "svg":
        return _download(charts.svg(trend), "image/svg+xml", name)
    return _download(charts.png(trend), "image/png", name)
