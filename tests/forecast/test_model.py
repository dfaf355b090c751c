"""The forecast's core (no Django): counts read from a hand-made store, the model on counts whose answer is known,
the naive forecasts and the back-test's figures."""
import datetime

import numpy as np
import pytest

from safeguarding.forecast.engine import backtest
from safeguarding.forecast.engine.counts import Counts, month_ends, read_counts, years_in_store
from safeguarding.forecast.engine.model import Scenario, forecast
from safeguarding.forecast.engine.states import CP, LAC, STATES
from tests.forecast.stores import D, cin_return, ibis_connection, lac_return


def test_the_thirteen_days_of_a_collection_year():
    days = month_ends(2021)
    assert days[0] == D(2020, 3, 31) and days[1] == D(2020, 4, 30) and days[10] == D(2021, 1, 31)
    assert days[11] == D(2021, 2, 28) and days[12] == D(2021, 3, 31) and len(days) == 13


@pytest.fixture
def hand_store(store):
    lac_return(store, "210", 2021, [
        # 9 on 31 March 2020, 10 in May, leaves on 15 June: a move between bands, then out.
        ("a", D(2010, 5, 1), [(D(2020, 1, 1), D(2020, 6, 15), "U1", "C2")]),
        # Arrives on 10 August at 15, in a children's home, still there on 31 March.
        ("b", D(2005, 1, 1), [(D(2020, 8, 10), None, "K2", "C1")]),
        # A series of short breaks: not looked after.
        ("c", D(2012, 1, 1), [(D(2019, 6, 1), None, "U4", "V3")]),
        # Moves from foster care to placement with parents on 3 October.
        ("d", D(2016, 2, 1), [(D(2019, 6, 1), D(2020, 10, 3), "U4", "C2"), (D(2020, 10, 3), None, "P1", "C2")]),
    ])
    cin_return(store, "210", 2021, [
        ("p", D(2020, 11, 1), [(D(2020, 12, 5), None)]),  # a baby on a plan from 5 December
        ("q", D(2008, 3, 1), [(D(2019, 12, 1), D(2020, 4, 20))]),  # a plan ending in April
    ])
    return store


def test_counts_read_from_the_store(hand_store):
    counts = read_counts(ibis_connection(hand_store), hand_store.schema, ["210"], [2021])["210"]
    assert counts.years == {2021}
    lac = counts.moves[LAC]
    assert lac[(2021, 2)] == {("5 to 9|fostering", "10 to 15|fostering"): 1,
                               ("1 to 4|fostering", "1 to 4|fostering"): 1}
    assert lac[(2021, 3)][("10 to 15|fostering", None)] == 1
    assert lac[(2021, 5)][(None, "10 to 15|residential")] == 1
    assert lac[(2021, 7)][("1 to 4|fostering", "1 to 4|family")] == 1
    assert counts.stocks[LAC][D(2020, 3, 31)] == {"5 to 9|fostering": 1, "1 to 4|fostering": 1}
    assert counts.stocks[LAC][D(2021, 3, 31)] == {"16 and 17|residential": 1, "5 to 9|family": 1}
    assert counts.stocks[CP][D(2020, 3, 31)] == {"10 to 15": 1}
    assert counts.moves[CP][(2021, 1)] == {("10 to 15", None): 1}
    assert counts.moves[CP][(2021, 9)] == {(None, "Under 1"): 1}
    assert counts.stocks[CP][D(2021, 3, 31)] == {"Under 1": 1}
    assert years_in_store(ibis_connection(hand_store), hand_store.schema, "210") == [2021]


def steady_counts(years=(2019, 2020, 2021), stock=100, leaving=10, arriving=10):
    """Every month of every year: `stock` children in foster care aged 10 to 15, `leaving` of them leave and
    `arriving` arrive; the answer is known: the stock stays where it is, at arrivals ÷ leaving rate."""
    counts = Counts("999")
    state = "10 to 15|fostering"
    for year in years:
        counts.years.add(year)
        for k, day in enumerate(month_ends(year)):
            counts.stocks[LAC][day] = {state: stock}
            counts.stocks[CP][day] = {"Under 1": stock // 2}
            if k:
                counts.moves[LAC][(year, k)] = {(state, state): stock - leaving, (state, None): leaving,
                                                (None, state): arriving}
                counts.moves[CP][(year, k)] = {("Under 1", "Under 1"): stock // 2 - leaving // 2,
                                               ("Under 1", None): leaving // 2, (None, "Under 1"): arriving // 2}
    return counts


def test_a_steady_state_stays_steady_with_intervals_around_it():
    result = forecast(steady_counts(), 2021, 24, 3, seed=7, runs=400)
    total = result.total(LAC)
    assert len(total["median"]) == 24
    assert 95 <= total["median"][-1] <= 105
    for m in range(24):
        assert total["low95"][m] <= total["low80"][m] <= total["median"][m] <= total["high80"][m] <= total["high95"][m]
    # Chance alone over 10% monthly turnover: a spread of about √100 = 10; wider a year on than a month on.
    assert 5 <= total["high80"][-1] - total["median"][-1] <= 25
    assert total["high95"][0] - total["low95"][0] < total["high95"][-1] - total["low95"][-1]
    assert result.at_year_end(LAC, 2022)["median"] == total["median"][11]
    assert result.at_year_end(LAC, 2024) is None


def test_fewer_arrivals_move_the_forecast_to_the_new_balance():
    scenario = Scenario(arrivals={LAC: 0.5, CP: 1.0})
    result = forecast(steady_counts(), 2021, 48, 3, seed=7, runs=400, scenario=scenario)
    # Arrivals halved, leaving 10% a month: the stock heads for 5 ÷ 0.1 = 50.
    assert 45 <= result.total(LAC)["median"][-1] <= 58
    assert 45 <= result.total(CP)["median"][-1] <= 55
    # The plans' figures are exactly those of the forecast without the change: only what was changed moves.
    as_usual = forecast(steady_counts(), 2021, 48, 3, seed=7, runs=400)
    assert np.array_equal(result.paths[CP].runs, as_usual.paths[CP].runs)


def test_the_seed_makes_it_reproducible_and_is_recorded():
    one = forecast(steady_counts(), 2021, 12, 3, seed=11, runs=200)
    two = forecast(steady_counts(), 2021, 12, 3, seed=11, runs=200)
    other = forecast(steady_counts(), 2021, 12, 3, seed=12, runs=200)
    assert one.seed == 11
    assert np.array_equal(one.paths[LAC].runs, two.paths[LAC].runs)
    assert not np.array_equal(one.paths[LAC].runs, other.paths[LAC].runs)


def test_the_window_is_the_years_chosen():
    result = forecast(steady_counts(years=(2018, 2019, 2020, 2021)), 2021, 12, 2, runs=50)
    assert result.window == [2020, 2021] and result.rates[LAC].months == 24
    with pytest.raises(ValueError):
        forecast(steady_counts(), 2021, 49, 3)
    with pytest.raises(ValueError):
        forecast(steady_counts(), 2030, 12, 1)


def test_cost_is_stock_times_weekly_cost():
    scenario = Scenario(weekly_cost={"fostering": 700})
    result = forecast(steady_counts(), 2021, 12, 3, seed=3, runs=300, scenario=scenario)
    cost = result.cost()
    weeks = [d.day / 7 for d in result.paths[LAC].days]
    stock = result.total(LAC)["median"]
    assert cost["monthly"]["median"][0] == pytest.approx(stock[0] * 700 * weeks[0], rel=0.03)
    assert set(cost["yearly"]) == {2022}
    assert cost["yearly"][2022]["low95"] < cost["yearly"][2022]["median"] < cost["yearly"][2022]["high95"]
    assert forecast(steady_counts(), 2021, 12, 3, runs=20).cost() is None


def test_the_naive_forecasts():
    series = {2018: 100, 2019: 110, 2020: 120, 2021: 130}
    one = backtest.naive(series, 2021, 3, 1)
    assert one["last_year"]["median"] == 130
    assert one["trend"]["median"] == pytest.approx(140)
    two = backtest.naive(series, 2021, 3, 2)
    assert two["trend"]["median"] == pytest.approx(150)
    # Changes of exactly 10 every year: no spread, so the interval is the point.
    assert two["last_year"]["low95"] == pytest.approx(130)


def test_the_back_test_scores_each_method_against_what_happened():
    counts = steady_counts(years=(2017, 2018, 2019, 2020, 2021))
    result = backtest.run({"999": counts}, 2, runs=200)
    # Base years 2018, 2019, 2020 (two-year windows ending there, a year after in the store); 2020 has no Y+2.
    assert sorted({(c.base_year, c.years_ahead) for c in result.cases}) == [
        (2018, 1), (2018, 2), (2019, 1), (2019, 2), (2020, 1)]
    summary = result.summary(kind=LAC)
    # The truth never moves: last year's number is exactly right and its interval holds it.
    assert summary["last_year"]["mape"] == 0 and summary["last_year"]["within95"] == 100
    assert summary["model"]["mape"] < 5
    assert result.verdict()["beats_naive"] is False
    # 2019 left out for quality: no window holds it and nothing is judged against it.
    left_out = backtest.run({"999": counts}, 1, runs=50, excluded={"999": [2019]})
    assert sorted({(c.base_year, c.years_ahead) for c in left_out.cases}) == [(2017, 1), (2020, 1)]


def test_every_state_is_forecast():
    result = forecast(steady_counts(), 2021, 6, 1, runs=20)
    assert list(result.by_state(LAC)) == STATES[LAC]
    assert list(result.by_state(CP)) == STATES[CP]
    assert result.history[LAC][datetime.date(2021, 3, 31)] == {"10 to 15|fostering": 100}


def seasonal_counts(years=(2019, 2020, 2021), arrivals=None):
    """Plans that pile up through the year and end in a rush in February and March, back to 100 every 31 March:
    10 arrive each month from April to January, half of those leave in February and the rest in March.
    `arrivals`: {year: n a month} instead of 10 for the years given."""
    counts = Counts("998")
    state = "5 to 9"
    for year in years:
        counts.years.add(year)
        monthly = (arrivals or {}).get(year, 10)
        stock = 100
        for k, day in enumerate(month_ends(year)):
            if k:
                came = monthly if k <= 10 else 0
                left = {11: (stock - 100) // 2, 12: stock - 100}.get(k, 0)
                counts.moves[CP][(year, k)] = {(state, state): stock - left, (state, None): left, (None, state): came}
                stock += came - left
            counts.stocks[CP][day] = {state: stock}
            counts.stocks[LAC][day] = {"10 to 15|fostering": 10}
            if k:
                counts.moves[LAC][(year, k)] = {("10 to 15|fostering", "10 to 15|fostering"): 10}
    return counts


def test_the_rates_follow_the_calendar():
    """Leaving all in February and March, arriving the rest of the year: a year on from 31 March the stock is back
    where it was. An average month's rates (10 arriving, 100 leaving over the year's child-months) started from
    31 March's low would climb: this is the drift the model used to invent for plans."""
    counts = seasonal_counts()
    result = forecast(counts, 2021, 24, 3, seed=5, runs=300)
    total = result.total(CP)["median"]
    assert 90 <= total[11] <= 112 and 90 <= total[23] <= 112  # 31 March 2022, 2023
    assert total[9] > 170  # January: the year's arrivals, none gone yet
    leaving, arriving = result.rates[CP].seasons()
    assert leaving[:10].max() == 0 and leaving[10] > 1 and leaving[11] > 1
    assert arriving[10] == arriving[11] == 0 and arriving[:10] == pytest.approx(np.full(10, 1.2))


def test_a_short_history_of_very_different_years_gives_wide_finite_intervals():
    steady = forecast(seasonal_counts(years=(2020, 2021)), 2021, 24, 2, seed=5, runs=400).total(CP)
    jumpy = forecast(seasonal_counts(years=(2020, 2021), arrivals={2020: 2, 2021: 20}), 2021, 24, 2, seed=5,
                     runs=400).total(CP)
    assert all(np.isfinite(jumpy["high95"]))
    assert jumpy["high95"][11] - jumpy["low95"][11] > 2 * (steady["high95"][11] - steady["low95"][11])


def test_nothing_after_the_base_year_reaches_its_forecast():
    """The rates, the calendar and the spread come from the base year and the years before it: change a later
    year's return and the forecast from the base year is the same, figure for figure (the back-test can trust it)."""
    counts = seasonal_counts(years=(2018, 2019, 2020, 2021, 2022))
    later = seasonal_counts(years=(2018, 2019, 2020, 2021, 2022), arrivals={2021: 30, 2022: 3})
    changed_later = seasonal_counts(years=(2018, 2019, 2020, 2021, 2022), arrivals={2021: 30, 2022: 25})
    before = forecast(later, 2021, 24, 3, seed=9, runs=200)
    after = forecast(changed_later, 2021, 24, 3, seed=9, runs=200)
    assert np.array_equal(before.paths[CP].runs, after.paths[CP].runs)
    # The test can fail: a change at or before the base year does move it.
    assert not np.array_equal(before.paths[CP].runs, forecast(counts, 2021, 24, 3, seed=9, runs=200).paths[CP].runs)
    assert np.array_equal(forecast(later, 2020, 24, 3, seed=9, runs=200).paths[CP].runs,
                          forecast(counts, 2020, 24, 3, seed=9, runs=200).paths[CP].runs)
