"""The DfE validation rules that read a field the indicators use, run on a return once it is loaded.

Each check names the DfE validation rule it mirrors (the CIN census and SSDA903 rules as numbered in the DfE's
validation guidance); the rules about a single value (a date that is not a date, a code outside the year's
list) are checked as the file is read (cin.py, ssda903.py). A rule broken is an error: the return stays loaded,
and the records stay in the figures, as the DfE counts them (docs/returns.md).
"""
import datetime
from dataclasses import dataclass

from safeguarding.returns import codes
from safeguarding.returns.findings import ERROR, Findings, Rule

E = "{schema}.cin_episodes e"


@dataclass(frozen=True)
class Check:
    rule: str
    name: str
    field: str
    sql: str  # selects (child_id, value) for the (la, year) given as the first two parameters
    uses_year_bounds: bool = False


def _in_list(values):
    return "(" + ", ".join(f"'{v}'" for v in sorted(values)) + ")"


CIN_CHECKS = [
    Check("8510", "Child appears more than once", "LAchildID",
          "SELECT child_id, CAST(count(*) AS TEXT) FROM {schema}.cin_children WHERE la = ? AND year = ? "
          "GROUP BY child_id HAVING count(*) > 1"),
    Check("1520", "More than one child with the same UPN", "UPN",
          "SELECT min(child_id), CAST(count(DISTINCT child_id) AS TEXT) FROM {schema}.cin_children "
          "WHERE la = ? AND year = ? AND upn_id IS NOT NULL GROUP BY upn_id HAVING count(DISTINCT child_id) > 1"),
    Check("8610", "Primary need missing for a referral that led to further action", "PrimaryNeedCode",
          f"SELECT child_id, '' FROM {E} WHERE la = ? AND year = ? AND referral_nfa = FALSE "
          "AND primary_need IS NULL"),
    Check("8600", "Referral date after the collection year", "CINreferralDate",
          f"SELECT child_id, CAST(referral_date AS TEXT) FROM {E} WHERE la = ? AND year = ? AND referral_date > ?",
          True),
    Check("8630", "CIN closure before the referral", "CINclosureDate",
          f"SELECT child_id, CAST(closure_date AS TEXT) FROM {E} WHERE la = ? AND year = ? "
          "AND closure_date < referral_date"),
    Check("8620", "CIN closure date outside the collection year", "CINclosureDate",
          f"SELECT child_id, CAST(closure_date AS TEXT) FROM {E} WHERE la = ? AND year = ? "
          "AND (closure_date < ? OR closure_date > ?)", True),
    Check("1103", "Assessment starts before the referral", "AssessmentActualStartDate",
          "SELECT a.child_id, CAST(a.start_date AS TEXT) FROM {schema}.cin_assessments a JOIN "
          "{schema}.cin_episodes e USING (la, year, child_id, episode) WHERE a.la = ? AND a.year = ? "
          "AND a.start_date < e.referral_date"),
    Check("8608", "Assessment authorised before it started", "AssessmentAuthorisationDate",
          "SELECT child_id, CAST(authorisation_date AS TEXT) FROM {schema}.cin_assessments WHERE la = ? AND year = ? "
          "AND authorisation_date < start_date"),
    Check("8696", "Assessment authorisation date outside the collection year", "AssessmentAuthorisationDate",
          "SELECT child_id, CAST(authorisation_date AS TEXT) FROM {schema}.cin_assessments WHERE la = ? AND year = ? "
          "AND (authorisation_date < ? OR authorisation_date > ?)", True),
    Check("2889", "Section 47 enquiry starts before the referral", "S47ActualStartDate",
          "SELECT s.child_id, CAST(s.start_date AS TEXT) FROM {schema}.cin_s47 s JOIN "
          "{schema}.cin_episodes e USING (la, year, child_id, episode) WHERE s.la = ? AND s.year = ? "
          "AND s.start_date < e.referral_date"),
    Check("8615", "Section 47 enquiry starts after its initial conference", "S47ActualStartDate",
          "SELECT child_id, CAST(start_date AS TEXT) FROM {schema}.cin_s47 WHERE la = ? AND year = ? "
          "AND start_date > icpc_date"),
    Check("1104", "Initial conference before the referral", "DateOfInitialCPC",
          f"SELECT child_id, CAST(icpc_date AS TEXT) FROM {E} WHERE la = ? AND year = ? "
          "AND icpc_date < referral_date"),
    Check("8715", "Initial conference date outside the collection year", "DateOfInitialCPC",
          f"SELECT child_id, CAST(icpc_date AS TEXT) FROM {E} WHERE la = ? AND year = ? "
          "AND (icpc_date < ? OR icpc_date > ?)", True),
    Check("1105", "Child protection plan starts before the referral", "CPPstartDate",
          "SELECT p.child_id, CAST(p.start_date AS TEXT) FROM {schema}.cin_plans p JOIN "
          "{schema}.cin_episodes e USING (la, year, child_id, episode) WHERE p.la = ? AND p.year = ? "
          "AND p.start_date < e.referral_date"),
    Check("8720", "Child protection plan starts after the collection year", "CPPstartDate",
          "SELECT child_id, CAST(start_date AS TEXT) FROM {schema}.cin_plans WHERE la = ? AND year = ? "
          "AND start_date > ?", True),
    Check("8925", "Child protection plan ends before it starts", "CPPendDate",
          "SELECT child_id, CAST(end_date AS TEXT) FROM {schema}.cin_plans WHERE la = ? AND year = ? "
          "AND end_date < start_date"),
    Check("8840", "Child protection plan starts and ends on the same day", "CPPendDate",
          "SELECT child_id, CAST(end_date AS TEXT) FROM {schema}.cin_plans WHERE la = ? AND year = ? "
          "AND end_date = start_date"),
    Check("8841", "Plan review on or before the plan's start", "CPPreviewDate",
          "SELECT r.child_id, CAST(r.review_date AS TEXT) FROM {schema}.cin_plan_reviews r JOIN "
          "{schema}.cin_plans p USING (la, year, child_id, episode, plan) WHERE r.la = ? AND r.year = ? "
          "AND r.review_date <= p.start_date"),
]

LAC_CHECKS = [
    Check("", "Ethnicity missing or not in the code list", "ETHNIC",
          "SELECT child_id, coalesce(ethnicity, '') FROM {schema}.lac_children WHERE la = ? AND year = ? "
          f"AND (ethnicity IS NULL OR ethnicity NOT IN {_in_list(codes.ETHNICITY)})"),
    Check("", "Category of need missing or not in the code list", "CIN",
          "SELECT child_id, coalesce(category_of_need, '') FROM {schema}.lac_episodes WHERE la = ? AND year = ? "
          f"AND (category_of_need IS NULL OR category_of_need NOT IN {_in_list(codes.CATEGORY_OF_NEED)})"),
    Check("", "Episodes of the same child overlap", "DECOM",
          "SELECT a.child_id, CAST(b.start_date AS TEXT) FROM {schema}.lac_episodes a JOIN {schema}.lac_episodes b "
          "ON a.la = b.la AND a.year = b.year AND a.child_id = b.child_id AND a.episode < b.episode "
          "WHERE a.la = ? AND a.year = ? AND b.start_date < coalesce(a.end_date, DATE '9999-12-31') "
          "AND b.start_date >= a.start_date"),
    Check("", "Episode starts after the collection year", "DECOM",
          "SELECT child_id, CAST(start_date AS TEXT) FROM {schema}.lac_episodes WHERE la = ? AND year = ? "
          "AND start_date > ?", True),
]

CHECKS = {"cin": CIN_CHECKS, "ssda903": LAC_CHECKS}


def run_checks(store, *, la, year, kind, findings=None):
    """Add what each check finds to `findings` (a new Findings if none); return it."""
    findings = findings if findings is not None else Findings("")
    start, end = datetime.date(year - 1, 4, 1), datetime.date(year, 3, 31)
    with store.reader() as reader:
        results = []
        for check in CHECKS[kind]:
            params = [la, year]
            if check.uses_year_bounds:
                params += [end] if check.sql.count("?") == 3 else [start, end]
            results.append((check, reader.query(check.sql, tuple(params))))
    for check, rows in results:
        rule = Rule(check.rule or "903", ERROR, check.name)
        for child, value in rows:
            findings.add(rule, field=check.field, child=child or "", value=value or "",
                         message=f"{check.name}" + (f" ({value})" if value else ""))
    return findings
