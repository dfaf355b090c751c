"""The DfE's CIN census rules (issue 12, point 3): for each rule, a small file that breaks it flags the child that
breaks it under the rule's number, and a tidy file breaks none; then the same children, under the same numbers, as
the DfE's own package (csc-validator-be-cin, run from its own venv) on the same files, every collection year, with
the differences we keep listed in KEPT_DIFFERENCES (and docs/returns.md).

Files are built here from a tidy child (tidy()), each case changing it in one way."""
import datetime
import hashlib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from safeguarding.returns.cin_rules import RULE_NUMBERS, SEX_YEAR
from safeguarding.returns.identifiers import Pseudonymiser
from safeguarding.returns.importer import import_return
from safeguarding.returns.quality import run_checks
from safeguarding.working_days import is_working_day
from tests.returns import samples
from tests.returns.peer_validators import PEER_RETURNS, peer_run, peer_validators  # noqa: F401 (the fixture)
from tests.skips import needs_peer_returns

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = datetime.timedelta(days=1)
YEARS = (2021, 2022, 2023, 2024, 2025, 2026)

# -- a child as nested dicts, written as XML in the schema's order -------------------------------------------------
ORDER = {
    "Child": ["ChildIdentifiers", "ChildCharacteristics", "CINdetails"],
    "ChildIdentifiers": ["LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate", "ExpectedPersonBirthDate",
                         "GenderCurrent", "Sex", "PersonDeathDate"],
    "ChildCharacteristics": ["Ethnicity", "Disabilities"],
    "Disabilities": ["Disability"],
    "CINdetails": ["CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate", "ReasonForClosure",
                   "DateOfInitialCPC", "Assessments", "CINPlanDates", "Section47", "ReferralNFA",
                   "ChildProtectionPlans"],
    "Assessments": ["AssessmentActualStartDate", "AssessmentAuthorisationDate", "FactorsIdentifiedAtAssessment"],
    "FactorsIdentifiedAtAssessment": ["AssessmentFactors"],
    "CINPlanDates": ["CINPlanStartDate", "CINPlanEndDate"],
    "Section47": ["S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired"],
    "ChildProtectionPlans": ["CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse", "LatestCategoryOfAbuse",
                             "NumberOfPreviousCPP", "Reviews"],
    "Reviews": ["CPPreviewDate"],
}


def xml(name, value):
    if value is None:
        return ""
    if isinstance(value, list):
        return "".join(xml(name, item) for item in value)
    if isinstance(value, dict):
        assert set(value) <= set(ORDER[name]), set(value) - set(ORDER[name])
        return f"<{name}>" + "".join(xml(key, value[key]) for key in ORDER[name] if key in value) + f"</{name}>"
    return f"<{name}>{value}</{name}>"


MESSAGE = """<?xml version="1.0" encoding="utf-8"?>
<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>{year}</Year>
<ReferenceDate>{reference}</ReferenceDate></CollectionDetails><Source><SourceLevel>L</SourceLevel><LEA>210</LEA>
<SoftwareCode>Test</SoftwareCode><Release>1</Release><SerialNo>001</SerialNo><DateTime>{reference}T09:00:00</DateTime>
</Source></Header><Children>
{children}
</Children></Message>
"""


def message(children, year, header_year=None):
    return MESSAGE.format(year=header_year or year, reference=D(year, 3, 31),
                          children="\n".join(xml("Child", child) for child in children))


def working(day, step=1):
    """The day if a working day, else the next (step -1: the previous) one."""
    while not is_working_day(day):
        day += step * DAY
    return day


def weekend(day):
    while day.weekday() != 5:
        day += DAY
    return day


def upn(cid):
    return "A" + str(int(hashlib.sha256(cid.encode()).hexdigest(), 16))[:12]


def tidy(cid, year):
    """A child who breaks no rule: referred in June, assessed, a Section 47 enquiry and its conference, a plan from
    the conference with a review, then a CIN plan, and the referral closed in the autumn."""
    referral = working(D(year - 1, 6, 1))
    start = working(referral + DAY)
    enquiry = working(referral + 5 * DAY)
    conference = working(enquiry + 10 * DAY)
    plan_end = working(conference + 100 * DAY)
    cin_plan = working(plan_end + DAY)
    closure = working(cin_plan + 30 * DAY)
    sex = {"Sex": "M"} if year >= SEX_YEAR else {"GenderCurrent": "1"}
    return {
        "ChildIdentifiers": {"LAchildID": cid, "UPN": upn(cid), "PersonBirthDate": D(year - 10, 5, 17), **sex},
        "ChildCharacteristics": {"Ethnicity": "WBRI", "Disabilities": {"Disability": ["NONE"]}},
        "CINdetails": [{
            "CINreferralDate": referral, "ReferralSource": "6", "PrimaryNeedCode": "N1", "CINclosureDate": closure,
            "ReasonForClosure": "RC1",
            "Assessments": [{"AssessmentActualStartDate": start,
                             "AssessmentAuthorisationDate": working(start + 20 * DAY),
                             "FactorsIdentifiedAtAssessment": {"AssessmentFactors": ["3B"]}}],
            "CINPlanDates": [{"CINPlanStartDate": cin_plan, "CINPlanEndDate": working(cin_plan + 20 * DAY)}]
            if year >= 2022 else None,  # the 2021 census had no CIN plan dates
            "Section47": [{"S47ActualStartDate": enquiry, "InitialCPCtarget": conference,
                           "DateOfInitialCPC": conference, "ICPCnotRequired": "0"}],
            "ReferralNFA": "0",
            "ChildProtectionPlans": [{"CPPstartDate": conference, "CPPendDate": plan_end,
                                      "InitialCategoryOfAbuse": "NEG", "LatestCategoryOfAbuse": "NEG",
                                      "NumberOfPreviousCPP": "0",
                                      "Reviews": {"CPPreviewDate": working(conference + 60 * DAY)}}],
        }],
    }


# Parts of a child, for the cases to change.
def ids(c):
    return c["ChildIdentifiers"]


def ep(c, n=0):
    return c["CINdetails"][n]


def asm(c, n=0):
    return ep(c)["Assessments"][n]


def s47(c, n=0):
    return ep(c)["Section47"][n]


def cpp(c, n=0):
    return ep(c)["ChildProtectionPlans"][n]


def cin_plan(c):
    return ep(c)["CINPlanDates"][0]


def drop(part, *keys):
    for key in keys:
        part.pop(key, None)


def reopen(c):
    drop(ep(c), "CINclosureDate", "ReasonForClosure")


def bare_episode(referral, *, nfa="1", closure=None):
    episode = {"CINreferralDate": referral, "ReferralSource": "6", "PrimaryNeedCode": "N1", "ReferralNFA": nfa}
    if closure:
        episode.update(CINclosureDate=closure, ReasonForClosure="RC1")
    return episode


def other(c, year):
    """A second child like this one (for rules about two children)."""
    twin = tidy(ids(c)["LAchildID"] + "B", year)
    return twin


def unborn(c, year):
    drop(ids(c), "PersonBirthDate")
    ids(c)["ExpectedPersonBirthDate"] = D(year, 5, 1)


def set_sex(c, year, gender, sex):
    drop(ids(c), "GenderCurrent", "Sex")
    ids(c).update({"Sex": sex} if year >= SEX_YEAR else {"GenderCurrent": gender})


def assessment(start, end=None, factors=("3B",)):
    part = {"AssessmentActualStartDate": start, "FactorsIdentifiedAtAssessment": {"AssessmentFactors": list(factors)}}
    if end:
        part["AssessmentAuthorisationDate"] = end
    return part


# -- the cases --------------------------------------------------------------------------------------------------------
# name -> (rule, how the tidy child c of collection year y is changed (it may return more children), the years the
# case applies to). A change may break other rules too: the test of each rule asserts its own rule only, and the
# comparison with the DfE's package compares every rule on every child.
def case_8510(c, y):
    """A second child with the same LA child ID, referred after the first child's referral closed."""
    twin = tidy(ids(c)["LAchildID"], y)
    ids(twin)["UPN"] = upn("twin of " + ids(c)["LAchildID"])
    twin["CINdetails"] = [bare_episode(working(D(y, 1, 10)), closure=working(D(y, 1, 20)))]
    return [twin]


def case_1520(c, y):
    twin = other(c, y)
    ids(twin)["UPN"] = ids(c)["UPN"]
    return [twin]


def case_2886q(c, y):
    """Three children born, sex not known: more than 2% of the batch files' children too."""
    more = [other(c, y), other(c, y)]
    ids(more[1])["LAchildID"] += "B"
    ids(more[1])["UPN"] = upn(ids(more[1])["LAchildID"])
    for child in [c] + more:
        set_sex(child, y, "0", "U")
    return more


def case_8569q(c, y):
    c["CINdetails"].insert(0, bare_episode(D(y - 1, 3, 20), closure=D(y - 1, 4, 3)))


def two_open(c, y):
    reopen(c)
    c["CINdetails"].append(bare_episode(working(D(y, 2, 1)), nfa="0"))


def case_8816(c, y):
    reopen(c)
    c["CINdetails"].append(bare_episode(working(D(y, 2, 1)), nfa="0", closure=working(D(y, 2, 20))))


def case_8820(c, y):
    c["CINdetails"].append(bare_episode(working(ep(c)["CINreferralDate"] + 10 * DAY), nfa="0",
                                        closure=working(ep(c)["CINreferralDate"] + 30 * DAY)))


def only_episode(c, **values):
    episode = ep(c)
    for key in ("DateOfInitialCPC", "Assessments", "CINPlanDates", "Section47", "ChildProtectionPlans"):
        if key not in values:
            episode.pop(key, None)
    episode.update(values)


def second_assessment(c, y, *, offset, authorised=True):
    first = asm(c)
    start = working(first["AssessmentActualStartDate"] + offset * DAY)
    ep(c)["Assessments"].append(assessment(start, working(start + 20 * DAY) if authorised else None))


def second_enquiry(c, y, *, icpc=True):
    first = s47(c)
    start = working(first["S47ActualStartDate"] + DAY)
    enquiry = {"S47ActualStartDate": start, "InitialCPCtarget": first["InitialCPCtarget"],
               "ICPCnotRequired": "0"}
    if icpc:
        enquiry["DateOfInitialCPC"] = first["DateOfInitialCPC"]
    ep(c)["Section47"].append(enquiry)


def no_conference(c):
    drop(s47(c), "DateOfInitialCPC")


def second_plan(c, *, start, end=None, episode=0):
    plan = dict(cpp(c), CPPstartDate=start)
    plan.pop("Reviews", None)
    plan.pop("CPPendDate", None)
    if end:
        plan["CPPendDate"] = end
    ep(c, episode).setdefault("ChildProtectionPlans", []).append(plan)


def case_8935_other_episode(c, y):
    """Two open plans, each the first of its referral: the package's per-referral counter sees the same plan."""
    drop(cpp(c), "CPPendDate")
    reopen(c)
    later = working(D(y, 2, 1))
    c["CINdetails"].append(dict(bare_episode(later, nfa="0"), ChildProtectionPlans=[
        {**{k: v for k, v in cpp(c).items() if k != "Reviews"}, "CPPstartDate": later}]))


def case_8940_other_episode(c, y):
    """Overlapping plans, each the first of its referral: the package never compares them."""
    later = working(cpp(c)["CPPstartDate"] + 10 * DAY)
    c["CINdetails"].append(dict(bare_episode(later, nfa="0", closure=working(later + 5 * DAY)),
                                ChildProtectionPlans=[{**{k: v for k, v in cpp(c).items() if k != "Reviews"},
                                                       "CPPstartDate": later, "CPPendDate": working(later + 3 * DAY)}]))


def during_cin_plan(c, y):
    """A CIN plan over the plan's review: from a month after the conference to three months after."""
    conference = cpp(c)["CPPstartDate"]
    cin_plan(c).update(CINPlanStartDate=working(conference + 30 * DAY), CINPlanEndDate=working(conference + 90 * DAY))


ALL, FROM_2022, FROM_SEX = YEARS, YEARS[1:], tuple(y for y in YEARS if y >= SEX_YEAR)
TO_SEX = tuple(y for y in YEARS if y < SEX_YEAR)
CASES = {
    # rules checked as the file is read
    "8500 no LA child ID": ("8500", lambda c, y: ids(c).update(LAchildID=""), ALL),
    "8590 no episode": ("8590", lambda c, y: drop(c, "CINdetails"), ALL),
    "8600 no referral date": ("8600", lambda c, y: drop(ep(c), "CINreferralDate"), ALL),
    "8600 referral after the year": ("8600", lambda c, y: c["CINdetails"].append(
        bare_episode(working(D(y, 4, 10)))), ALL),
    "8866 referral source": ("8866", lambda c, y: ep(c).update(ReferralSource="99"), ALL),
    "8650 primary need": ("8650", lambda c, y: ep(c).update(PrimaryNeedCode="N12"), ALL),
    "8640 reason for closure": ("8640", lambda c, y: ep(c).update(ReasonForClosure="RC99"), ALL),
    "8568 referral NFA": ("8568", lambda c, y: ep(c).update(ReferralNFA="maybe"), ALL),
    "4220 ethnicity": ("4220", lambda c, y: c["ChildCharacteristics"].update(Ethnicity="XXXX"), ALL),
    "4180 sex": ("4180", lambda c, y: set_sex(c, y, "X", "X"), ALL),
    "8540 disability code": ("8540", lambda c, y: c["ChildCharacteristics"].update(
        Disabilities={"Disability": ["LEGS"]}), ALL),
    "8540 no disability": ("8540", lambda c, y: c["ChildCharacteristics"].pop("Disabilities"), ALL),
    "8615 enquiry starts after its conference": ("8615", lambda c, y: s47(c).update(
        S47ActualStartDate=working(s47(c)["DateOfInitialCPC"] + DAY)), ALL),
    "8615 conference with no enquiry start": ("8615", lambda c, y: drop(s47(c), "S47ActualStartDate"), ALL),
    "8720 no plan start": ("8720", lambda c, y: drop(cpp(c), "CPPstartDate"), ALL),
    "8720 plan starts after the year": ("8720", lambda c, y: (reopen(c), drop(cpp(c), "CPPendDate"), cpp(c).update(
        CPPstartDate=working(D(y, 4, 10))), drop(cpp(c), "Reviews")), ALL),
    "8730 previous plans": ("8730", lambda c, y: drop(cpp(c), "NumberOfPreviousCPP"), ALL),
    "8905 initial category": ("8905", lambda c, y: cpp(c).update(InitialCategoryOfAbuse="BAD"), ALL),
    "8910 latest category": ("8910", lambda c, y: cpp(c).update(LatestCategoryOfAbuse="BAD"), ALL),
    "1570 long LA child ID": ("1570", lambda c, y: ids(c).update(LAchildID=ids(c)["LAchildID"] + "X" * 20),
                              FROM_SEX),
    "1580 LA child ID with a hyphen": ("1580", lambda c, y: ids(c).update(LAchildID=ids(c)["LAchildID"] + "-1"),
                                       FROM_SEX),
    "8535Q death before birth": ("8535Q", lambda c, y: ids(c).update(PersonDeathDate=D(y - 11, 1, 1)), ALL),
    "8606 referral long before birth": ("8606", lambda c, y: ids(c).update(
        PersonBirthDate=ep(c)["CINreferralDate"] + 290 * DAY), ALL),
    "8775Q over 25": ("8775Q", lambda c, y: (ids(c).update(PersonBirthDate=D(y - 27, 5, 17)), reopen(c)), ALL),
    "8610 no primary need": ("8610", lambda c, y: drop(ep(c), "PrimaryNeedCode"), ALL),
    "8805 closed with no reason": ("8805", lambda c, y: drop(ep(c), "ReasonForClosure"), ALL),
    "8810 reason with no closure": ("8810", lambda c, y: drop(ep(c), "CINclosureDate"), ALL),
    "8614 factors, not authorised": ("8614", lambda c, y: drop(asm(c), "AssessmentAuthorisationDate"), ALL),
    "8897Q factor not in the list": ("8897Q", lambda c, y: asm(c).update(
        FactorsIdentifiedAtAssessment={"AssessmentFactors": ["3B", "RB"]}), ALL),
    "8897Q no factor": ("8897Q", lambda c, y: drop(asm(c), "FactorsIdentifiedAtAssessment"), ALL),
    "8898 factor twice": ("8898", lambda c, y: asm(c).update(
        FactorsIdentifiedAtAssessment={"AssessmentFactors": ["3B", "3B"]}), ALL),
    # rules checked on the stored return: the child
    "8510 same LA child ID twice": ("8510", case_8510, ALL),
    "1520 same UPN twice": ("1520", case_1520, ALL),
    "8520 born after the year": ("8520", lambda c, y: ids(c).update(PersonBirthDate=D(y, 5, 1)), ALL),
    "8525Q both birth dates": ("8525Q", lambda c, y: ids(c).update(ExpectedPersonBirthDate=D(y - 10, 5, 20)), ALL),
    "8525Q neither birth date": ("8525Q", lambda c, y: drop(ids(c), "PersonBirthDate"), ALL),
    "8750 unborn, sex known": ("8750", unborn, ALL),
    "2886Q sex not known": ("2886Q", case_2886q, ALL),
    "8770Q no UPN": ("8770Q", lambda c, y: drop(ids(c), "UPN"), ALL),
    "8772 UN7 taken further": ("8772", lambda c, y: (drop(ids(c), "UPN"), ids(c).update(UPNunknown="UN7")), ALL),
    # the referral
    "8555Q referral after death": ("8555Q", lambda c, y: ids(c).update(
        PersonDeathDate=ep(c)["CINreferralDate"] - 20 * DAY), ALL),
    "8569Q earlier referral, no further action": ("8569Q", case_8569q, ALL),
    "8620 closed after the year": ("8620", lambda c, y: ep(c).update(CINclosureDate=working(D(y, 4, 10))), ALL),
    "8630 closed before referral": ("8630", lambda c, y: only_episode(
        c, CINclosureDate=ep(c)["CINreferralDate"] - DAY), ALL),
    "8815 two open referrals": ("8815", two_open, ALL),
    "8816 open referral not the latest": ("8816", case_8816, ALL),
    "8820 referrals overlap": ("8820", case_8820, ALL),
    "2990 RC8 with a plan": ("2990", lambda c, y: ep(c).update(ReasonForClosure="RC8"), ALL),
    "8825Q RC8 with no assessment": ("8825Q", lambda c, y: only_episode(c, ReasonForClosure="RC8"), ALL),
    "8831 NFA with an assessment": ("8831", lambda c, y: (ep(c).update(ReferralNFA="1"), drop(
        ep(c), "ChildProtectionPlans", "CINPlanDates", "Section47")), ALL),
    "8832 NFA with a plan": ("8832", lambda c, y: (ep(c).update(ReferralNFA="1"), drop(
        ep(c), "Assessments", "CINPlanDates", "Section47")), ALL),
    "4000 NFA with a CIN plan": ("4000", lambda c, y: (ep(c).update(ReferralNFA="1"), drop(
        ep(c), "Assessments", "ChildProtectionPlans", "Section47")), FROM_2022),
    "8565 assessed after closure": ("8565", lambda c, y: ep(c).update(CINclosureDate=working(
        asm(c)["AssessmentAuthorisationDate"] - DAY, -1)), ALL),
    "2884 conference recorded twice": ("2884", lambda c, y: ep(c).update(
        DateOfInitialCPC=s47(c)["DateOfInitialCPC"]), ALL),
    "1104 conference before referral": ("1104", lambda c, y: s47(c).update(
        DateOfInitialCPC=working(ep(c)["CINreferralDate"] - DAY, -1)), ALL),
    "8715 conference after the year": ("8715", lambda c, y: (reopen(c), s47(c).update(
        DateOfInitialCPC=working(D(y, 4, 10)))), ALL),
    "8875 conference on a Saturday": ("8875", lambda c, y: (s47(c).update(DateOfInitialCPC=weekend(
        s47(c)["DateOfInitialCPC"])), cpp(c).update(CPPstartDate=weekend(s47(c)["DateOfInitialCPC"]))), ALL),
    # assessments
    "1103 assessed before referral": ("1103", lambda c, y: asm(c).update(
        AssessmentActualStartDate=working(ep(c)["CINreferralDate"] - DAY, -1)), ALL),
    "8608 authorised before it started": ("8608", lambda c, y: asm(c).update(
        AssessmentActualStartDate=working(asm(c)["AssessmentAuthorisationDate"] + DAY)), ALL),
    "8696 authorised after the year": ("8696", lambda c, y: (reopen(c), asm(c).update(
        AssessmentAuthorisationDate=working(D(y, 4, 10)))), ALL),
    "8736 not authorised, started before the year": ("8736", lambda c, y: (reopen(c), ep(c)["Assessments"].append(
        assessment(working(D(y - 1, 3, 10)), factors=()))), ALL),
    "8670Q not authorised in 45 working days": ("8670Q", lambda c, y: (reopen(c), ep(c)["Assessments"].append(
        assessment(working(D(y, 1, 10)), factors=()))), ALL),
    "8863Q assessments overlap": ("8863Q", lambda c, y: second_assessment(c, y, offset=5), ALL),
    "8896 two assessments not authorised": ("8896", lambda c, y: (reopen(c), ep(c)["Assessments"].extend(
        [assessment(working(D(y, 3, 20)), factors=()), assessment(working(D(y, 3, 25)), factors=())])), ALL),
    "8867 closed, assessment not authorised": ("8867", lambda c, y: ep(c)["Assessments"].append(
        assessment(working(ep(c)["CINclosureDate"] - 3 * DAY, -1), factors=())), ALL),
    "2991Q enquiry with no assessment": ("2991Q", lambda c, y: drop(ep(c), "Assessments"), ALL),
    "8873Q only assessment found nothing": ("8873Q", lambda c, y: asm(c).update(
        FactorsIdentifiedAtAssessment={"AssessmentFactors": ["21"]}), ALL),
    # Section 47 enquiries and conferences
    "2889 enquiry before referral": ("2889", lambda c, y: s47(c).update(
        S47ActualStartDate=working(ep(c)["CINreferralDate"] - DAY, -1)), ALL),
    "8740 awaiting conference, started before the year": ("8740", lambda c, y: (
        ep(c).update(CINreferralDate=working(D(y - 1, 3, 2))), asm(c).update(
            AssessmentActualStartDate=working(D(y - 1, 3, 3))), s47(c).update(
            S47ActualStartDate=working(D(y - 1, 3, 10))), no_conference(c), reopen(c),
        drop(ep(c), "ChildProtectionPlans")), ALL),
    "8675Q no conference in 15 working days": ("8675Q", lambda c, y: (no_conference(c), reopen(c)), ALL),
    "8839 two enquiries awaiting conference": ("8839", lambda c, y: (no_conference(c), reopen(c), second_enquiry(
        c, y, icpc=False)), ALL),
    "8868 closed, enquiry awaiting conference": ("8868", lambda c, y: no_conference(c), ALL),
    "8890 enquiries overlap": ("8890", lambda c, y: second_enquiry(c, y), ALL),
    "2885 plan not from a conference": ("2885", lambda c, y: cpp(c).update(
        CPPstartDate=working(cpp(c)["CPPstartDate"] + DAY)), ALL),
    "2883 more plans than conferences": ("2883", lambda c, y: (no_conference(c), s47(c).update(
        ICPCnotRequired="1")), ALL),
    # plans
    "1105 plan before referral": ("1105", lambda c, y: cpp(c).update(
        CPPstartDate=working(ep(c)["CINreferralDate"] - DAY, -1)), ALL),
    "8925 plan ends before it starts": ("8925", lambda c, y: cpp(c).update(
        CPPendDate=working(cpp(c)["CPPstartDate"] - DAY, -1)), ALL),
    "8840 plan starts and ends the same day": ("8840", lambda c, y: cpp(c).update(
        CPPendDate=cpp(c)["CPPstartDate"]), ALL),
    "8930 plan ends after the year": ("8930", lambda c, y: (reopen(c), cpp(c).update(
        CPPendDate=working(D(y, 4, 10)))), ALL),
    "8935 two open plans": ("8935", case_8935_other_episode, ALL),
    "8940 plans overlap": ("8940", lambda c, y: second_plan(c, start=working(cpp(c)["CPPstartDate"] + 10 * DAY),
                                                            end=working(cpp(c)["CPPstartDate"] + 20 * DAY)), ALL),
    "8915 plan after death": ("8915", lambda c, y: ids(c).update(
        PersonDeathDate=cpp(c)["CPPstartDate"] - DAY), ALL),
    "8920 plan ends after death": ("8920", lambda c, y: ids(c).update(
        PersonDeathDate=cpp(c)["CPPstartDate"] + 2 * DAY), ALL),
    "8841 review before the plan": ("8841", lambda c, y: cpp(c).update(
        Reviews={"CPPreviewDate": cpp(c)["CPPstartDate"] - DAY}), ALL),
    "8842Q review with no date": ("8842Q", lambda c, y: cpp(c).update(Reviews={"CPPreviewDate": "soon"}), ALL),
    "4001 open plan and open CIN plan": ("4001", lambda c, y: (reopen(c), drop(cpp(c), "CPPendDate"),
                                                               drop(cin_plan(c), "CINPlanEndDate")), FROM_2022),
    "4003 plan review during a CIN plan": ("4003", during_cin_plan, FROM_2022),
    "4016 CIN plan starts during a plan": ("4016", lambda c, y: cin_plan(c).update(
        CINPlanStartDate=working(cpp(c)["CPPstartDate"] + 70 * DAY)), FROM_2022),
    "4017 plan starts during a CIN plan": ("4017", lambda c, y: cin_plan(c).update(
        CINPlanStartDate=working(ep(c)["CINreferralDate"] + DAY)), FROM_2022),
    "4015 CIN plan before referral": ("4015", lambda c, y: cin_plan(c).update(
        CINPlanStartDate=working(ep(c)["CINreferralDate"] - DAY, -1)), FROM_2022),
    # rules the DfE's package never reports (KEPT_DIFFERENCES)
    "8869 factor 21 and another": ("8869", lambda c, y: asm(c).update(
        FactorsIdentifiedAtAssessment={"AssessmentFactors": ["21", "3B"]}), ALL),
    "8945Q factor 18A": ("8945Q", lambda c, y: asm(c).update(
        FactorsIdentifiedAtAssessment={"AssessmentFactors": ["18A"]}), FROM_SEX),
    "8950Q factor 19A": ("8950Q", lambda c, y: asm(c).update(
        FactorsIdentifiedAtAssessment={"AssessmentFactors": ["19A"]}), FROM_SEX),
    "8870Q target on a Saturday": ("8870Q", lambda c, y: s47(c).update(
        InitialCPCtarget=weekend(s47(c)["InitialCPCtarget"])), ALL),
}
# A case child that also shows a kept difference of another rule: case -> (rule, who flags it).
ALSO_SHOWS = {"8935 two open plans": ("8940", "ours")}

# Where we deliberately differ from the DfE's package (docs/returns.md, "Differences from the DfE's package").
# Where the DfE's package and we differ, deliberately (docs/returns.md, "Differences from the DfE's package"): rule ->
# why. The rules of NEVER_REPORTED the package reports on none of our files; for the others, the children of
# DIFFERENCE_CASES show the difference and every other child must be the same.
KEPT_DIFFERENCES = {
    "8540": "the package's rule fails inside (a KeyError it does not report) and never flags a child; we flag a "
            "disability code outside the list, and a born child referred for further action with none",
    "8614": "the package's rule fails (TypeError, reported as passed) whenever an assessment breaks it",
    "8897Q": "the package's rule fails (TypeError, reported as passed) whenever an assessment breaks it",
    "8898": "the package's rule fails (TypeError, reported as passed) whenever an assessment breaks it",
    "8565": "the package's rule fails (ValueError, reported as passed) on our files that break it, and its plan part "
            "compares with a fixed table of its own instead of the return's plans; we flag any activity dated after "
            "the referral closed, a plan's end included",
    "8869": "factor 21 (no factors) with another factor: the package compares the list of factors as text, so never "
            "flags it",
    "8945Q": "factor 18A, from 2024-25: never flagged by the package (as 8869)",
    "8950Q": "factor 19A, from 2024-25: never flagged by the package (as 8869)",
    "8870Q": "a conference target date at a weekend: the package reads the date day first, so never an XML date",
    "8832": "the package swaps the row numbers of the referrals' and the plans' tables, so it names the child whose "
            "plan happens to sit at the referral's row number; we name the child whose referral has the plan",
    "8935": "two open plans in the same referral: the package counts plans per referral as if per child, so it "
            "flags only open plans in different referrals at the same position",
    "8940": "overlapping plans at the same position in different referrals: the package never compares them",
    "8841": "a review before its plan started that is not the plan's first review: the package reads the first only",
    "2886Q": "to 2023-24 the package never flags it (its condition is always false); we apply the DfE's rule",
    "1104": "a conference recorded on the referral, before it: the package reads only a Section 47's conference",
    "8715": "a conference recorded on the referral, outside the year: the package reads only a Section 47's",
    "8875": "a conference recorded on the referral, at a weekend: the package reads only a Section 47's",
    "8740": "ICPCnotRequired written 'false': we read it as 0, the package only the text '0'",
    "4180": "GenderCurrent in a year of Sex is read, with a warning; the package wants the year's own element",
    "8615": "an enquiry with no start date is an error whether or not it had a conference (the schema requires the "
            "date); the package flags it only when a conference date is recorded",
}
NEVER_REPORTED = {"8540", "8614", "8897Q", "8898", "8869", "8945Q", "8950Q", "8870Q"}
WHOLE_RULE = NEVER_REPORTED | {"8832"}  # not compared child by child
MAY_FAIL = NEVER_REPORTED | {"8565"}  # rules the package may fail on (and report as passed)

# Children that show each kept difference: name -> (rule, who flags them: "ours" or "package", change, years).
DIFFERENCE_CASES = {
    "8565 plan ends after closure": ("8565", "ours", lambda c, y: (drop(ep(c), "CINPlanDates"), ep(c).update(
        CINclosureDate=working(cpp(c)["CPPendDate"] - DAY, -1))), ALL),
    "8935 two open plans in one referral": ("8935", "ours", lambda c, y: (reopen(c), drop(cpp(c), "CPPendDate"),
                                                                        second_plan(c, start=working(D(y, 2, 1)))),
                                            ALL),
    "8940 first plans of two referrals overlap": ("8940", "ours", case_8940_other_episode, ALL),
    "8841 second review before the plan": ("8841", "ours", lambda c, y: cpp(c).update(
        Reviews={"CPPreviewDate": [cpp(c)["Reviews"]["CPPreviewDate"], cpp(c)["CPPstartDate"] - DAY]}), ALL),
    "1104 conference on the referral before it": ("1104", "ours", lambda c, y: ep(c).update(
        DateOfInitialCPC=working(ep(c)["CINreferralDate"] - DAY, -1)), ALL),
    "8715 conference on the referral after the year": ("8715", "ours", lambda c, y: (reopen(c), ep(c).update(
        DateOfInitialCPC=working(D(y, 4, 10)))), ALL),
    "8875 conference on the referral on a Saturday": ("8875", "ours", lambda c, y: ep(c).update(
        DateOfInitialCPC=weekend(ep(c)["CINreferralDate"])), ALL),
    "8740 ICPCnotRequired false": ("8740", "ours", lambda c, y: (CASES[
        "8740 awaiting conference, started before the year"][1](c, y), s47(c).update(ICPCnotRequired="false")), ALL),
    "4180 GenderCurrent in a year of Sex": ("4180", "package", lambda c, y: (
        drop(ids(c), "Sex"), ids(c).update(GenderCurrent="1")), FROM_SEX),
    "8615 no enquiry start, no conference": ("8615", "ours", lambda c, y: (
        drop(s47(c), "S47ActualStartDate"), no_conference(c), reopen(c)), ALL),
}
def build(case, cid, year, table=CASES):
    """The children of a case: the changed child (and any it brings along)."""
    change = table[case][-2]
    child = tidy(cid, year)
    more = change(child, year)
    return [child] + (more if isinstance(more, list) else [])


def pseudonym(cid):
    return Pseudonymiser().child("210", cid)


def load(store, tmp_path, text, year):
    path = samples.write(tmp_path, f"cin-{year}.xml", text)
    result = import_return([path], la="210", store=store)
    assert result.year == year
    run_checks(store, la="210", year=year, kind="cin", findings=result.findings)
    return result.findings, path


def flagged(findings):
    """{rule: {child pseudonyms, or None for a finding with no child}} of the DfE rules."""
    found = {}
    for detail in findings.details:
        if detail["rule"] in RULE_NUMBERS:
            found.setdefault(detail["rule"], set()).add(detail["child"] or None)
    return found


def first_year(years):
    return 2023 if 2023 in years else years[0]


@pytest.mark.parametrize("year", YEARS)
def test_a_tidy_return_breaks_no_rule(store, tmp_path, year):
    findings, _ = load(store, tmp_path, message([tidy(f"T{n}", year) for n in range(3)], year), year)
    assert flagged(findings) == {}, findings.summary()
    assert findings.count("error") == 0, findings.summary()


@pytest.mark.parametrize("case", list(CASES))
def test_each_rule_flags_the_child_that_breaks_it(store, tmp_path, case):
    rule, _, years = CASES[case]
    year = first_year(years)
    children = [tidy("T1", year)] + build(case, "X1", year)
    findings, _ = load(store, tmp_path, message(children, year), year)
    found = flagged(findings)
    assert rule in found, (case, findings.summary())
    assert findings.rules[rule].severity == "error"
    breaker = ids(children[1])["LAchildID"]
    if rule in ("2883", "2886Q", "100"):
        assert found[rule] == {None}
    elif breaker:
        assert pseudonym(breaker) in found[rule], found[rule]
    assert not any(pseudonym("T1") in children_ for children_ in found.values()), found


def test_100_reference_date_not_31_march_of_the_year(store, tmp_path):
    text = message([tidy("T1", 2023)], 2023, header_year=2022)
    findings, _ = load(store, tmp_path, text, 2023)
    assert flagged(findings) == {"100": {None}}
    assert "L-HEADER" in findings.rules  # and the ReferenceDate is what the year is read from


def test_rule_versions_follow_the_collection_year(store, tmp_path):
    """1570 (a long LA child ID) from 2024-25 only; 8770Q's school age moves to 31 August from 2024-25."""
    for year, expect in ((2024, set()), (2025, {"1570"})):
        child = tidy("T" + "1" * 24, year)
        findings, _ = load(store, tmp_path / str(year), message([child], year), year)
        assert set(flagged(findings)) & {"1570", "1580"} == expect
    for year, flagged_ in ((2024, False), (2025, True)):  # born 1 June, six years before the year ends
        child = tidy("S1", year)
        ids(child).update(PersonBirthDate=D(year - 6, 6, 1))
        drop(ids(child), "UPN")
        for part in ("CINPlanDates", "ChildProtectionPlans"):
            drop(ep(child), part)
        findings, _ = load(store, tmp_path / f"s{year}", message([child], year), year)
        assert ("8770Q" in flagged(findings)) is flagged_, year


# -- the same children as the DfE's package ----------------------------------------------------------------------------
def batch(year):
    """One file of the year: tidy children, then one child per case (each breaking its rule) and per kept
    difference; {LAchildID: case} says which is which."""
    children, who = [tidy(f"T{n}", year) for n in range(3)], {}
    for table, prefix in ((CASES, "C"), (DIFFERENCE_CASES, "K")):
        for n, case in enumerate(table):
            if year not in table[case][-1]:
                continue
            made = build(case, f"{prefix}{n:03d}", year, table)
            for child in made:
                who.setdefault(ids(child)["LAchildID"] or None, case)
            children += made
    return children, who


@pytest.mark.parametrize("year", YEARS)
def test_in_the_files_of_every_year_each_rule_flags_its_child(store, tmp_path, year):
    """The files the DfE's package is run on below, without it: each case's child is flagged under its rule."""
    children, who = batch(year)
    findings, _ = load(store, tmp_path, message(children, year, header_year=year - 1), year)
    found = flagged(findings)
    assert {"100", "2883", "2886Q"} <= set(found)
    for cid, case in who.items():
        if case in CASES and cid:
            rule = CASES[case][0]
            if rule not in ("2883", "2886Q"):
                assert pseudonym(cid) in found.get(rule, ()), (year, case)


@pytest.mark.peer_validators
@pytest.mark.parametrize("year", YEARS)
def test_the_same_children_under_the_same_rules_as_the_dfe_package(store, tmp_path, peer_validators, year):
    children, who = batch(year)
    text = message(children, year, header_year=year - 1)  # and the header breaks rule 100
    findings, path = load(store, tmp_path, text, year)
    back = {pseudonym(cid): cid for cid in who if cid}
    ours = {(rule, back.get(child) if child else None) for rule, kids in flagged(findings).items() for child in kids}
    report = peer_run("cin", [path], year)
    failed = set(report["rules_failed"])
    assert failed <= MAY_FAIL, report["rules_failed"]
    theirs = {(item["rule"], item["child"]) for item in report["findings"] if item["rule"] in RULE_NUMBERS}
    shown = {}  # rule -> children that show a kept difference
    kept = [(cid, *DIFFERENCE_CASES[case][:2]) for cid, case in who.items() if case in DIFFERENCE_CASES]
    kept += [(cid, *ALSO_SHOWS[case]) for cid, case in who.items() if case in ALSO_SHOWS]
    for cid, rule, side in kept:
        shown.setdefault(rule, set()).add(cid)
        if rule in failed:
            continue
        assert ((rule, cid) in ours, (rule, cid) in theirs) == ((True, False) if side == "ours" else
                                                                 (False, True)), (year, who[cid], rule)
    if year < SEX_YEAR:
        assert ("2886Q", None) in ours and ("2886Q", None) not in theirs  # kept: the package never flags it
        shown.setdefault("2886Q", set()).add(None)
    for rule in NEVER_REPORTED:
        assert not {child for r, child in theirs if r == rule}, rule
    for rule in WHOLE_RULE | failed:
        cases = {cid for cid, case in who.items() if case in CASES and CASES[case][0] == rule}
        assert cases <= {child for r, child in ours if r == rule}, rule
    mismatched = {}
    for rule in sorted(RULE_NUMBERS - WHOLE_RULE - failed):
        a = {child for r, child in ours if r == rule} - shown.get(rule, set())
        b = {child for r, child in theirs if r == rule} - shown.get(rule, set())
        if a != b:
            mismatched[rule] = {"ours only": sorted(f"{c} ({who.get(c)})" for c in a - b),
                                "package only": sorted(f"{c} ({who.get(c)})" for c in b - a)}
    assert mismatched == {}, "\n".join(f"{rule}: {sides}" for rule, sides in mismatched.items())
    assert set(shown) | WHOLE_RULE <= set(KEPT_DIFFERENCES)


def test_every_rule_has_a_file_that_breaks_it():
    broken = {rule for rule, *_ in CASES.values()} | {rule for rule, *_ in DIFFERENCE_CASES.values()} | {"100"}
    assert broken == RULE_NUMBERS


def test_a_store_made_before_the_new_columns_gains_them(store, tmp_path):
    """expected_birth and upn_unknown came with these rules: an earlier store gains them (empty: they cannot be
    worked out from what it kept), and returns load into it as before."""
    year = 2023
    load(store, tmp_path / "a", message([tidy("T1", year)], year), year)
    with store.connection() as con:
        for column in ("expected_birth", "upn_unknown"):
            store._execute(con, f"ALTER TABLE {store.table('cin_children')} DROP COLUMN {column}")
        con.commit()
    assert store.upgrade() == ["cin_children.expected_birth", "cin_children.upn_unknown"]
    assert flagged(run_checks(store, la="210", year=year, kind="cin")) == {}  # nothing flagged for want of them
    children = [tidy("T1", year)] + build("8750 unborn, sex known", "X1", year)
    findings, _ = load(store, tmp_path / "b", message(children, year), year)
    assert flagged(findings)["8750"] == {pseudonym("X1")}


@pytest.mark.peer_validators
@needs_peer_returns
def test_on_files_written_by_others_the_same_children_as_the_dfe_package(store, peer_validators):
    """The CIN files other teams wrote (../shared/data/peer_returns): the same children under the same rules as the
    DfE's package, but for the differences kept; on these files only 8875, a conference recorded on the referral on a
    Sunday."""
    differences = set()
    for path in sorted(Path(PEER_RETURNS, "cin").glob("*.xml")):
        result = import_return([path], la="201", store=store)
        run_checks(store, la="201", year=result.year, kind="cin", findings=result.findings)
        named = {Pseudonymiser().child("201", element.text.strip()): element.text.strip()
                 for element in ET.parse(path).getroot().iter("LAchildID")}
        ours = {(rule, named[child] if child else None) for rule, kids in flagged(result.findings).items()
                for child in kids}
        report = peer_run("cin", [path], result.year)
        theirs = {(item["rule"], item["child"]) for item in report["findings"] if item["rule"] in RULE_NUMBERS}
        assert ours & theirs, path.name
        differences |= {rule for rule, _ in ours ^ theirs}
    assert differences <= set(KEPT_DIFFERENCES)
    assert differences == {"8875"}
