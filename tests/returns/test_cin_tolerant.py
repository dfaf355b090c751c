"""CIN census files as councils' systems export them: each kind of looseness loads with a warning and the same
figures; each DfE rule checked as the file is read loads with an error, and a record that would make a figure wrong
is left out of it and counted; refusal only past the threshold. Files are made here, small, one per case."""
import re

import pytest

from safeguarding.indicators.engine.run import Engine
from safeguarding.returns import findings as findings_module
from safeguarding.returns.importer import import_return
from safeguarding.returns.problems import ReturnRejected
from tests.returns import samples
from tests.skips import PEER_RETURNS, needs_peer_returns

pytestmark = pytest.mark.django_db


def load(store, tmp_path, text, name="cin.xml", **options):
    result = import_return([samples.write(tmp_path, name, text)], la="210", store=store, **options)
    figures = Engine(store.url, store.schema).core()[("210", result.year)]
    return result, figures


@pytest.fixture
def clean(store, tmp_path):
    """The figures of the tidy file every case below loosens."""
    result, figures = load(store, tmp_path / "clean", samples.cin_xml(3))
    assert result.findings.outcome == "clean" and result.findings.summary() == []
    return figures


def rules_of(result):
    return {row["rule"]: row for row in result.findings.summary()}


# Each case: how the tidy file is loosened, and the warning it gives. None changes a figure.
LOOSENESS = {
    "true and false": (lambda t: t.replace("<ReferralNFA>0<", "<ReferralNFA>false<")
                       .replace("<ICPCnotRequired>0<", "<ICPCnotRequired>False<"), "L-BOOL"),
    "lower-case code": (lambda t: t.replace("<InitialCategoryOfAbuse>NEG<", "<InitialCategoryOfAbuse>neg<"),
                        "L-CASE"),
    "spaces around a value": (lambda t: t.replace("<CINreferralDate>2020-07-01<",
                                                  "<CINreferralDate> 2020-07-01\n <"), "L-SPACE"),
    "text inside a container": (lambda t: t.replace("<Section47>", "<Section47>see notes", 1), "L-TEXT"),
    "elements in another order": (lambda t: t.replace(
        "<ReferralSource>6</ReferralSource>\n      <PrimaryNeedCode>N1</PrimaryNeedCode>",
        "<PrimaryNeedCode>N1</PrimaryNeedCode>\n      <ReferralSource>6</ReferralSource>"), "L-ORDER"),
    "unknown element": (lambda t: t.replace("<ReferralNFA>", "<CaseWorkerTeam>East</CaseWorkerTeam><ReferralNFA>"),
                        "L-UNKNOWN"),
    "element of a later year": (lambda t: t.replace("<ReferralNFA>", "<PreProceedingsandFGDM><PPStartDate>"
                                                    "2020-10-01</PPStartDate></PreProceedingsandFGDM><ReferralNFA>"),
                                "L-YEAR"),
    "Sex in a GenderCurrent year": (lambda t: t.replace("<GenderCurrent>1</GenderCurrent>", "<Sex>M</Sex>"),
                                    "L-YEAR"),
    # Header Year and ReferenceDate disagreeing is DfE rule 100, an error: test_cin_rules.py.
    "a date with a time": (lambda t: t.replace("<CPPstartDate>2020-09-14<", "<CPPstartDate>2020-09-14T00:00:00<"),
                           None),
    "comments": (lambda t: t.replace("<ChildIdentifiers>", "<ChildIdentifiers><!-- exported by Mosaic -->"), None),
}


@pytest.mark.parametrize("case", list(LOOSENESS))
def test_looseness_loads_with_a_warning_and_the_same_figures(store, tmp_path, clean, case):
    loosen, rule = LOOSENESS[case]
    text = loosen(samples.cin_xml(3))
    assert text != samples.cin_xml(3)
    result, figures = load(store, tmp_path, text)
    assert figures == clean
    assert result.findings.count("error") == 0, result.findings.summary()
    if rule:
        assert result.findings.outcome == "warnings" and rule in rules_of(result)
        assert all(r["severity"] == "warning" for r in result.findings.summary())
    assert not result.findings.left_out


def test_gender_and_sex_across_the_2025_change_are_one_field(store, tmp_path):
    """GenderCurrent (1/2/0/9) to 2024, Sex (M/F/U) from 2025: stored as Sex's codes whichever the file has."""
    old = samples.cin_xml(1).replace("<GenderCurrent>1</GenderCurrent>", "<GenderCurrent>2</GenderCurrent>")
    new = samples.cin_xml(1, year=2025, referral="2024-07-01", plan_start="2024-09-14").replace(
        "<GenderCurrent>1</GenderCurrent>", "<Sex>F</Sex>")
    loose_new = new.replace("<Sex>F</Sex>", "<GenderCurrent>2</GenderCurrent>")
    written_as_one = new.replace("<Sex>F</Sex>", "<Sex>2</Sex>")
    stored = []
    for n, text in enumerate((old, new, loose_new, written_as_one)):
        result = import_return([samples.write(tmp_path / str(n), "cin.xml", text)], la="210", store=store)
        stored.append(store.query("SELECT sex FROM {schema}.cin_children WHERE year = ?", (result.year,))[0][0])
        assert result.findings.count("error") == 0
        if n == 2:
            assert {"L-YEAR", "L-SEX"} <= set(rules_of(result))
        if n == 3:
            assert "L-SEX" in rules_of(result)
    assert stored == ["F", "F", "F", "F"]


def test_year_from_the_reference_date_or_the_dates(store, tmp_path):
    without_header = re.sub(r"<Header>.*?</Header>", "", samples.cin_xml(2), flags=re.S)
    result = import_return([samples.write(tmp_path, "cin.xml", without_header)], la="210", store=store)
    assert result.year == 2021  # the referrals are in 2020-21
    reference_only = samples.cin_xml(2).replace("<Year>2021</Year>", "")
    assert import_return([samples.write(tmp_path, "r.xml", reference_only)], la="210", store=store).year == 2021


def test_each_year_has_its_own_code_lists(store, tmp_path):
    """Factor 24A (child criminal exploitation) came in 2022 and reason RC9 in 2023: errors before, fine after."""
    in_2021 = samples.cin_xml(1, factor="24A")
    in_2022 = samples.cin_xml(1, year=2022, factor="24A", referral="2021-07-01", plan_start="2021-09-14")
    early = import_return([samples.write(tmp_path / "a", "cin.xml", in_2021)], la="210", store=store)
    late = import_return([samples.write(tmp_path / "b", "cin.xml", in_2022)], la="210", store=store)
    assert "S-CODE" in rules_of(early) and "S-CODE" not in rules_of(late)
    older = samples.cin_xml(1, year=2019, referral="2018-07-01", plan_start="2018-09-14")
    assert import_return([samples.write(tmp_path / "c", "cin.xml", older)], la="210",
                         store=store).findings.outcome == "clean"  # read by the nearest schema, 2021's


# Each case: how the tidy file breaks a rule, the rule, and the figures the broken record is left out of.
RULE_BREAKS = {
    "8500 LA child ID missing": (lambda t: t.replace("<LAchildID>C00001</LAchildID>", "<LAchildID> </LAchildID>"),
                                 "8500", {}),
    "8590 child with no episode": (lambda t: re.sub(r"<CINdetails>.*?</CINdetails>", "", t, count=1, flags=re.S),
                                   "8590", {}),
    "8600 referral date not a date": (lambda t: t.replace("<CINreferralDate>2020-07-01<",
                                                          "<CINreferralDate>01/07/2020<", 1),
                                      "8600", {"referrals": 1, "re_referrals": 1}),
    "8600 referral date missing": (lambda t: t.replace("<CINreferralDate>2020-07-01</CINreferralDate>", "", 1),
                                   "8600", {"referrals": 1, "re_referrals": 1}),
    "8866 referral source": (lambda t: t.replace("<ReferralSource>6<", "<ReferralSource>Police<", 1), "8866", {}),
    "8650 primary need": (lambda t: t.replace("<PrimaryNeedCode>N1<", "<PrimaryNeedCode>N12<", 1), "8650", {}),
    "8568 referral NFA": (lambda t: t.replace("<ReferralNFA>0<", "<ReferralNFA>totallywrong<", 1), "8568", {}),
    "4220 ethnicity": (lambda t: t.replace("<Ethnicity>WBRI<", "<Ethnicity>XXXX<", 1), "4220", {}),
    "4180 gender": (lambda t: t.replace("<GenderCurrent>1<", "<GenderCurrent>X<", 1), "4180", {}),
    "8540 disability": (lambda t: t.replace("<Disability>NONE<", "<Disability>LEGS<", 1), "8540", {}),
    "8615 S47 start missing": (lambda t: t.replace("<S47ActualStartDate>2020-08-24</S47ActualStartDate>", "", 1),
                               "8615", {"s47_started": 1}),
    "8720 plan start not a date": (lambda t: t.replace("<CPPstartDate>2020-09-14<", "<CPPstartDate>14-09-2020<", 1),
                                   "8720", dict.fromkeys(findings_module.CPP_FIGURES, 1)),
    "8730 previous plans missing": (lambda t: t.replace("<NumberOfPreviousCPP>0</NumberOfPreviousCPP>", "", 1),
                                    "8730", {"cpp_second_or_subsequent": 1}),
    "8905 initial category": (lambda t: t.replace("<InitialCategoryOfAbuse>NEG<", "<InitialCategoryOfAbuse>BAD<", 1),
                              "8905", {}),
    "8910 latest category": (lambda t: t.replace("<LatestCategoryOfAbuse>NEG<", "<LatestCategoryOfAbuse><", 1),
                             "8910", {}),
    "S-CODE assessment factor": (lambda t: t.replace("<AssessmentFactors>11A<", "<AssessmentFactors>RB<", 1),
                                 "S-CODE", {}),
    "S-DATE assessment end": (lambda t: t.replace("<AssessmentAuthorisationDate>2020-09-01<",
                                                  "<AssessmentAuthorisationDate>2020-09-31<", 1),
                              "S-DATE", {"assessments_completed": 1}),
    "S-DATE conference date": (lambda t: t.replace("<DateOfInitialCPC>2020-09-14<", "<DateOfInitialCPC>soon<", 2),
                               "S-DATE", {"icpcs": 1}),
    "S-DATE conference date recorded twice": (lambda t: t.replace("<DateOfInitialCPC>2020-09-14<",
                                                                  "<DateOfInitialCPC>soon<", 1), "S-DATE", {}),
    "S-NUMBER previous plans": (lambda t: t.replace("<NumberOfPreviousCPP>0<", "<NumberOfPreviousCPP>one<", 1),
                                "8730", {"cpp_second_or_subsequent": 1}),
}


@pytest.mark.parametrize("case", list(RULE_BREAKS))
def test_a_rule_broken_loads_with_an_error_and_leaves_out_only_what_it_must(store, tmp_path, clean, case):
    breaks, rule, left_out = RULE_BREAKS[case]
    text = breaks(samples.cin_xml(3))
    assert text != samples.cin_xml(3)
    result, figures = load(store, tmp_path, text)
    found = rules_of(result)
    assert result.findings.outcome == "errors" and rule in found and found[rule]["severity"] == "error", found
    assert dict(result.findings.left_out) == left_out
    detail = next(d for d in result.findings.details if d["rule"] == rule)
    assert detail["where"].startswith("line ") and "child 1" in detail["where"]
    for figure, count in left_out.items():
        if clean[figure] == 0:
            continue  # the tidy file has none of these to lose
        assert figures[figure] == clean[figure] - count, figure


def test_the_child_is_named_by_pseudonym_only(store, tmp_path):
    text = samples.cin_xml(1).replace("<Ethnicity>WBRI<", "<Ethnicity>XXXX<")
    result = import_return([samples.write(tmp_path, "cin.xml", text)], la="210", store=store)
    detail = next(d for d in result.findings.details if d["rule"] == "4220")
    assert detail["child"] and "C00001" not in str(result.findings.details)
    assert detail["child"] == store.query("SELECT child_id FROM {schema}.cin_children")[0][0]


def test_refused_past_the_threshold_and_loaded_below_it(store, tmp_path):
    """Refused when an indicator field is unreadable in more than 2% of its records and more than 5 of them."""
    def with_bad_referrals(children, bad):
        text = samples.cin_xml(children)
        return text.replace("<CINreferralDate>2020-07-01<", "<CINreferralDate>2020-07-32<", bad)

    below = import_return([samples.write(tmp_path / "a", "cin.xml", with_bad_referrals(400, 8))], la="210",
                          store=store)  # 8 of 400: 2%
    assert below.findings.left_out["referrals"] == 8
    before = store.loaded_returns()
    with pytest.raises(ReturnRejected) as refused:
        import_return([samples.write(tmp_path / "b", "cin.xml", with_bad_referrals(400, 9))], la="210", store=store)
    assert "CINreferralDate: 9 of the 400 records with CINreferralDate have no date" in str(refused.value)
    assert store.loaded_returns() == before
    small = import_return([samples.write(tmp_path / "c", "cin.xml", with_bad_referrals(3, 3))], la="210",
                          store=store)  # 3 of 3, but only 3
    assert small.findings.left_out["referrals"] == 3


PEERS = PEER_RETURNS / "cin"


@needs_peer_returns
@pytest.mark.parametrize("name", sorted(p.name for p in PEERS.glob("*.xml")) if PEERS.is_dir() else [])
def test_other_teams_cin_files_load(store, tmp_path, name):
    from safeguarding.returns.quality import run_checks

    result = import_return([PEERS / name], la="201", store=store)
    run_checks(store, la="201", year=result.year, kind="cin", findings=result.findings)
    assert result.counts["children"] >= 1 and result.findings.outcome == "errors"
    found = rules_of(result)
    assert "L-BOOL" in found  # true/false for 1/0
    if name == "CIN_Census_2021.xml":
        assert found["8568"]["count"] == 1 and found["S-DATE"]["count"] == 1  # 'totallywrong', 'Notadate'


@pytest.mark.parametrize("element, second", [
    ("LAchildID", "<LAchildID>OTHER1</LAchildID>"),
    ("UPN", "<UPN>B123456780000</UPN>"),
    ("PersonBirthDate", "<PersonBirthDate>2010-01-01</PersonBirthDate>"),
    ("CINreferralDate", "<CINreferralDate>2020-09-01</CINreferralDate>"),
])
def test_an_element_written_twice_is_an_error_and_the_first_is_read(store, tmp_path, clean, element, second):
    """A child with two UPNs or two referral dates: which is right cannot be told. The first is read, the
    second is an error naming the element and where it is, and the figures are those of the first."""
    tidy = samples.cin_xml(3)
    first = re.search(rf"<{element}>[^<]*</{element}>", tidy).group(0)
    result, figures = load(store, tmp_path, tidy.replace(first, first + second, 1))
    assert result.findings.outcome == "errors"
    found = rules_of(result)["S-TWICE"]
    assert found["count"] == 1 and found["severity"] == "error"
    detail = next(d for d in result.findings.details if d["rule"] == "S-TWICE")
    assert detail["field"] == element and "written more than once" in detail["message"]
    assert figures == clean
