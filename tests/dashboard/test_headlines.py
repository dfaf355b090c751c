"""The dashboard's headline rule (docs/adr/0015-dashboard-headlines-first.md) on tables made for the purpose: which rows
lead, in which order, with which words, and that a figure shown as c never leads."""
from decimal import Decimal

from safeguarding.dashboard.selectors import HEADLINES, MIN_COUNT, headlines, suppressed_table
from safeguarding.indicators.rounding import change_percent
from safeguarding.indicators.table import GROUPS, ROWS, Figure, Row, Table, YearFigures

YEAR = 2021
POPULATION = Decimal(60000)


def _figure(value, places=1, percent=False):
    if value is None:
        return Figure(None, "")
    value = Decimal(value)
    return Figure(value, f"{value:,.{places}f}" + ("%" if percent else ""))


def crafted(rows):
    """A table for Testshire, 2020-21 against 2019-20. ``rows`` is {code: (count now, count before, sn rate,
    england rate)}; a rate row's own rate is its count per 10,000 of 60,000 children, a percentage row's is
    taken as the count's share of 1,000. Rows not named have no figures."""
    table = Table("999", "Testshire", YEAR, [YEAR, YEAR - 1], [], list(GROUPS), "dfe")
    for label, code, percent_code in ROWS:
        if code not in rows:
            continue
        now, before, sn, england = rows[code]
        percent = bool(percent_code)

        def rate(count):
            if count is None:
                return None
            return Decimal(count) / 10 if percent else Decimal(count) * 10000 / POPULATION

        years = [YearFigures(y, _figure(c, 0), _figure(rate(c), percent=percent)) for y, c in ((YEAR, now), (YEAR - 1, before))]
        row = Row(label.format(yy="21"), code, percent_code, "percent" if percent else "rate", years,
                  {"sn": _figure(sn, percent=percent), "england": _figure(england, percent=percent),
                   "region": Figure(None, "")})
        if before is not None:
            change = change_percent(Decimal(now), Decimal(before))
            row.change = Figure(change, f"{change:.1f}%")
        table.rows.append(row)
    return table


def test_two_that_changed_most_and_two_furthest_from_the_comparators_take_turns():
    # rate = count / 6 per 10,000; the comparators are set so the distances are exact.
    table = crafted({
        "referrals": (3000, 2900, 500, 500),        # change 3.4%, rate 500: distance 0
        "s47_started": (1300, 750, 210, 220),       # change 73.3%, rate 216.7: distance 3.2%
        "icpcs": (540, 340, 90, 90),                # change 58.8%, rate 90: distance 0
        "cpp_open": (390, 290, 50, 25),             # change 34.5%, rate 65: distance 160% from England
        "lac_open": (450, 460, 50, 60),             # change -2.2%, rate 75: distance 50% from SN
        "lac_starts": (160, 200, 30, 30),           # change -20%, rate 26.7: distance 11.1%
    })
    chosen = headlines(table)
    assert len(chosen) == HEADLINES == 4
    assert [(h.code, h.reason) for h in chosen] == [
        ("s47_started", "Changed most"), ("cpp_open", "Furthest from comparators"),
        ("icpcs", "Changed most"), ("lac_open", "Furthest from comparators")]


def test_the_words_give_the_direction_and_the_comparison_with_the_figures_shown():
    table = crafted({"s47_started": (1300, 750, 210, 220), "lac_starts": (160, 200, 30, 26.7),
                     "cpp_2_years": (30, 21, Decimal("2.0"), Decimal("5.5")), "referrals": (3000, 3000, 400, 400)})
    by_code = {h.code: h for h in headlines(table)}
    s47 = by_code["s47_started"]
    assert (s47.label, s47.number, s47.rate, s47.unit) == ("S47 enquiries starting", "1,300", "216.7",
                                                           "per 10,000 children")
    assert s47.direction == "up" and s47.change == "Up 73.3% from 750 in 2019-20"
    assert s47.comparison == "Higher than statistical neighbours (210.0), lower than England (220.0)"
    lac = by_code["lac_starts"]
    assert lac.direction == "down" and lac.change == "Down 20.0% from 200 in 2019-20"
    # the same figure as shown is "in line with", whatever the unrounded values
    assert lac.comparison == "Lower than statistical neighbours (30.0), in line with England (26.7)"
    plans = by_code["cpp_2_years"]
    assert plans.rate == "3.0%" and plans.unit == "of children on a plan at 31 March"
    assert plans.comparison == "Higher than statistical neighbours (2.0%), lower than England (5.5%)"
    referrals = by_code["referrals"]
    assert referrals.direction == "same" and referrals.change == "The same as 3,000 in 2019-20"
    assert referrals.comparison == "Higher than statistical neighbours (400.0) and England (400.0)"


def test_equal_sizes_keep_the_tables_order():
    table = crafted({"lac_open": (600, 500, None, None), "referrals": (1200, 1000, None, None),
                     "icpcs": (240, 200, None, None)})
    assert [h.code for h in headlines(table)] == ["referrals", "icpcs", "lac_open"]


def test_one_kind_fills_the_places_when_the_other_runs_out():
    no_comparators = crafted({code: (100 + 10 * i, 100, None, None)
                              for i, (_, code, _) in enumerate(ROWS[:6], start=1)})
    chosen = headlines(no_comparators)
    assert [h.reason for h in chosen] == ["Changed most"] * 4
    assert [h.code for h in chosen] == [code for _, code, _ in reversed(ROWS[:6])][:4]
    first_year = crafted({"referrals": (3000, None, 400, 500), "icpcs": (540, None, 90, 60),
                          "lac_open": (450, None, 75, 75)})
    chosen = headlines(first_year)
    assert [(h.code, h.reason, h.change) for h in chosen] == [
        ("icpcs", "Furthest from comparators", ""), ("referrals", "Furthest from comparators", ""),
        ("lac_open", "Furthest from comparators", "")]


def test_nothing_to_set_a_year_against_gives_no_headline():
    assert headlines(crafted({"referrals": (3000, None, None, None)})) == []
    assert headlines(crafted({})) == []


def test_small_counts_never_lead():
    # 6 to 4 children is a 50% change and a rate twice England's: noise, not news.
    table = crafted({"cpp_2_years": (6, 4, Decimal("1.0"), Decimal("0.3")), "referrals": (3100, 3000, 500, 510)})
    assert MIN_COUNT > 6
    assert [h.code for h in headlines(table)] == ["referrals"]
    # a count of at least MIN_COUNT whose year before was small leads on its distance, never on its change
    table = crafted({"cpp_2_years": (MIN_COUNT, 2, Decimal("5.0"), Decimal("5.0")), "referrals": (3100, 3000, 500, 510)})
    chosen = {h.code: h for h in headlines(table)}
    assert chosen["cpp_2_years"].movement is None and chosen["cpp_2_years"].reason == "Furthest from comparators"


def test_a_figure_shown_as_c_never_leads_or_shows():
    # 40 plans lasting two years after 3 the year before: a scrutineer sees the 3 as c, and the change with it.
    table = crafted({"cpp_2_years": (40, 3, Decimal("9.0"), Decimal("9.0")), "referrals": (3100, 3000, 500, 510),
                     "icpcs": (4, 300, 90, 90), "lac_open": (450, 460, 50, 60)})
    lead = {h.code: h for h in headlines(table)}
    assert lead["cpp_2_years"].change == "Up 1,233.3% from 3 in 2019-20"
    seen = {h.code: h for h in headlines(suppressed_table(table))}
    assert set(seen) == set(lead) == {"cpp_2_years", "referrals", "lac_open"}
    assert seen["cpp_2_years"].change == "" and seen["cpp_2_years"].direction == ""
    plans = seen["cpp_2_years"]
    assert (plans.number, plans.rate, plans.comparison) == ("40", "4.0%", "Lower than statistical neighbours "
                                                                         "(9.0%) and England (9.0%)")
    # a comparator withheld (no value) is left out of the words and the distance
    next(r for r in table.rows if r.code == "cpp_2_years").comparators["sn"] = Figure(None, "c")
    assert {h.code: h for h in headlines(table)}["cpp_2_years"].comparison == "Lower than England (9.0%)"
