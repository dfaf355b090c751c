"""The demand forecast page (issue 17): history and forecast with their intervals, the table and downloads, the
back-test, the returns used and left out, scenarios of arrivals and cost saved by name and compared side by side.
Every figure shown to a scrutineer goes through core/disclosure.py."""
import datetime
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from safeguarding.core import audit
from safeguarding.core.disclosure import EXPLAINED, SUPPRESSED, Disclosure
from safeguarding.core.spreadsheets import to_csv, to_xlsx
from safeguarding.core.tenancy import can, partnership_view
from safeguarding.core.views import XLSX, breadcrumbs
from safeguarding.dashboard import selectors
from safeguarding.forecast import charts, services
from safeguarding.forecast.engine.backtest import METHOD_LABELS, METHODS
from safeguarding.forecast.engine.model import DEFAULT_SEED
from safeguarding.forecast.engine.output import COLUMNS, forecast_rows, verdict_sentence
from safeguarding.forecast.engine.states import CP, GROUPS, KIND_LABELS, LAC, STATES, state_label
from safeguarding.forecast.forms import ForecastForm, SaveScenarioForm
from safeguarding.forecast.models import SavedScenario
from safeguarding.returns.store import StoreError
from safeguarding.working_days import year_label

QUERY_FIELDS = ("base_year", "window_years", "horizon_months", "lac_arrivals_change", "cp_arrivals_change") + tuple(
    f"cost_{g}" for g in GROUPS)
MAX_COMPARED = 4


def is_scrutineer(request):
    return selectors.is_scrutineer(request.roles)  # as the dashboard decides it


def _url(name, partnership):
    return reverse(name, kwargs={"slug": partnership.slug})


def _choices(request, years):
    """(form, settings) from the query string; the newest year, three years of rates and two ahead by default."""
    defaults = {"base_year": years[0], **services.PAGE_DEFAULTS}
    data = {**{k: str(v) for k, v in defaults.items()},
            **{k: v for k, v in request.GET.items() if k in QUERY_FIELDS and v != ""}}
    form = ForecastForm(data, years=years)
    chosen = dict(form.cleaned_data) if form.is_valid() else dict(defaults)
    for key, value in defaults.items():
        if chosen.get(key) is None:
            chosen[key] = value
    return form, chosen


def _query(chosen):
    return urlencode({k: chosen[k] for k in QUERY_FIELDS if chosen.get(k) not in (None, "")})


def _run(la, chosen, seed=DEFAULT_SEED):
    return services.page_forecast(la, chosen, seed)


def year_ends(result):
    """The 31 Marches within the horizon."""
    return [d.year for d in result.paths[LAC].days if d.month == 3 and d.day == 31]


def _number(value):
    return f"{round(value):,}"


def table(result, suppress):
    """Per kind: the rows (All, then each state) with the base year's count and each coming 31 March's median and
    80% interval; a scrutineer's small numbers as c, with what adds up to the total (core/disclosure.py)."""
    ends = year_ends(result)
    base_day = datetime.date(result.base_year, 3, 31)
    out = []
    for kind in (LAC, CP):
        states = STATES[kind]
        base = result.history[kind].get(base_day, {})
        disclosure = Disclosure(suppress=suppress)
        columns = {}
        for s in states:
            disclosure.count(("base", s), base.get(s, 0))
        disclosure.count(("base", "All"), sum(base.values()))
        disclosure.add_up(("base", "All"), [("base", s) for s in states])
        by_state = result.by_state(kind)
        total = result.total(kind)
        path_days = result.paths[kind].days
        for year in ends:
            m = path_days.index(datetime.date(year, 3, 31))
            values = {"All": {q: v[m] for q, v in total.items()}}
            values.update({s: {q: v[m] for q, v in by_state[s].items()} for s in states})
            columns[year] = values
            for s, q in values.items():
                disclosure.count((year, s), round(q["median"]))
            disclosure.add_up((year, "All"), [(year, s) for s in states])
        rows = []
        for s in ["All"] + states:
            if s != "All" and not base.get(s) and all(round(columns[y][s]["high95"]) == 0 for y in ends):
                continue  # a state with nobody in it, now or in any run's future
            cells = []
            for year in ends:
                q = columns[year][s]
                cells.append({"median": disclosure.shown((year, s)),
                              "interval": disclosure.derived(f"{_number(q['low80'])} to {_number(q['high80'])}",
                                                             (year, s)),
                              "interval95": disclosure.derived(f"{_number(q['low95'])} to {_number(q['high95'])}",
                                                               (year, s))})
            rows.append({"label": "All" if s == "All" else state_label(kind, s), "total": s == "All",
                         "base": disclosure.shown(("base", s)), "cells": cells})
        out.append({"kind": kind, "title": KIND_LABELS[kind], "rows": rows,
                    "total_hidden": any(disclosure.is_hidden((y, "All")) for y in ends)
                    or disclosure.is_hidden(("base", "All"))})
    return out


def suppressed_rows(rows, suppress):
    """The download's rows, each month's states and total as one group for disclosure control."""
    if not suppress:
        return rows
    groups = {}
    for row in rows:
        groups.setdefault((row["kind"], row["month"]), []).append(row)
    out = []
    for (_, _), members in groups.items():
        disclosure = Disclosure()
        for row in members:
            disclosure.count(row["state"], round(row["median"]))
        disclosure.add_up("All", [r["state"] for r in members if r["state"] != "All"])
        for row in members:
            hidden = disclosure.is_hidden(row["state"])
            out.append({k: (SUPPRESSED if hidden and k not in ("kind", "state", "month") else v) for k, v in row.items()})
    return out


def backtest_table(result):
    """The back-test's figures per kind and method, over both years ahead."""
    rows = []
    for kind in (LAC, CP):
        summary = result.summary(kind)
        for method in METHODS:
            s = summary[method]
            rows.append({"kind": KIND_LABELS[kind], "method": METHOD_LABELS[method], "cases": s["cases"],
                         "mape": "" if s["mape"] is None else f"{s['mape']:.1f}%",
                         "within80": "" if s["within80"] is None else f"{s['within80']:.0f}%",
                         "within95": "" if s["within95"] is None else f"{s['within95']:.0f}%"})
    return rows


def cost_table(result, hidden):
    cost = result.cost()
    if not cost:
        return []
    rows = []
    for year, q in cost["yearly"].items():
        money = {k: f"£{v / 1e6:,.1f}m" for k, v in q.items()}
        rows.append({"year": year_label(year), **({k: SUPPRESSED for k in money} if hidden else money)})
    return rows


@partnership_view("forecast.view")
def forecast_page(request):
    partnership = request.partnership
    la = partnership.la_code
    years = services.years_for(la)
    suppress = is_scrutineer(request)
    context = {"partnership": partnership, "page_title": "Demand forecast", "years": years, "suppressed": suppress,
               "explained": EXPLAINED,
               "breadcrumbs": breadcrumbs(partnership, ("Performance dashboard", _url("dashboard:index", partnership)))}
    if not years:
        return render(request, "forecast/forecast.html", context)
    form, chosen = _choices(request, years)
    try:
        result, used, left_out = _run(la, chosen)
    except ValueError as error:
        context.update(form=form, problem=str(error))
        return render(request, "forecast/forecast.html", context)
    tested = services.backtest_for(la, chosen["window_years"])
    tables = table(result, suppress)
    lac_hidden = tables[0]["total_hidden"]
    specs = [(t["title"], t["kind"], charts.spec(result, t["kind"])) for t in tables if not t["total_hidden"]]
    context.update(
        form=form, chosen=chosen, result=result, used=used, left_out=left_out, tables=tables, specs=specs,
        ends=[year_label(y) for y in year_ends(result)], query=_query(chosen),
        backtest=backtest_table(tested), verdict=tested.verdict(), verdict_sentence=verdict_sentence(tested.verdict()),
        costs=cost_table(result, lac_hidden), base_label=year_label(chosen["base_year"]),
        save_form=SaveScenarioForm() if can(request, "forecast.save_scenario") else None,
        scenarios=SavedScenario.objects.for_partnership(partnership).active())
    return render(request, "forecast/forecast.html", context)


@partnership_view("forecast.view")
def download(request, form):
    la = request.partnership.la_code
    years = services.years_for(la)
    suppress = is_scrutineer(request)
    rows, used, left_out, chosen, result = [], [], [], None, None
    if years:  # no returns: the download holds its header and notes only
        _, chosen = _choices(request, years)
        try:
            result, used, left_out = _run(la, chosen)
        except ValueError:
            raise Http404("No forecast for these settings") from None
        rows = suppressed_rows(forecast_rows(result), suppress)
    header = ["Kind", "Age band and placement", "Month end", "Median", "80% low", "80% high", "95% low", "95% high"]
    values = [[r[c] for c in COLUMNS] for r in rows]
    name = f"forecast-{la}" + (f"-{chosen['base_year']}" if chosen else "")
    notes = [("Authority", f"{request.partnership.local_authority} ({la})")]
    if result is not None:
        notes += [("Forecast from", f"31 March {chosen['base_year']}"), ("Rates from", ", ".join(used)),
                  ("Years left out for quality", "; ".join(f"{y}: {why}" for y, why in left_out) or "none"),
                  ("Seed", str(result.seed)), ("Simulations", str(result.runs)),
                  ("Change in arrivals", f"looked after {chosen['lac_arrivals_change']}%, "
                                         f"plans {chosen['cp_arrivals_change']}%")]
    else:
        notes.append(("Forecast", "No returns loaded yet"))
    if suppress:
        notes.append(("Small numbers", EXPLAINED))
    if form == "csv":
        response = HttpResponse(to_csv(header, values), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    response = HttpResponse(to_xlsx("Forecast", header, values, notes), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@require_POST
@partnership_view("forecast.save_scenario")
def save_scenario(request):
    partnership = request.partnership
    years = services.years_for(partnership.la_code)
    if not years:
        return redirect(_url("forecast:index", partnership))
    form, chosen = _choices(request, years)
    save = SaveScenarioForm(request.POST)
    if not save.is_valid() or not form.is_valid():
        return redirect(_url("forecast:index", partnership) + f"?{_query(chosen)}")
    scenario, created = SavedScenario.objects.update_or_create(
        partnership=partnership, name=save.cleaned_data["name"],
        defaults={"base_year": chosen["base_year"], "window_years": chosen["window_years"],
                  "horizon_months": chosen["horizon_months"], "lac_arrivals_change": chosen["lac_arrivals_change"],
                  "cp_arrivals_change": chosen["cp_arrivals_change"], "seed": DEFAULT_SEED, "created_by": request.user,
                  "weekly_cost": {g: str(chosen[f"cost_{g}"]) for g in GROUPS
                                  if chosen.get(f"cost_{g}") not in (None, "")}})
    (audit.create if created else audit.update)(scenario, by=request.user)
    return redirect(_url("forecast:compare", partnership) + f"?id={scenario.pk}")


def scenario_settings(saved):
    chosen = {"base_year": saved.base_year, "window_years": saved.window_years,
              "horizon_months": saved.horizon_months, "lac_arrivals_change": saved.lac_arrivals_change,
              "cp_arrivals_change": saved.cp_arrivals_change}
    for g in GROUPS:
        chosen[f"cost_{g}"] = Decimal(saved.weekly_cost[g]) if g in saved.weekly_cost else None
    return chosen


@partnership_view("forecast.view")
def compare(request):
    partnership = request.partnership
    saved = list(SavedScenario.objects.for_partnership(partnership).active())
    wanted = {v for v in request.GET.getlist("id") if v.isdigit()}
    chosen = [s for s in saved if str(s.pk) in wanted][:MAX_COMPARED] or saved[:MAX_COMPARED]
    suppress = is_scrutineer(request)
    columns = []
    for scenario in chosen:
        settings_ = scenario_settings(scenario)
        try:
            result, used, left_out = _run(partnership.la_code, settings_, seed=scenario.seed)
        except (ValueError, StoreError):
            columns.append({"scenario": scenario, "problem": "No forecast: the returns it used are not in the store"})
            continue
        tables = table(result, suppress)
        figures = []
        for t in tables:
            total = t["rows"][0]
            for year, cell in zip(year_ends(result), total["cells"]):
                figures.append((f"{t['title']}, 31 March {year}", f"{cell['median']} ({cell['interval']})"))
        for row in cost_table(result, tables[0]["total_hidden"]):
            figures.append((f"Cost of placements {row['year']}", f"{row['median']} ({row['low80']} to {row['high80']})"))
        columns.append({"scenario": scenario, "figures": dict(figures), "used": used, "query": _query(settings_)})
    labels = []
    for column in columns:
        for label in column.get("figures", {}):
            if label not in labels:
                labels.append(label)
    return render(request, "forecast/compare.html", {
        "partnership": partnership, "page_title": "Forecast scenarios side by side", "saved": saved,
        "columns": columns, "labels": labels, "suppressed": suppress, "explained": EXPLAINED,
        "ticked": {c["scenario"].pk for c in columns},
        "breadcrumbs": breadcrumbs(partnership, ("Performance dashboard", _url("dashboard:index", partnership)),
                              ("Demand forecast", _url("forecast:index", partnership)))})

