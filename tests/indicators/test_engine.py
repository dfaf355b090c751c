"""The indicator definitions: each counts what docs/indicators.md says, on DuckDB and PostgreSQL alike."""
import datetime

import pytest

from safeguarding.indicators.engine import definitions as d
from safeguarding.indicators.engine.run import Engine
from safeguarding.returns.importer import import_return
from safeguarding.returns.store import AnalyticalStore
from tests.returns import samples
from tests.skips import needs_postgres

pytestmark = pytest.mark.django_db

D = datetime.date


def child(cid, *episodes, upn_number=1):
    body = "".join(episodes)
    return f"""<Child><ChildIdentifiers><LAchildID>{cid}</LAchildID><UPN>A12345678{upn_number:04d}</UPN>
<PersonBirthDate>2012-05-17</PersonBirthDate><GenderCurrent>1</GenderCurrent></ChildIdentifiers>
<ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>{body}</Child>"""


def episode(referral, *, closure=None, assessments="", s47="", plans="", icpc=None, source="6"):
    parts = [f"<CINreferralDate>{referral}</CINreferralDate><ReferralSource>{source}</ReferralSource>"
             "<PrimaryNeedCode>N1</PrimaryNeedCode>"]
    if closure:
        parts.append(f"<CINclosureDate>{closure}</CINclosureDate><ReasonForClosure>RC1</ReasonForClosure>")
    if icpc:
        parts.append(f"<DateOfInitialCPC>{icpc}</DateOfInitialCPC>")
    parts += [assessments, s47, "<ReferralNFA>0</ReferralNFA>", plans]
    return "<CINdetails>" + "".join(parts) + "</CINdetails>"


def assessment(start, end=None, factors=()):
    body = f"<AssessmentActualStartDate>{start}</AssessmentActualStartDate>"
    if end:
        body += f"<AssessmentAuthorisationDate>{end}</AssessmentAuthorisationDate>"
    if factors:
        body += "<FactorsIdentifiedAtAssessment>" + "".join(
            f"<AssessmentFactors>{f}</AssessmentFactors>" for f in factors) + "</FactorsIdentifiedAtAssessment>"
    return f"<Assessments>{body}</Assessments>"


def enquiry(start, icpc=None):
    body = f"<S47ActualStartDate>{start}</S47ActualStartDate>"
    if icpc:
        body += f"<DateOfInitialCPC>{icpc}</DateOfInitialCPC>"
    return f"<Section47>{body}<ICPCnotRequired>{0 if icpc else 1}</ICPCnotRequired></Section47>"


def plan(start, end=None, previous=0, category="NEG"):
    body = f"<CPPstartDate>{start}</CPPstartDate>" + (f"<CPPendDate>{end}</CPPendDate>" if end else "")
    return (f"<ChildProtectionPlans>{body}<InitialCategoryOfAbuse>{category}</InitialCategoryOfAbuse>"
            f"<LatestCategoryOfAbuse>{category}</LatestCategoryOfAbuse>"
            f"<NumberOfPreviousCPP>{previous}</NumberOfPreviousCPP></ChildProtectionPlans>")


def message(children, year=2021):
    return samples.MESSAGE.format(year=year, la="210", children="".join(children))


# A small return where every count is known by hand (collection year 2021: 1 April 2020 - 31 March 2021).
KNOWN = [
    # two referrals in the year, the second within 12 months of the first: 1 re-referral
    child("A", episode("2020-05-01", closure="2020-06-01",
                       assessments=assessment("2020-05-02", "2020-05-20", ["3B", "11A"])),
          episode("2021-02-01", assessments=assessment("2021-02-02", "2021-04-20"))),
    # referred before the year (not counted); S47 and ICPC recorded twice (counts once); plan open at 31 March
    child("B", episode("2020-03-20", icpc="2020-04-15", s47=enquiry("2020-04-01", "2020-04-15"),
                       assessments=assessment("2020-03-21", "2020-04-10", ["16A"]),
                       plans=plan("2020-04-15", previous=1, category="EMO")), upn_number=2),
    # a plan of more than two years still open; a plan that ended on 31 March (ceased, not open)
    child("C", episode("2018-01-10", plans=plan("2018-02-01") + plan("2020-06-01", "2021-03-31", previous=1)),
          upn_number=3),
    # a referral 13 months after the previous one: not a re-referral
    child("D", episode("2020-01-05", closure="2020-02-01"), episode("2021-02-06", source="2A"), upn_number=4),
]
EXPECTED = {"referrals": 3, "re_referrals": 1, "assessments_completed": 2, "s47_started": 1, "icpcs": 1,
            "cpp_open": 2, "cpp_2_years": 1, "cpp_starts": 2, "cpp_second_or_subsequent": 2, "cpp_ceased": 1}

LAC_HEADER = ["L1,1,01/01/2010,WBRI,,,", "L2,2,01/01/2012,BAFR,,,", "L3,1,01/01/2015,WBRI,,,",
              "L4,1,01/01/2016,WBRI,,,"]
LAC_EPISODES = [
    "L1,01/06/2019,S,C2,N1,U1,PR1,01/09/2020,X1,CHRON,,,",  # placement change, not a cease
    "L1,01/09/2020,P,C2,N1,U4,PR1,,,,,,",                  # still looked after on 31 March
    "L2,10/10/2020,S,C2,N2,K2,PR1,05/01/2021,E13,,,,",      # started and ceased in the year
    "L2,01/03/2021,S,C2,N2,K2,PR1,,,,,,",                   # started again: still one child starting
    "L3,01/05/2020,S,V3,N1,U1,PR1,,,,,,",                   # short breaks: not counted
    "L4,01/03/2021,S,V2,N1,U1,PR1,31/03/2021,E12,,,,",      # ceased on 31 March: not open at 31 March
]
LAC_EXPECTED = {"lac_open": 2, "lac_starts": 2, "lac_ceased": 2}


@pytest.fixture
def known(store, tmp_path):
    import_return([samples.write(tmp_path, "cin.xml", message(KNOWN))], la="210", store=store)
    import_return(samples.ssda903(tmp_path / "lac", header_rows=LAC_HEADER, episode_rows=LAC_EPISODES),
                  la="210", store=store)
    return store


def test_each_definition_counts_what_it_says(known):
    engine = Engine(known.url, known.schema)
    values = engine.core()[("210", 2021)]
    assert {k: values[k] for k in EXPECTED} == EXPECTED
    assert {k: values[k] for k in LAC_EXPECTED} == LAC_EXPECTED
    assert values["re_referrals_percent"] == pytest.approx(100 / 3)
    assert values["cpp_2_years_percent"] == 50


def test_any_day_and_any_period(known):
    engine = Engine(known.url, known.schema)
    assert engine.at("cpp_open", D(2020, 12, 31)) == {"210": 3}  # C's two plans and B's
    assert engine.at("cpp_open", D(2021, 3, 31)) == {"210": 2}
    assert engine.over("referrals", D(2020, 4, 1), D(2020, 12, 31)) == {"210": 1}
    assert engine.over("referrals", D(2020, 4, 1), D(2021, 3, 31)) == {"210": 3}


def test_beyond_the_table(known):
    engine = Engine(known.url, known.schema)
    assert engine.referral_sources("210", 2021) == {"6": 2, "2A": 1}
    assert engine.categories("210", 2021) == {"EMO": 1, "NEG": 1}
    groups = {"Domestic abuse": ["3A", "3B", "3C"], "Extra-familial harm": ["10A", "11A", "12A", "13A", "24A"],
              "Neglect": ["16A"]}
    assert engine.factor_groups("210", 2021, groups) == {"Domestic abuse": 1, "Extra-familial harm": 1, "Neglect": 1}
    children, with_other = engine.cooccurrence("210", groups["Extra-familial harm"], ["3B", "16A"],
                                               D(2020, 4, 1), D(2021, 3, 31))
    assert (children, with_other) == (1, 1)
    timeliness = engine.timeliness("210", 2021)
    # A's first assessment: 2-20 May 2020 is 13 working days; B's: 21 March - 10 April 2020 is 13 (Good Friday)
    assert timeliness["assessments_within_45_working_days"] == (2, 2)
    assert timeliness["icpc_within_15_working_days"] == (1, 1)  # 1 April - 15 April 2020, Easter: 9 working days


# Referral dates of children in the 2021 return (1 April 2020 - 31 March 2021), chosen at the edges of the
# re-referral definition and of the date ranges the engine cuts each side of its semi-join to.
RE_REFERRAL_CASES = [
    ["2019-04-01", "2020-04-01"],                # exactly 12 months before the first day of the year: counted
    ["2019-03-31", "2020-04-01"],                # 12 months and a day before: not counted
    ["2020-06-01", "2020-06-01", "2020-09-01"],  # the same day twice: neither is earlier than the other
    ["2020-01-10", "2020-07-01", "2020-07-01"],  # both referrals of 1 July have the January one before them
    ["2021-03-30", "2021-03-31"],                # the last two days of the year
    ["2021-03-31", "2021-03-31"],                # twice on the last day: no earlier referral
    ["2020-02-29", "2021-02-28"],                # 12 months before 28 February 2021 is 28 February 2020
    ["2020-02-28", "2021-03-01"],                # a year and a day later: not counted
    ["2019-05-01", "2020-05-01", "2021-05-01"],  # the second counts; the third is after the year
    ["2020-12-25"],
]


def _brute_force_re_referrals(cases, start, end):
    from dateutil.relativedelta import relativedelta

    count = 0
    for dates in cases:
        days = [datetime.date.fromisoformat(d) for d in dates]
        for day in days:
            if start <= day <= end and any(day - relativedelta(months=12) <= other < day for other in days):
                count += 1
    return count


def test_re_referrals_at_the_edges_of_the_definition(store, tmp_path):
    children = []
    for number, dates in enumerate(RE_REFERRAL_CASES):
        # in reverse: the order of a child's episodes in the census does not matter
        episodes = [episode(day, closure=day) for day in reversed(dates)]
        children.append(child(f"R{number}", *episodes, upn_number=100 + number))
    import_return([samples.write(tmp_path, "cin.xml", message(children))], la="210", store=store)
    engine = Engine(store.url, store.schema)
    year_start, year_end = D(2020, 4, 1), D(2021, 3, 31)
    expected = _brute_force_re_referrals(RE_REFERRAL_CASES, year_start, year_end)
    assert expected == 7
    values = engine.core()[("210", 2021)]
    assert values["re_referrals"] == expected
    assert values["referrals"] == sum(year_start <= D.fromisoformat(d) <= year_end
                                      for dates in RE_REFERRAL_CASES for d in dates)
    for start, end in [(year_start, year_start), (D(2020, 7, 1), D(2020, 9, 30)), (D(2021, 2, 28), year_end),
                       (D(2020, 1, 1), D(2021, 12, 31))]:
        assert engine.over("re_referrals", start, end).get("210", 0) == _brute_force_re_referrals(
            RE_REFERRAL_CASES, max(start, year_start), min(end, year_end)), (start, end)


def test_a_store_made_before_previous_referral_dates_is_upgraded_with_the_same_figures(store, tmp_path):
    """A store written by an earlier version has no previous_referral_date: `migrate` (post_migrate) adds and
    fills it in, and the re-referrals are those the definition counts."""
    children = [child(f"R{n}", *[episode(day, closure=day) for day in dates], upn_number=100 + n)
                for n, dates in enumerate(RE_REFERRAL_CASES)]
    import_return([samples.write(tmp_path, "cin.xml", message(children))], la="210", store=store)
    with store.connection() as con:
        store._execute(con, f"ALTER TABLE {store.table('cin_episodes')} DROP COLUMN previous_referral_date")
        con.commit()
    assert store.upgrade() == ["cin_episodes.previous_referral_date"]
    assert store.upgrade() == []
    values = Engine(store.url, store.schema).core()[("210", 2021)]
    assert values["re_referrals"] == _brute_force_re_referrals(RE_REFERRAL_CASES, D(2020, 4, 1), D(2021, 3, 31))


def test_upgrading_a_missing_store_does_nothing(settings, tmp_path):
    settings.ANALYTICS_URL = f"duckdb:///{tmp_path / 'none.duckdb'}"
    assert AnalyticalStore().upgrade() == []
    assert not (tmp_path / "none.duckdb").exists()


def test_show_sql_compiles_for_the_backend(known):
    engine = Engine(known.url, known.schema)
    sql = engine.sql("re_referrals")
    assert "previous_referral_date" in sql and "cin_episodes" in sql and "12" in sql
    with pytest.raises(ValueError, match="worked out from"):
        engine.sql("re_referrals_percent")


@needs_postgres
def test_duckdb_and_postgresql_give_identical_results(tmp_path, settings):
    import uuid

    from tests.returns import samples as s

    duck = AnalyticalStore(f"duckdb:///{tmp_path / 'parity.duckdb'}", schema="child_level")
    pg = AnalyticalStore(schema=f"parity_{uuid.uuid4().hex[:10]}")
    assert pg.kind == "postgres"
    try:
        cin = samples.write(tmp_path, "cin.xml", message(KNOWN + [child(f"X{n}", episode(
            "2020-07-01", assessments=assessment("2020-07-02", "2020-08-01", ["3A"])), upn_number=10 + n)
            for n in range(30)]))
        lac = s.ssda903(tmp_path / "lac", header_rows=LAC_HEADER, episode_rows=LAC_EPISODES)
        for store in (duck, pg):
            import_return([cin], la="210", store=store)
            import_return(lac, la="210", store=store)
        results = [Engine(store.url, store.schema).core() for store in (duck, pg)]
        assert results[0] == results[1]
        assert results[0][("210", 2021)]["referrals"] == 33
        days = [Engine(store.url, store.schema).at("cpp_open", D(2020, 12, 31)) for store in (duck, pg)]
        assert days[0] == days[1]
    finally:
        pg.drop()


def test_every_indicator_has_its_definition_written_beside_it():
    for indicator in d.INDICATORS:
        assert indicator.definition and indicator.title
        assert (indicator.measure is None) == (indicator.unit == "percent")


def _year_checks(con):
    """Each day of 2018-2023 against each collection year 2019-2023: in_year and by_year_end, and the dates they
    stand for (1 April year-1 to 31 March year), as rows that disagree."""
    import ibis
    import pandas as pd

    days = pd.date_range("2018-01-01", "2023-12-31").date
    t = ibis.memtable(pd.DataFrame([(day, year) for day in days for year in range(2019, 2024)],
                                   columns=["day", "year"])).cast({"day": "date", "year": "int32"})
    checks = t.mutate(months=d.in_year(t, t.day), dates=t.day.between(d.year_start(t), d.year_end(t)),
                      by_end_months=d.by_year_end(t, t.day), by_end_dates=t.day <= d.year_end(t))
    wrong = checks.filter((checks.months != checks.dates) | (checks.by_end_months != checks.by_end_dates))
    return con.execute(wrong.count()), con.execute(checks.months.sum())


def test_a_collection_year_by_month_numbers_is_1_april_to_31_march():
    import ibis

    wrong, inside = _year_checks(ibis.duckdb.connect())
    assert wrong == 0 and inside == 5 * 365 + 1  # 29 February 2020 in the year 2020


@needs_postgres
def test_a_collection_year_by_month_numbers_is_1_april_to_31_march_on_postgresql(store):
    from safeguarding.indicators.engine.run import connect

    con = connect(store.url)
    try:
        wrong, inside = _year_checks(con)
    finally:
        con.disconnect()
    assert wrong == 0 and inside == 5 * 365 + 1


@needs_postgres
def test_the_engine_on_postgresql_hashes_its_joins_and_leaves_the_application_connection_alone(store, tmp_path):
    """PostgreSQL cannot estimate a collection year worked out per row, chose nested loops over the referrals and
    assessments, and one authority's referral findings took 44 s under the demo's returns (issue 19)."""
    from django.db import connection

    from safeguarding.indicators.engine.run import connect

    import_return([samples.write(tmp_path, "cin.xml", message(KNOWN + [child(f"X{n}", episode(
        "2020-07-01", assessments=assessment("2020-07-02", "2020-08-01", ["3A"])), upn_number=10 + n)
        for n in range(200)]))], la="210", store=store)
    con = connect(store.url)
    try:
        with con.raw_sql(f"ANALYZE {store.schema}.cin_episodes"):
            pass
        e = d.referral_findings_expr(d.Tables(con, store.schema), {"neglect": ["2A", "2B"]})
        with con.raw_sql("EXPLAIN " + ibis_sql(e.filter(e.la == "210"))) as cursor:
            plan = "\n".join(row[0] for row in cursor.fetchall())
    finally:
        con.disconnect()
    assert "Hash Join" in plan and "Nested Loop" not in plan
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_nestloop")
        assert cursor.fetchone()[0] == "on"


def ibis_sql(expr):
    import ibis

    return str(ibis.to_sql(expr, dialect="postgres"))


def test_the_core_query_compiled_once_gives_each_store_its_own_figures(known, tmp_path):
    from safeguarding.indicators.engine import run

    other = AnalyticalStore(f"duckdb:///{tmp_path / 'other.duckdb'}", schema=known.schema)
    import_return([samples.write(tmp_path, "other.xml", message(KNOWN[1:]))], la="210", store=other)
    run._CORE_SQL.clear()
    first = Engine(known.url, known.schema).core()[("210", 2021)]
    second = Engine(other.url, other.schema).core()[("210", 2021)]
    again = Engine(known.url, known.schema).core()[("210", 2021)]
    assert first == again and {k: first[k] for k in EXPECTED} == EXPECTED
    assert second["referrals"] == 1 and second["re_referrals"] == 0 and second["lac_open"] == 0
    assert Engine(known.url, known.schema).core(las=["211"]) == {}
    assert Engine(known.url, known.schema).core(las=["210"], years=[2021])[("210", 2021)] == first
    dialect = Engine(known.url, known.schema).dialect
    # One SQL each for all authorities, "211" and "210" in 2021, reused by every engine on the store.
    assert {key[2:] for key in run._CORE_SQL if key[:2] == (dialect, known.schema)} == {
        ((), ()), (("211",), ()), (("210",), (2021,))}
