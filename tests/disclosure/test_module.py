"""The disclosure-control module's rules, on their own: primary, complementary and derived suppression."""
from safeguarding.core import disclosure as dc
from tests.disclosure import attack


def test_primary_suppression_is_one_to_five():
    assert [dc.small_count(n) for n in (0, 1, 5, 6, 1234)] == ["0", "c", "c", "6", "1,234"]
    assert dc.small_count(3, suppress=False) == "3" and dc.small_count(None) == ""


def test_a_lone_c_in_a_total_takes_the_smallest_other_part_with_it():
    counts = {"plans": 327, "NEG": 160, "EMO": 100, "PHY": 40, "SAB": 5, "MUL": 22, "none": 0}
    hidden = dc.suppressed_keys(counts, [("plans", ["NEG", "EMO", "PHY", "SAB", "MUL", "none"])])
    assert hidden == {"SAB", "MUL"}  # not the zero: a c over a zero hides nothing


def test_complementary_suppression_follows_every_group_a_count_is_in():
    # Consultations by sector, and education with foster carers: education is c, so foster carers (the smallest
    # other part there) goes too, which leaves the other group's foster carers a lone c until sport goes as well.
    counts = {"education and fostering": 43, "education": 3, "foster": 40, "consultations": 200, "sport": 60,
              "health": 97}
    groups = [("education and fostering", ["education", "foster"]),
              ("consultations", ["education", "foster", "sport", "health"])]
    assert dc.suppressed_keys(counts, groups) == {"education", "foster"}
    counts["foster"] = 2  # both small: the sector group needs a third
    assert dc.suppressed_keys(counts, [("consultations", ["foster", "sport", "health"]),
                                       ("education and fostering", ["education", "foster"])]) == {
        "education", "foster", "sport"}


def test_two_c_that_can_only_be_ones_take_a_third():
    counts = {"total": 52, "a": 1, "b": 1, "c": 50}
    assert dc.suppressed_keys(counts, [("total", ["a", "b", "c"])]) == {"a", "b", "c"}
    counts = {"total": 60, "a": 2, "b": 3, "c": 55}
    assert dc.suppressed_keys(counts, [("total", ["a", "b", "c"])]) == {"a", "b"}


def test_figures_worked_out_from_a_c_are_c_and_nothing_is_for_detail():
    found = dc.Disclosure().count("now", 1).count("before", 85)
    assert found.shown("now") == "c" and found.shown("before") == "85"
    assert found.derived("-98.8%", "now", "before") == "c" and found.derived("85", "before") == "85"
    detail = dc.Disclosure(suppress=False).count("now", 1).count("before", 85)
    assert detail.shown("now") == "1" and detail.derived("-98.8%", "now", "before") == "-98.8%"


def test_the_attacker_finds_what_suppression_by_one_cell_leaves():
    """The test's attacker is itself tested: it recovers a lone c, a c from a change, and a c under a share."""
    ledger = attack.Ledger()
    for name, shown in (("total", "327"), ("a", "200"), ("b", "122"), ("x", "c"), ("before", "85"), ("now", "c")):
        ledger.figure(name, shown, "here")
    ledger.adds_up("total", ["a", "b", "x"], "here")
    ledger.change("now", "before", "-98.8%", "here")
    ledger.unseen_ok.add("on time")
    ledger.figure("due", "c", "here")
    ledger.share("on time", "due", "75.0%", "here")
    leaks = attack.recover(ledger, {"x": 5, "now": 1, "due": 4, "on time": 3})
    assert {leak.name: leak.value for leak in leaks} == {"x": 5, "now": 1, "due": 4}


def test_the_core_table_hides_a_small_count_its_rate_its_change_and_its_flag():
    from decimal import Decimal

    from safeguarding.dashboard.selectors import suppressed_table
    from safeguarding.indicators.table import Figure, Row, Table, YearFigures

    def year(y, n, rate):
        return YearFigures(y, Figure(Decimal(n), f"{n:,}"), Figure(Decimal(rate.rstrip("%")), rate))

    rows = [Row("CPP (31/3/21)", "cpp_open", None, "rate", [year(2021, 4, "0.6"), year(2020, 285, "44")],
                change=Figure(Decimal("-98.6"), "-98.6%")),
            Row("CPP 2+ years (31/3/21)", "cpp_2_years", "cpp_2_years_percent", "percent",
                [year(2021, 0, "0.0%"), year(2020, 21, "7.4%")], change=Figure(None, ""))]
    flag = "The 2020-21 rate of children on child protection plans as published (1) does not fit: 4 in 65,850 children"
    table = Table("210", "Southwark", 2021, [2021, 2020], rows, [], "as-published", flags=[flag])
    shown = suppressed_table(table)
    plans, long_plans = shown.rows
    assert [plans.now.number.shown, plans.now.rate.shown, plans.change.shown] == ["c", "c", "c"]
    assert plans.before.number.shown == "285" and shown.flags == []
    # Plans of two years or more: 0 is shown, but 0.0% of a c is a share of it.
    assert long_plans.now.number.shown == "0" and long_plans.now.rate.shown == "c"
    assert table.flags == [flag] and table.rows[0].now.number.shown == "4"  # the cached table is left as it was
