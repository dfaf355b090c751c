"""The dashboard's social work workforce panel: the DfE's workforce figures (indicators/workforce.py) as trends
drawn like the other panels' charts, their downloads, and the notes that name where they come from (ADR 0027)."""
from dataclasses import dataclass

from django.http import Http404

from safeguarding.core.tenancy import partnership_view
from safeguarding.core.views import XLSX
from safeguarding.indicators import workforce as w

from . import exports, selectors


@dataclass
class WorkforceTrend(selectors.Trend):
    """A workforce measure over the census years: named by census day, in per cent or cases."""

    definition: str = ""

    @property
    def unit_label(self):
        return "Percentage" if self.unit == "percent" else "Cases per case-holding social worker (FTE)"

    def year_text(self, year):
        return str(year)

    def summary(self):
        own = self.series[0]
        points = [(y, self.shown[(own, y)]) for y in self.years if self.values.get((own, y)) is not None]
        if not points:
            return f"{self.title}: no figures published for {own}."
        unit = "" if self.unit == "percent" else " cases each"
        (y0, first), (y1, last) = points[0], points[-1]
        text = (f"{self.title}: {own} {first}{unit} on {w.census_label(y0)}" if y0 == y1 else
                f"{self.title}: {own} went from {first}{unit} on {w.census_label(y0)} to {last} on {w.census_label(y1)}")
        others = [f"{name} {self.shown[(name, y1)]}" for name in self.series[1:] if self.values.get((name, y1)) is not None]
        if others:
            text += f"; on {w.census_label(y1)} " + ", ".join(others)
        return text + "."

    def rows(self):
        """(census year, [shown per series]): the tables head their column "Census" and say "at 30 September"."""
        return [(str(y), [self.shown.get((s, y), "") for s in self.series]) for y in self.years]


def figures(la, sn_average="mean"):
    """The workforce figures, kept with the dashboard's other figures (the key carries the data's version)."""
    choice = selectors.Choice(0, "dfe", sn_average)
    return selectors._cached("workforce", la, choice, lambda: w.workforce(la, sn_average))


def trends(found, until=None):
    """One trend a measure, every census year published (up to ``until``, a report's census), the authority first."""
    names = [name for _, name in found.series]
    years = [y for y in found.years if until is None or y <= until]
    out = []
    for measure in w.MEASURES:
        trend = WorkforceTrend(measure.code, measure.title, measure.unit, years, names,
                               year_axis="Census at 30 September", definition=measure.definition)
        for key, name in found.series:
            for year in years:
                figure = found.get(measure.code, key, year)
                if figure.value is None:
                    trend.values[(name, year)] = None
                    trend.shown[(name, year)] = figure.shown  # blank, or the DfE's marker
                    continue
                trend.values[(name, year)] = figure.value
                trend.shown[(name, year)] = figure.shown
                trend.sources[name] = figure.source
        out.append(trend)
    return out


def notes(partnership, found, trends_shown):
    lines = [("Partnership", partnership.name), ("Local authority", f"{found.la_name} ({found.la})"),
             ("Source", f"{w.SOURCE}, {found.vintage}"),
             ("Year", "Each figure is at the census of 30 September of the year given (turnover and absence: the "
                      "twelve months to that day); the census of 30 September 2020 falls in the partnership's year "
                      "2020-21"),
             ("Full-time equivalents", "Every measure is worked out in full-time equivalents (FTE), as the DfE "
                                       "publishes its headline figures"),
             ("Statistical neighbours", f"The {found.sn_average} of the neighbours the DfE published a figure for")]
    for trend in trends_shown:
        lines.append((f"What it measures: {trend.title}", trend.definition))
        for series, source in trend.sources.items():
            lines.append((f"Source, {trend.title}: {series}", source))
    return lines


def _found(request):
    sn_average = request.GET.get("sn_average")
    return figures(request.partnership.la_code, sn_average if sn_average in selectors.SN_AVERAGES else "mean")


@partnership_view()
def download(request, form):
    """Every workforce measure's figures (or ?chart=<measure> for one) as CSV or Excel."""
    found = _found(request)
    shown = trends(found)
    wanted = request.GET.get("chart")
    if wanted:
        shown = [t for t in shown if t.code == wanted]
        if not shown:
            raise Http404("No such measure")
    header, rows = exports.trend_sheet(shown)
    header[1] = "Census at 30 September"
    name = f"{request.partnership.slug}-social-work-workforce{'-' + wanted if wanted else ''}.{form}"
    from .views import _download

    if form == "csv":
        return _download(exports.to_csv(header, rows), "text/csv; charset=utf-8", name)
    return _download(exports.to_xlsx("Social work workforce", header, rows, notes(request.partnership, found, shown)),
                     XLSX, name)


def panel(partnership, choice, scrutineer):
    """What the dashboard's workforce tab shows: the figures, a chart and table a measure, and the sentences for
    the census that falls in the chosen year (written from the counts as this person sees them)."""
    from django.core.cache import cache

    from . import charts

    found = figures(partnership.la_code, choice.sn_average)
    shown = [] if found.empty else trends(found)
    specs = cache.get_or_set(selectors.cache_key("workforce-specs", partnership.la_code, choice),
                             lambda: [charts.spec(t, small=True) for t in shown], selectors.CACHE_SECONDS)
    return {"found": found, "empty": found.empty, "charts": list(zip(shown, specs)),
            "legend": charts.legend(shown[0].series) if shown else [],
            "sentences": w.sentences(found, choice.year, suppress=scrutineer), "census": choice.year - 1,
            "census_label": w.census_label(choice.year - 1), "source": w.SOURCE,
            "first": w.census_label(found.years[0]) if found.years else "",
            "last": w.census_label(found.years[-1]) if found.years else ""}


@partnership_view()
def chart_image(request, form):
    """One workforce chart drawn on the server (vl-convert): ?chart=<measure>, the first by default."""
    from . import charts
    from .views import _download

    shown = trends(_found(request))
    wanted = request.GET.get("chart") or w.MEASURES[0].code
    trend = next((t for t in shown if t.code == wanted), None)
    if trend is None:
        raise Http404("No such measure")
    name = f"{request.partnership.slug}-social-work-workforce-{trend.code}.{form}"
    if form == "svg":
        return _download(charts.svg(trend), "image/svg+xml", name)
    return _download(charts.png(trend), "image/png", name)
