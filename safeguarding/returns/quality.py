"""The DfE validation rules that read a field the indicators use, run on a return once it is loaded.

Each check names the DfE validation rule it mirrors (the CIN census and SSDA903 rules as numbered in the DfE's
validation guidance); the rules about a single value (a date that is not a date, a code outside the year's
list) are checked as the file is read (cin.py, ssda903.py). A rule broken is an error: the return stays loaded,
and the records stay in the figures, as the DfE counts them (docs/returns.md).
"""
import datetime
from dataclasses import dataclass

from safeguarding.returns import codes
from safeguarding.returns.cin_rules import CIN_CHECKS
from safeguarding.returns.findings import ERROR, Findings, Rule


@dataclass(frozen=True)
class Check:
    rule: str
    name: str
    field: str
    sql: str  # selects (child_id, value) for the (la, year) given as the first two parameters
    uses_year_bounds: bool = False


def _in_list(values):
    return "(" + ", ".join(f"'{v}'" for v in sorted(values)) + ")"


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
