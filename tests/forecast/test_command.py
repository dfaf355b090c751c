"""manage.py forecast: the forecast and its back-test from the configured store."""
import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.forecast.stores import D, cin_return, lac_return


def years_of_returns(store, years=(2019, 2020, 2021, 2022)):
    for year in years:
        children = [(f"c{year}-{n}", D(2008, 1 + n % 12, 1), [(D(year - 2, 5, 1 + n % 20), None, "U4", "C2")])
                    for n in range(30)]
        children += [(f"n{year}-{n}", D(2012, 2, 1), [(D(year - 1, 4 + n % 9, 2), D(year, 2, 1), "K2", "C2")])
                     for n in range(10)]
        lac_return(store, "210", year, children)
        cin_return(store, "210", year, [(f"p{year}-{n}", D(2015, 1, 1), [(D(year - 1, 6, 1 + n), None)])
                                        for n in range(12)])


def run(*args):
    out = io.StringIO()
    call_command("forecast", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_forecast_as_json_records_seed_window_and_returns(store):
    years_of_returns(store)
    data = json.loads(run("--la", "210", "--base-year", "2022", "--horizon-months", "13", "--window-years", "2",
                          "--runs", "100", "--format", "json"))
    assert data["seed"] == 20260401 and data["window"] == [2021, 2022] and data["returns_used"] == ["2020-21", "2021-22"]
    totals = [r for r in data["rows"] if r["state"] == "All" and r["kind"] == "Children looked after"]
    assert len(totals) == 13 and totals[0]["month"] == "2022-04-30"
    assert totals[0]["low95"] <= totals[0]["median"] <= totals[0]["high95"]
    # The 30 long-staying children are there on 31 March 2022; the first month starts from them.
    assert 25 <= totals[0]["median"] <= 35
    again = json.loads(run("--la", "210", "--base-year", "2022", "--horizon-months", "13", "--window-years", "2",
                           "--runs", "100", "--format", "json"))
    assert again["rows"] == data["rows"]


@pytest.mark.django_db
def test_forecast_as_csv_and_table(store):
    years_of_returns(store)
    text = run("--la", "210", "--base-year", "2021", "--horizon-months", "2", "--runs", "50", "--format", "csv")
    assert text.splitlines()[0] == "kind,state,month,median,low80,high80,low95,high95"
    assert "Children on child protection plans,All,2021-05-31" in text
    assert "returns used: ['2018-19', '2019-20', '2020-21']" in run(
        "--la", "210", "--base-year", "2021", "--horizon-months", "2", "--runs", "50")


@pytest.mark.django_db
def test_backtest_reports_each_method_and_says_how_it_came_out(store):
    years_of_returns(store)
    text = run("--backtest", "--window-years", "1", "--runs", "100")
    assert "Straight-line trend" in text and "Last year's number" in text and "The model" in text
    assert "Tested on" in text and ("closer to what happened" in text)
    data = json.loads(run("--backtest", "--la", "210", "--window-years", "1", "--runs", "100", "--format", "json"))
    assert data["verdict"]["cases"] == 2 * (2 + 2 + 1)  # base years 2019, 2020 (two years on), 2021 (one), two kinds


@pytest.mark.django_db
def test_bad_arguments(store):
    years_of_returns(store)
    with pytest.raises(CommandError):
        run("--la", "210")
    with pytest.raises(CommandError):
        run("--la", "210", "--base-year", "2022", "--horizon-months", "60")
    with pytest.raises(CommandError):
        run("--la", "999", "--base-year", "2022")
    with pytest.raises(CommandError):
        run("--la", "210", "--base-year", "2030")


@pytest.mark.django_db
def test_a_few_authorities_at_a_time_read_the_same_counts(store, monkeypatch):
    """Read in groups of authorities (so a national store stays within memory), every count is what one query gives."""
    from safeguarding.forecast.engine import counts as c
    from tests.forecast.stores import cin_return as cin, ibis_connection, lac_return as lac

    years_of_returns(store, years=(2021, 2022))
    for la in ("208", "209"):
        lac(store, la, 2022, [(f"{la}-{n}", D(2010, 3, 1), [(D(2021, 5, 1 + n), None, "U4", "C2")]) for n in range(4)])
        cin(store, la, 2022, [(f"{la}-p{n}", D(2016, 1, 1), [(D(2021, 7, 1 + n), None)]) for n in range(3)])
    con, schema = ibis_connection(store), store.schema
    las, years = ["208", "209", "210"], [2021, 2022]
    whole = c.read_counts(con, schema, las, years)
    monkeypatch.setattr(c, "AUTHORITIES_PER_QUERY", 1)
    one_by_one = c.read_counts(con, schema, las, years)
    assert {la: (v.years, v.moves, v.stocks) for la, v in whole.items()} == \
        {la: (v.years, v.moves, v.stocks) for la, v in one_by_one.items()}
    assert whole["208"].years == {2022} and whole["210"].years == {2021, 2022}
