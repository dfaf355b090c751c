"""Decision points (docs/indicators.md, "Decision points"; ADR 0028): each child counted where the definition says,
the relative rate and its interval as Katz's method gives them, and the same counts on DuckDB and PostgreSQL."""
import datetime
import math
import uuid

import pytest

from safeguarding.indicators import disproportionality as dp
from safeguarding.indicators.engine import definitions as d
from safeguarding.indicators.engine.run import Engine
from safeguarding.returns.importer import import_return
from safeguarding.returns.store import AnalyticalStore
from tests.indicators.test_engine import assessment, enquiry, episode, message, plan
from tests.returns import samples
from tests.skips import needs_postgres

pytestmark = pytest.mark.django_db


def child(cid, *episodes, ethnicity="WBRI", sex=1, born="2012-05-17", upn=1):
    return f"""<Child><ChildIdentifiers><LAchildID>{cid}</LAchildID><UPN>A12345678{upn:04d}</UPN>
<PersonBirthDate>{born}</PersonBirthDate><GenderCurrent>{sex}</GenderCurrent></ChildIdentifiers>
<ChildCharacteristics><Ethnicity>{ethnicity}</Ethnicity></ChildCharacteristics>{"".join(episodes)}</Child>"""


# Collection year 2021 (1 April 2020 - 31 March 2021); by hand, what each child reaches.
KNOWN = [
    # every point, in one episode; starts to be looked after after the referral (SSDA903 below)
    child("A", episode("2020-05-01", icpc="2020-06-01", s47=enquiry("2020-05-10", "2020-06-01"),
                       assessments=assessment("2020-05-02", "2020-06-10"), plans=plan("2020-06-01")), upn=1),
    # assessed and an S47 enquiry, no conference; born August 2020 (under 1); care started before the referral
    child("B", episode("2020-10-01", s47=enquiry("2020-10-05"), assessments=assessment("2020-10-02", "2020-11-01")),
          ethnicity="BAFR", sex=2, born="2020-08-03", upn=2),
    # conference and plan, but the assessment is not completed: only referred (each point through the one before)
    child("C", episode("2020-06-01", icpc="2020-07-01", s47=enquiry("2020-06-05", "2020-07-01"),
                       assessments=assessment("2020-06-02"), plans=plan("2020-07-01")),
          ethnicity="BCRB", sex=2, born="2005-01-09", upn=3),
    # two referrals in the year, counted once: the second is assessed with an S47 enquiry; 17 at the first
    child("D", episode("2020-07-01", closure="2020-07-02"),
          episode("2021-01-10", s47=enquiry("2021-01-20"), assessments=assessment("2021-01-11", "2021-02-01")),
          ethnicity="REFU", sex=1, born="2003-06-20", upn=4),
    # the conference recorded in the episode only, after an S47 enquiry without one; no plan
    child("G", episode("2020-09-01", icpc="2020-10-01", s47=enquiry("2020-09-05"),
                       assessments=assessment("2020-09-02", "2020-09-30")), ethnicity="AIND", born="2015-04-01",
          upn=5),
    # referred before the year: not counted, though the plan starts in it
    child("F", episode("2020-03-20", s47=enquiry("2020-03-25", "2020-04-15"), icpc="2020-04-15",
                       assessments=assessment("2020-03-21", "2020-04-10"), plans=plan("2020-04-15")), upn=6),
]
LAC_HEADER = ["A,1,01/05/2012,WBRI,,,", "B,2,01/08/2020,BAFR,,,"]
LAC_EPISODES = ["A,01/09/2020,S,C2,N1,U1,PR1,,,,,,", "B,15/09/2020,S,C2,N1,U1,PR1,,,,,,"]
EXPECTED = {
    ("all", "All children"): dict(referred=5, assessed=4, s47=4, icpc=2, plan=1, looked_after=1),
    ("ethnicity", "White"): dict(referred=1, assessed=1, s47=1, icpc=1, plan=1, looked_after=1),
    ("ethnicity", "Black"): dict(referred=2, assessed=1, s47=1, icpc=0, plan=0, looked_after=0),
    ("ethnicity", "Asian"): dict(referred=1, assessed=1, s47=1, icpc=1, plan=0, looked_after=0),
    ("ethnicity", "Not known or refused"): dict(referred=1, assessed=1, s47=1, icpc=0, plan=0, looked_after=0),
    ("ethnicity", "Mixed"): dict.fromkeys(d.POINTS, 0),
    ("sex", "Male"): dict(referred=3, assessed=3, s47=3, icpc=2, plan=1, looked_after=1),
    ("sex", "Female"): dict(referred=2, assessed=1, s47=1, icpc=0, plan=0, looked_after=0),
    ("age", "Under 1"): dict(referred=1, assessed=1, s47=1, icpc=0, plan=0, looked_after=0),
    ("age", "5 to 9"): dict(referred=2, assessed=2, s47=2, icpc=2, plan=1, looked_after=1),
    ("age", "10 to 15"): dict(referred=1, assessed=0, s47=0, icpc=0, plan=0, looked_after=0),
    ("age", "16 and over"): dict(referred=1, assessed=1, s47=1, icpc=0, plan=0, looked_after=0),
}


def load(store, tmp_path, children=KNOWN):
    import_return([samples.write(tmp_path, "cin.xml", message(children))], la="210", store=store)
    import_return(samples.ssda903(tmp_path / "lac", header_rows=LAC_HEADER, episode_rows=LAC_EPISODES),
                  la="210", store=store)


def test_each_child_is_counted_where_the_definition_says(store, tmp_path):
    load(store, tmp_path)
    found = Engine(store.url, store.schema).decision_points()[("210", 2021)]
    assert {key: found[key] for key in EXPECTED} == EXPECTED
    for dimension, groups in d.DIMENSIONS.items():  # every group there, and the groups add up to all children
        for point in d.POINTS:
            assert sum(found[(dimension, g)][point] for g in groups) == found[("all", "All children")][point]


@pytest.mark.parametrize("code, group", [("WBRI", "White"), ("wirt", "White"), ("MWAS", "Mixed"), ("APKN", "Asian"),
                                         ("BOTH", "Black"), ("CHNE", "Other"), ("OOTH", "Other"),
                                         ("REFU", "Not known or refused"), ("NOBT", "Not known or refused"),
                                         (None, "Not known or refused"), ("XXXX", "Not known or refused")])
def test_ethnicity_codes_fall_in_the_dfe_major_groups(code, group):
    assert d.ethnic_group(code) == group


@pytest.mark.parametrize("age, band", [(-1, "Unborn"), (0, "Under 1"), (1, "1 to 4"), (4, "1 to 4"), (5, "5 to 9"),
                                       (9, "5 to 9"), (10, "10 to 15"), (15, "10 to 15"), (16, "16 and over"),
                                       (19, "16 and over"), (None, "Not known"), (float("nan"), "Not known")])
def test_age_bands_are_the_dfes(age, band):
    assert d.age_band(age) == band


def test_relative_rate_and_katz_interval():
    # 30 of 100 in the group went on, 20 of 200 of the rest: rate 3; log-rate SE sqrt(1/30-1/100+1/20-1/200)
    rate, low, high = dp.relative_rate(30, 100, 20, 200)
    se = math.sqrt(1 / 30 - 1 / 100 + 1 / 20 - 1 / 200)
    assert rate == pytest.approx(3.0)
    assert (low, high) == pytest.approx((3 * math.exp(-1.959964 * se), 3 * math.exp(1.959964 * se)))
    assert low == pytest.approx(1.7973, abs=1e-4) and high == pytest.approx(5.0077, abs=1e-4)  # worked by hand
    assert dp.relative_rate(0, 10, 5, 50) == (0.0, None, None)  # no interval for none going on
    assert dp.relative_rate(3, 10, 0, 50) == (None, None, None)
    assert dp.relative_rate(3, 0, 2, 50) == (None, None, None)


def test_rows_compare_each_group_with_all_other_children(store, tmp_path):
    load(store, tmp_path)
    counts = Engine(store.url, store.schema).decision_points()[("210", 2021)]
    rows = dp.from_counts(counts)[("referred", "assessed")]
    black = next(r for r in rows if r.group == "Black")
    assert (black.went_on, black.at_point, black.rest_went_on, black.rest_at_point) == (1, 2, 3, 3)
    assert black.rate[0] == pytest.approx(0.5)
    assert rows[0].group == "All children" and rows[0].share == pytest.approx(0.8)
    assert not any(r.group == "Mixed" for r in rows)  # no one at the point: no row


def test_recompute_stores_every_step_for_every_group(store, tmp_path):
    from safeguarding.indicators.models import IndicatorValue
    from safeguarding.indicators.services import recompute

    load(store, tmp_path)
    recompute("210", store=store)
    stored = IndicatorValue.objects.filter(la_code="210", year=2021, indicator__startswith="decision:")
    assert stored.count() == len(d.STEPS) * (1 + sum(len(g) for g in d.DIMENSIONS.values()))
    black = stored.get(indicator="decision:assessed:ethnicity:Black")
    assert (black.numerator, black.denominator, black.value) == (1, 2, 50)
    assert dp.from_values(stored)[2021][("ethnicity", "Black")] == EXPECTED[("ethnicity", "Black")]


def stored_and_defined(store):
    """cin_children's first_referral, furthest_point and looked_after as the store worked them out, and as the
    engine's definition (``referral_points_expr``) gives them: sorted rows of (la, year, child, first referral,
    point, looked after)."""
    stored = sorted(tuple(row) for row in store.query(
        "SELECT la, year, child_id, first_referral, furthest_point, looked_after FROM {schema}.cin_children "
        "WHERE first_referral IS NOT NULL"))
    engine = Engine(store.url, store.schema)
    try:
        frame = d.referral_points_expr(engine.tables).to_pyarrow().to_pylist()
    finally:
        engine.close()
    defined = sorted((r["la"], r["year"], r["child_id"], r["first_referral"], r["furthest_point"], r["looked_after"])
                     for r in frame)
    return stored, defined


def test_the_importer_stores_each_childs_points_as_the_engine_defines_them(store, tmp_path):
    load(store, tmp_path)
    stored, defined = stored_and_defined(store)
    assert stored == defined
    # A, B, C, D, G referred in the year (F before it), by hand: each first referral, furthest point and whether
    # looked after from it on (the ids are pseudonyms); D's first referral is July's, its point from its second
    assert sorted(row[3:] for row in stored) == [
        (datetime.date(2020, 5, 1), 4, True), (datetime.date(2020, 6, 1), 0, False),
        (datetime.date(2020, 7, 1), 2, False), (datetime.date(2020, 9, 1), 3, False),
        (datetime.date(2020, 10, 1), 2, False)]
    assert store.query("SELECT count(*) FROM {schema}.cin_children WHERE furthest_point IS NULL") == [(1,)]


def test_looked_after_follows_whichever_return_is_loaded_last(store, tmp_path):
    # The SSDA903 return first, then the CIN census: the same; then the SSDA903 return again without A's period
    # of care: A no longer counts as looked after.
    import_return(samples.ssda903(tmp_path / "lac", header_rows=LAC_HEADER, episode_rows=LAC_EPISODES),
                  la="210", store=store)
    import_return([samples.write(tmp_path, "cin.xml", message(KNOWN))], la="210", store=store)
    assert Engine(store.url, store.schema).decision_points()[("210", 2021)][("all", "All children")] == EXPECTED[
        ("all", "All children")]
    import_return(samples.ssda903(tmp_path / "lac2", header_rows=LAC_HEADER, episode_rows=LAC_EPISODES[1:]),
                  la="210", store=store)
    stored, defined = stored_and_defined(store)
    assert stored == defined and not any(row[5] for row in stored)
    assert Engine(store.url, store.schema).decision_points()[("210", 2021)][("all", "All children")][
        "looked_after"] == 0


def test_a_store_made_before_the_points_were_stored_gains_them(store, tmp_path):
    load(store, tmp_path)
    with store.connection() as con:
        for column in ("first_referral", "furthest_point", "looked_after"):
            store._execute(con, f"ALTER TABLE {store.table('cin_children')} DROP COLUMN {column}")
        if store.kind == "postgres":
            con.commit()
    assert store.upgrade() == ["cin_children.first_referral", "cin_children.furthest_point",
                               "cin_children.looked_after"]
    stored, defined = stored_and_defined(store)
    assert stored == defined and len(stored) == 5
    assert Engine(store.url, store.schema).decision_points()[("210", 2021)][("all", "All children")] == EXPECTED[
        ("all", "All children")]


@needs_postgres
def test_duckdb_and_postgresql_count_the_same(tmp_path):
    """Every cell equal on both backends, on a return with every kind of child above and 60 more."""
    duck = AnalyticalStore(f"duckdb:///{tmp_path / 'parity.duckdb'}", schema="child_level")
    pg = AnalyticalStore(schema=f"parity_{uuid.uuid4().hex[:10]}")
    assert pg.kind == "postgres"
    more = [child(f"X{n}", episode(f"2020-{4 + n % 9:02d}-{1 + n % 27:02d}",
                                   assessments=assessment("2020-12-01", "2021-01-05" if n % 3 else None),
                                   s47=enquiry("2020-12-02", "2021-01-02") if n % 2 else "",
                                   plans=plan("2021-01-02") if n % 4 == 1 else ""),
                  ethnicity=["WBRI", "BAFR", "MWBC", "APKN", "CHNE", "NOBT"][n % 6], sex=1 + n % 2,
                  born=f"{2004 + n % 17}-{1 + n % 12:02d}-15", upn=100 + n) for n in range(60)]
    try:
        for store in (duck, pg):
            load(store, tmp_path / store.kind, KNOWN + more)
        frames = [Engine(s.url, s.schema).decision_points_frame() for s in (duck, pg)]
        cells = [sorted(tuple(None if v != v else v for v in row) for row in f[
            ["la", "year", "dimension", "ethnicity", "sex", "age", *d.POINTS]].astype(object).itertuples(index=False))
            for f in frames]
        assert cells[0] == cells[1]
        assert {row[2] for row in cells[0]} == set(d.DIMENSIONS) and len(cells[0]) > 12
        for s in (duck, pg):  # the stored points are the engine's on both
            stored, defined = stored_and_defined(s)
            assert stored == defined and len(stored) == 65
        results = [Engine(s.url, s.schema).decision_points() for s in (duck, pg)]
        assert results[0] == results[1]
        assert results[0][("210", 2021)][("all", "All children")]["referred"] == 65
    finally:
        pg.drop()


def test_a_child_with_no_ethnicity_or_sex_recorded_is_counted_as_not_known():
    """A missing code comes back from the query as None or NaN; the child still counts, under "not known"."""
    import pandas as pd

    # Two children, each in one row of each dimension (the query sums the dimensions apart)
    nan = float("nan")
    frame = pd.DataFrame({"la": ["210"] * 6, "year": [2021] * 6, "dimension": [*["ethnicity"] * 2, *["sex"] * 2,
                                                                               *["age"] * 2],
                          "ethnicity": ["WBRI", None, None, None, None, None],
                          "sex": [None, None, nan, "F", None, None], "age": [nan, nan, nan, nan, 5, nan],
                          **{point: [1] * 6 for point in d.POINTS}})
    cells = d.roll_up(frame)[("210", 2021)]
    assert cells[("ethnicity", d.NOT_KNOWN)]["referred"] == 1
    assert cells[("sex", d.SEX_NOT_KNOWN)]["referred"] == 1
    assert cells[("age", d.AGE_NOT_KNOWN)]["referred"] == 1
    assert cells[("all", "All children")]["referred"] == 2
