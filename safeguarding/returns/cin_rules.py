"""The DfE's CIN census validation rules that read a field the indicators use (issue 12, point 3).

The public reference is the rule set of the DfE's `csc-validator-be-cin` package (2022-23 to 2026-27; a return of
2021 or 2022 is checked by the 2022-23 rules, the oldest there are); these are our own implementations of the rules
as the DfE describes them, each under the DfE's number (a Q suffix marks what the DfE calls a query). Where the
package does not do what the rule says, we do what the rule says: tests/returns/test_cin_rules.py compares the two
on the same files and lists the differences kept, docs/returns.md says why.

Three places check them:
- rules about one value (missing, not a date, outside the year's code list) as the file is read (cin.py, RULES);
- rules that need what the store does not keep (a birth date's day, the LA child ID as written, whether a code was
  given at all, assessment factors outside the code list), also as the file is read: the functions below;
- every other rule, after the return is loaded, as SQL over the stored tables of one authority and year:
  CIN_CHECKS, run by quality.run_checks.

Every rule broken is an error; the records stay in the figures, as the DfE counts them. The census period is the
collection year's: 1 April to 31 March (the package takes it from the header's ReferenceDate, which rule 100
requires to be 31 March of the collection year).
"""
import datetime
import functools
import re

from safeguarding.returns.findings import ERROR, Check, Rule
from safeguarding.working_days import add_working_days

# The first collection year of the 2024-25 rule set: Sex for GenderCurrent (4180, 8750, 2886Q), a later school age
# for 8770Q, and rules 1570, 1580, 8945Q, 8950Q.
SEX_YEAR = 2025
# Assessment factors of rule 8897Q: the same list in every year's rules.
FACTORS = frozenset(
    "1A 1B 1C 2A 2B 2C 3A 3B 3C 4A 4B 4C 5A 5B 5C 6A 6B 6C 7A 8B 8C 8D 8E 8F 9A 10A 11A 12A 13A 14A 15A 16A 17A "
    "18A 18B 18C 19A 19B 19C 20 21 22A 23A 24A".split())
UPN_UNKNOWN_REASONS = ("UN2", "UN3", "UN4", "UN5", "UN6", "UN7")  # 8770Q: reasons that excuse a missing UPN


@functools.lru_cache(maxsize=None)
def period(year):
    """The census period of a collection year: 1 April to 31 March."""
    return datetime.date(year - 1, 4, 1), datetime.date(year, 3, 31)


def _rule(code, title):
    return Rule(code, ERROR, title)


# -- rules checked as the file is read ------------------------------------------------------------------------------
R100 = _rule("100", "Reference date is not 31 March of the collection year")
R1570 = _rule("1570", "LA child ID longer than 20 characters")
R1580 = _rule("1580", "LA child ID has a character that is not a letter or a digit")
R8535Q = _rule("8535Q", "Date of death with no date of birth, or before it")
R8606 = _rule("8606", "Referral more than 280 days before the (expected) date of birth")
R8775Q = _rule("8775Q", "Child over 25 with an episode open past the 25th birthday")
R8610 = _rule("8610", "Primary need missing for a referral that led to further action")
R8805 = _rule("8805", "CIN closure date with no reason for closure")
R8810 = _rule("8810", "Reason for closure with no CIN closure date")
R8614 = _rule("8614", "Assessment factors on an assessment not authorised")
R8897Q = _rule("8897Q", "Assessment authorised in the year without a factor from the code list")
R8898 = _rule("8898", "The same assessment factor twice in one assessment")


def check_header(findings, *, year_text, reference, where):
    """Rule 100: the header's ReferenceDate is 31 March of its Year. A finding about the whole return."""
    year = int(year_text) if year_text and year_text.isdecimal() else None
    if reference is None or year is None or reference != datetime.date(year, 3, 31):
        findings.add(R100, where=where, field="ReferenceDate", value=str(reference or ""),
                     message=f"ReferenceDate {reference or 'missing'}, Year {year_text or 'missing'}: the reference "
                             "date must be 31 March of the collection year")


def check_child(found, year, *, local_id, birth, expected, death, referrals, closures):
    """The child-level rules that need the birth date's day or the LA child ID as written.

    found(rule, element, field, value, message) notes a finding on this child (element None: the child itself);
    referrals and closures are the dates of its episodes (None where missing or not a date), in the same order."""
    if year >= SEX_YEAR:
        if len(local_id) > 20:
            found(R1570, None, "LAchildID", local_id[:40], f"LA child ID of {len(local_id)} characters; at most 20")
        if not local_id.isalnum():
            found(R1580, None, "LAchildID", "", "LA child ID with a character that is not a letter or a digit")
    if death is not None and (birth is None or birth > death):
        found(R8535Q, None, "PersonDeathDate", str(death), R8535Q.title)
    if birth is not None or expected is not None:
        born = [day - DAYS_280 for day in (birth, expected) if day is not None]
        if any(referral < limit for referral in referrals if referral is not None for limit in born):
            found(R8606, None, "CINreferralDate", "", R8606.title)
        if birth is not None and referrals and birth < _born_25_years_before(year):
            twenty_fifth = _years_before(birth, -25)
            if any(closure is None or closure > twenty_fifth for closure in closures):
                found(R8775Q, None, "CINclosureDate", "", R8775Q.title)


def check_episode(found, element, *, nfa, need_given, closure, reason_given):
    """8610, 8805, 8810: whether a code was given at all (the store keeps only codes in the year's list)."""
    if nfa is False and not need_given:
        found(R8610, element, "PrimaryNeedCode", "", R8610.title)
    if closure is not None:
        if not reason_given:
            found(R8805, element, "ReasonForClosure", "", R8805.title)
    elif reason_given:
        found(R8810, element, "CINclosureDate", "", R8810.title)


def check_assessment(found, element, year, *, authorised, factors):
    """8614, 8897Q, 8898 on one assessment. factors: the factor codes as written (None: no factors block)."""
    if authorised is None:
        if factors:
            found(R8614, element, "AssessmentFactors", ", ".join(factors)[:100], R8614.title)
    elif authorised >= period(year)[0]:
        if not factors:
            found(R8897Q, element, "AssessmentFactors", "", "Assessment authorised in the year with no factor")
        else:
            for factor in factors:
                if factor not in FACTORS:
                    found(R8897Q, element, "AssessmentFactors", factor,
                          f"Assessment factor {factor!r} not in the code list")
    if factors and len(set(factors)) < len(factors):
        for factor in sorted({f for f in factors if factors.count(f) > 1}):
            found(R8898, element, "AssessmentFactors", factor, f"Assessment factor {factor} twice in one assessment")


DAYS_280 = datetime.timedelta(days=280)


@functools.lru_cache(maxsize=None)
def _born_25_years_before(year):
    return _years_before(period(year)[1], 25)


def _years_before(day, years):
    """The same day `years` years earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# -- rules checked on the stored return ------------------------------------------------------------------------------


def _by_year(day_of_year):
    """A date that depends on the collection year (a working-day cut-off) as SQL: a CASE over the years 2000-2050."""
    cases = " ".join(f"WHEN {y} THEN DATE '{day_of_year(y).isoformat()}'" for y in range(2000, 2051))
    return f"(CASE k.year {cases} END)"


SUBSTITUTIONS = {
    ":start": "make_date(k.year - 1, 4, 1)",
    ":end": "make_date(k.year, 3, 31)",
    # 8569Q: the first working day of the census period (1 April, or the next working day).
    ":first_working_day": _by_year(lambda y: add_working_days(datetime.date(y - 1, 3, 31), 1)),
    # 8670Q: an assessment started 45 working days (the end day counted) before the period end is late.
    ":assessment_cutoff": _by_year(lambda y: add_working_days(datetime.date(y, 3, 31), -44)),
    # 8675Q: an enquiry started 15 working days (the end day counted) before the period end needs its conference.
    ":icpc_cutoff": _by_year(lambda y: add_working_days(datetime.date(y, 3, 31), -14)),
    # 8770Q: of school age: six on 31 March (to 2023-24), on 31 August after the census (from 2024-25).
    ":school_age": f"(CASE WHEN k.year >= {SEX_YEAR} THEN make_date(k.year - 6, 8, 31) "
                   "ELSE make_date(k.year - 6, 3, 31) END)",
}


def _sql(text):
    """Our SQL shorthand made real: `FROM k, T(cin_plans p)` is the table of the authority and year asked for,
    :start and :end the census period, and the other :names above."""
    text = re.sub(r"T\((\w+) (\w+)\)", lambda m: f"{{schema}}.{m.group(1)} {m.group(2)}", text)
    text = re.sub(r"KEY\((\w+)\)", lambda m: f"{m.group(1)}.la = k.la AND {m.group(1)}.year = k.year", text)
    text = re.sub(r":\w+", lambda m: SUBSTITUTIONS.get(m.group(0), m.group(0)), text)
    return "WITH k AS (SELECT CAST(? AS TEXT) AS la, CAST(? AS INTEGER) AS year) " + text


def _same(a, b, *keys):
    return " AND ".join(f"{b}.{key} = {a}.{key}" for key in ("la", "year", "child_id") + keys)


def _check(rule, name, field, sql):
    return Check(rule, name, field, _sql(sql))


def _rows(table, value, where=None, *, join=(), on=None, distinct=False, then=None):
    """One rule's SQL in our shorthand: a row (child_id, value) for each record of `table` ("cin_plans p": the
    table and its alias) of the authority and year asked for that meets `where`.

    join: (table, keys...) pairs joined on la, year, child_id and the keys (("cin_episodes e", "episode"): the
    record's referral); on: one more condition of the (last) join; distinct: SELECT DISTINCT; then: what follows
    the WHERE (a GROUP BY)."""
    alias = table.split()[1]
    joins = [f"JOIN {{schema}}.{other} ON {_same(alias, other.split()[1], *keys)}" for other, *keys in join]
    if on:
        joins[-1] += f" AND {on}"
    select = "SELECT DISTINCT" if distinct else "SELECT"
    return " ".join(part for part in (
        f"{select} {alias}.child_id, {value} FROM k, T({table})", *joins, f"WHERE KEY({alias})",
        where and f"AND {where}", then) if part)


def _date(column):
    return f"CAST({column} AS TEXT)"


def _in_episode(alias, table, where):
    return f"EXISTS (SELECT 1 FROM {{schema}}.{table} {alias} WHERE {_same('e', alias, 'episode')} AND {where})"


def _after_closure(alias, table, *columns):
    """Some record of the referral dated after its closure."""
    return _in_episode(alias, table, "(" + " OR ".join(f"{alias}.{c} > e.closure_date" for c in columns) + ")")


def _weekend(column):
    return f"EXTRACT(DOW FROM {column}) IN (0, 6)"


NFA_FALSE_EPISODE = "EXISTS (SELECT 1 FROM {schema}.cin_episodes e WHERE " + _same("c", "e") + \
                    " AND e.referral_nfa = FALSE)"

CIN_CHECKS = [
    # -- the child ------------------------------------------------------------------------------------------------
    _check("8510", "More than one child with the same LA child ID", "LAchildID",
           _rows("cin_children c", "CAST(count(*) AS TEXT)", then="GROUP BY c.child_id HAVING count(*) > 1")),
    _check("1520", "More than one child with the same UPN", "UPN",
           _rows("cin_children c", "''", "EXISTS (SELECT 1 FROM {schema}.cin_children o WHERE o.la = c.la "
                                         "AND o.year = c.year AND o.upn_id = c.upn_id AND o.child_id <> c.child_id)")),
    _check("8520", "Date of birth after the collection year", "PersonBirthDate",
           _rows("cin_children c", _date("c.birth_month"), "c.birth_month > :end")),
    _check("8525Q", "Neither or both of date of birth and expected date of birth", "PersonBirthDate",
           _rows("cin_children c", "''",
                 "c.expected_birth IS NOT NULL AND (c.birth_month IS NULL) = (c.expected_birth = FALSE)")),
    _check("8750", "Unborn child whose sex is not recorded as unknown", "Sex",
           _rows("cin_children c", "coalesce(c.sex, '')",
                 "c.birth_month IS NULL AND c.expected_birth AND (c.sex IS NULL OR c.sex <> 'U')")),
    _check("2886Q", "More than 2% of the children, born, have no sex recorded", "Sex",
           "SELECT NULL, CAST(m AS TEXT) || ' of ' || CAST(n AS TEXT) || ' children' FROM (SELECT count(*) AS n, "
           "count(*) FILTER (WHERE (c.sex IS NULL OR c.sex = 'U') AND c.expected_birth = FALSE) AS m "
           "FROM k, T(cin_children c) WHERE KEY(c)) t WHERE m > 0.02 * n"),
    _check("8540", "Disability not recorded for a born child referred for further action", "Disability",
           _rows("cin_children c", "''",
                 f"c.birth_month IS NOT NULL AND c.disabled IS NULL AND {NFA_FALSE_EPISODE}")),
    _check("8770Q", "Child of school age referred for further action with no UPN and no reason", "UPN",
           _rows("cin_children c", "''", "c.birth_month <= :school_age AND c.upn_id IS NULL "
                 f"AND coalesce(c.upn_unknown, '') NOT IN {tuple(UPN_UNKNOWN_REASONS)} AND {NFA_FALSE_EPISODE}")),
    _check("8772", "UPN unknown reason UN7 (referral with no further action) on a referral taken further",
           "UPNunknown",
           _rows("cin_children c", "c.upn_unknown", "c.upn_unknown = 'UN7' AND EXISTS (SELECT 1 FROM "
                 "{schema}.cin_episodes e WHERE " + _same("c", "e") + " AND e.referral_nfa IS NOT TRUE)")),
    # -- the referral (CIN episode) -------------------------------------------------------------------------------
    _check("8600", "Referral date after the collection year", "CINreferralDate",
           _rows("cin_episodes e", _date("e.referral_date"), "e.referral_date > :end")),
    _check("8555Q", "Referral after the child's death", "CINreferralDate",
           _rows("cin_episodes e", _date("e.referral_date"), "e.referral_date > c.death_date",
                 join=[("cin_children c",)])),
    _check("8569Q", "Referral before the collection year with no further action", "ReferralNFA",
           _rows("cin_episodes e", _date("e.referral_date"),
                 "e.referral_date < :first_working_day AND e.referral_nfa IS NOT FALSE")),
    _check("8620", "CIN closure date outside the collection year", "CINclosureDate",
           _rows("cin_episodes e", _date("e.closure_date"), "(e.closure_date < :start OR e.closure_date > :end)")),
    _check("8630", "CIN closure before the referral", "CINclosureDate",
           _rows("cin_episodes e", _date("e.closure_date"), "e.closure_date < e.referral_date")),
    _check("8815", "More than one open referral taken further", "CINclosureDate",
           _rows("cin_episodes e", "CAST(count(*) AS TEXT)", "e.closure_date IS NULL AND e.referral_nfa = FALSE",
                 then="GROUP BY e.child_id HAVING count(*) > 1")),
    _check("8816", "An open referral taken further is not the child's latest referral", "CINclosureDate",
           _rows("cin_episodes e", _date("e.referral_date"), "e.closure_date IS NULL AND e.referral_nfa = FALSE "
                 f"AND EXISTS (SELECT 1 FROM {{schema}}.cin_episodes o WHERE {_same('e', 'o')} "
                 "AND (o.referral_date > e.referral_date OR (o.referral_date = e.referral_date "
                 "AND o.episode < e.episode)))")),
    _check("8820", "Referrals of the same child overlap", "CINreferralDate",
           _rows("cin_episodes e", _date("e.referral_date"),
                 "((e.referral_date >= o.referral_date AND (e.referral_date < o.closure_date "
                 "OR (o.closure_date IS NULL AND o.referral_nfa = FALSE AND e.referral_date < :end))) "
                 "OR (o.referral_date >= e.referral_date AND (o.referral_date < e.closure_date "
                 "OR (e.closure_date IS NULL AND e.referral_nfa = FALSE AND o.referral_date < :end))))",
                 join=[("cin_episodes o",)], on="o.episode <> e.episode", distinct=True)),
    _check("2990", "Closed as no further action after assessment, yet with a conference, enquiry or plan",
           "ReasonForClosure",
           _rows("cin_episodes e", "e.closure_reason", "e.closure_reason IN ('RC8', 'RC9') AND (e.icpc_date IS NOT "
                 f"NULL OR {_in_episode('p', 'cin_plans', 'TRUE')} OR {_in_episode('s', 'cin_s47', 'TRUE')} "
                 f"OR {_in_episode('d', 'cin_plan_dates', 'TRUE')})")),
    _check("8825Q", "Closed as no further action after assessment, with no assessment", "ReasonForClosure",
           _rows("cin_episodes e", "e.closure_reason",
                 f"e.closure_reason IN ('RC8', 'RC9') AND NOT {_in_episode('a', 'cin_assessments', 'TRUE')}")),
    _check("8831", "Referral with no further action, yet with a conference, enquiry or assessment", "ReferralNFA",
           _rows("cin_episodes e", "''", "e.referral_nfa = TRUE AND (e.icpc_date IS NOT NULL OR "
                 f"{_in_episode('s', 'cin_s47', 's.start_date IS NOT NULL')} OR "
                 + _in_episode("a", "cin_assessments", "(a.start_date IS NOT NULL OR a.authorisation_date IS NOT NULL)")
                 + ")")),
    _check("8832", "Referral with no further action, yet with a child protection plan", "ReferralNFA",
           _rows("cin_episodes e", "''", f"e.referral_nfa = TRUE AND {_in_episode('p', 'cin_plans', 'TRUE')}")),
    _check("4000", "Referral with no further action, yet with a CIN plan", "ReferralNFA",
           _rows("cin_episodes e", "''", f"e.referral_nfa = TRUE AND {_in_episode('d', 'cin_plan_dates', 'TRUE')}")),
    _check("8565", "Activity after the CIN closure date", "CINclosureDate",
           _rows("cin_episodes e", _date("e.closure_date"),
                 "e.closure_date IS NOT NULL AND (e.icpc_date > e.closure_date "
                 f"OR {_after_closure('a', 'cin_assessments', 'start_date', 'authorisation_date')} "
                 f"OR {_after_closure('s', 'cin_s47', 'start_date', 'icpc_date')} "
                 f"OR {_after_closure('p', 'cin_plans', 'end_date')} "
                 f"OR {_after_closure('d', 'cin_plan_dates', 'start_date', 'end_date')})")),
    _check("2884", "Initial conference recorded both on the referral and in a Section 47 enquiry", "DateOfInitialCPC",
           _rows("cin_episodes e", _date("e.icpc_date"), "EXISTS (SELECT 1 FROM {schema}.cin_s47 s WHERE "
                 + _same("e", "s") + " AND s.icpc_date = e.icpc_date)")),
    # DateOfInitialCPC is one item of the census, recorded on the referral or in its Section 47 enquiry: 1104, 8715
    # and 8875 read it in both places.
    _check("1104", "Initial conference before the referral", "DateOfInitialCPC",
           _rows("cin_episodes e", _date("e.icpc_date"), "e.icpc_date < e.referral_date") + " UNION ALL "
           + _rows("cin_s47 s", _date("s.icpc_date"), "s.icpc_date < e.referral_date",
                   join=[("cin_episodes e", "episode")])),
    _check("8715", "Initial conference date outside the collection year", "DateOfInitialCPC",
           _rows("cin_episodes e", _date("e.icpc_date"), "(e.icpc_date < :start OR e.icpc_date > :end)")
           + " UNION ALL " + _rows("cin_s47 s", _date("s.icpc_date"), "(s.icpc_date < :start OR s.icpc_date > :end)")),
    _check("8875", "Initial conference on a Saturday or Sunday", "DateOfInitialCPC",
           _rows("cin_episodes e", _date("e.icpc_date"), _weekend("e.icpc_date")) + " UNION ALL "
           + _rows("cin_s47 s", _date("s.icpc_date"), _weekend("s.icpc_date"))),
    # -- assessments ------------------------------------------------------------------------------------------------
    _check("1103", "Assessment starts before the referral", "AssessmentActualStartDate",
           _rows("cin_assessments a", _date("a.start_date"), "a.start_date < e.referral_date",
                 join=[("cin_episodes e", "episode")])),
    _check("8608", "Assessment authorised before it started", "AssessmentAuthorisationDate",
           _rows("cin_assessments a", _date("a.authorisation_date"), "a.authorisation_date < a.start_date")),
    _check("8696", "Assessment authorisation date outside the collection year", "AssessmentAuthorisationDate",
           _rows("cin_assessments a", _date("a.authorisation_date"),
                 "(a.authorisation_date < :start OR a.authorisation_date > :end)")),
    _check("8736", "Assessment not authorised that did not start in the year", "AssessmentActualStartDate",
           _rows("cin_assessments a", f"coalesce({_date('a.start_date')}, '')", "a.authorisation_date IS NULL "
                 "AND (a.start_date IS NULL OR a.start_date < :start OR a.start_date > :end)")),
    _check("8670Q", "Assessment not authorised 45 working days after it started", "AssessmentAuthorisationDate",
           _rows("cin_assessments a", _date("a.start_date"),
                 "a.authorisation_date IS NULL AND a.start_date < :assessment_cutoff")),
    _check("8863Q", "Assessments of the same referral overlap", "AssessmentActualStartDate",
           _rows("cin_assessments a", _date("a.start_date"),
                 "NOT (a.start_date = b.start_date AND (a.authorisation_date = b.authorisation_date "
                 "OR (a.authorisation_date IS NULL AND b.authorisation_date IS NULL))) "
                 "AND ((a.start_date >= b.start_date AND (a.start_date <= b.authorisation_date "
                 "OR (b.authorisation_date IS NULL AND a.start_date <= :end))) OR (b.start_date >= a.start_date "
                 "AND (b.start_date <= a.authorisation_date OR (a.authorisation_date IS NULL "
                 "AND b.start_date <= :end))))",
                 join=[("cin_assessments b", "episode")], on="b.assessment <> a.assessment", distinct=True)),
    _check("8896", "More than one assessment of the same referral not authorised", "AssessmentAuthorisationDate",
           _rows("cin_assessments a", "CAST(count(*) AS TEXT)", "a.authorisation_date IS NULL",
                 then="GROUP BY a.child_id, a.episode HAVING count(*) > 1")),
    _check("8867", "Referral closed with an assessment not authorised", "AssessmentAuthorisationDate",
           _rows("cin_episodes e", _date("e.closure_date"), "e.closure_date IS NOT NULL AND "
                 + _in_episode("a", "cin_assessments", "a.authorisation_date IS NULL"))),
    _check("2991Q", "Section 47 enquiry with no assessment", "Assessments",
           _rows("cin_episodes e", "''", f"{_in_episode('s', 'cin_s47', 'TRUE')} "
                 f"AND NOT {_in_episode('a', 'cin_assessments', 'TRUE')}")),
    _check("8869", "Factor 21 (no factors identified) with another factor", "AssessmentFactors",
           _rows("cin_assessment_factors f", "'21'", then="GROUP BY f.child_id, f.episode, f.assessment HAVING "
                 "count(*) FILTER (WHERE f.factor = '21') > 0 AND count(*) FILTER (WHERE f.factor <> '21') > 0")),
    _check("8873Q", "Only assessment found no factors, yet the referral was not closed as such", "ReasonForClosure",
           _rows("cin_episodes e", "coalesce(e.closure_reason, '')", "coalesce(e.closure_reason, '') NOT IN "
                 "('RC8', 'RC9') AND (SELECT count(*) FROM {schema}.cin_assessments a WHERE "
                 + _same("e", "a", "episode") + ") = 1 AND "
                 + _in_episode("f", "cin_assessment_factors", "f.factor = '21'"))),
    _check("8945Q", "Factor 18A (use 18B or 18C)", "AssessmentFactors",
           _rows("cin_assessment_factors f", "f.factor", f"k.year >= {SEX_YEAR} AND f.factor = '18A'")),
    _check("8950Q", "Factor 19A (use 19B or 19C)", "AssessmentFactors",
           _rows("cin_assessment_factors f", "f.factor", f"k.year >= {SEX_YEAR} AND f.factor = '19A'")),
    # -- Section 47 enquiries and conferences ----------------------------------------------------------------------
    _check("2889", "Section 47 enquiry starts before the referral", "S47ActualStartDate",
           _rows("cin_s47 s", _date("s.start_date"), "s.start_date < e.referral_date",
                 join=[("cin_episodes e", "episode")])),
    _check("8615", "Section 47 enquiry starts after its initial conference", "S47ActualStartDate",
           _rows("cin_s47 s", _date("s.start_date"), "s.start_date > s.icpc_date")),
    _check("8740", "Section 47 enquiry awaiting a conference did not start in the year", "S47ActualStartDate",
           _rows("cin_s47 s", _date("s.start_date"), "s.icpc_date IS NULL AND s.icpc_not_required = FALSE "
                 "AND (s.start_date < :start OR s.start_date > :end)")),
    _check("8675Q", "No initial conference 15 working days after the Section 47 enquiry started", "DateOfInitialCPC",
           _rows("cin_s47 s", _date("s.start_date"), "s.icpc_date IS NULL AND s.icpc_not_required = FALSE "
                 "AND s.start_date < :icpc_cutoff")),
    _check("8839", "More than one Section 47 enquiry of a referral awaiting its conference", "DateOfInitialCPC",
           _rows("cin_s47 s", "CAST(count(*) AS TEXT)", "s.icpc_date IS NULL AND s.icpc_not_required IS NOT TRUE",
                 then="GROUP BY s.child_id, s.episode HAVING count(*) > 1")),
    _check("8868", "Referral closed with a Section 47 enquiry awaiting its conference, or a conference said not to "
                   "be required held", "ICPCnotRequired",
           _rows("cin_episodes e", _date("e.closure_date"), "e.closure_date IS NOT NULL AND " + _in_episode(
               "s", "cin_s47", "((s.icpc_date IS NULL AND s.icpc_not_required IS NOT TRUE) "
                               "OR (s.icpc_date IS NOT NULL AND s.icpc_not_required = TRUE))"))),
    _check("8890", "Section 47 enquiries of the same referral overlap", "S47ActualStartDate",
           _rows("cin_s47 a", _date("a.start_date"),
                 "NOT (a.start_date = b.start_date AND (a.icpc_date = b.icpc_date "
                 "OR (a.icpc_date IS NULL AND b.icpc_date IS NULL))) "
                 "AND ((a.start_date >= b.start_date AND (a.start_date <= b.icpc_date OR (b.icpc_date IS NULL "
                 "AND b.icpc_not_required IS NOT TRUE AND a.start_date <= :end))) OR (b.start_date >= a.start_date "
                 "AND (b.start_date <= a.icpc_date OR (a.icpc_date IS NULL AND a.icpc_not_required IS NOT TRUE "
                 "AND b.start_date <= :end))))",
                 join=[("cin_s47 b", "episode")], on="b.enquiry <> a.enquiry", distinct=True)),
    _check("8870Q", "Initial conference target date on a Saturday or Sunday", "InitialCPCtarget",
           _rows("cin_s47 s", _date("s.icpc_target_date"), _weekend("s.icpc_target_date"))),
    _check("2883", "More child protection plans started in the year than initial conferences held", "CPPstartDate",
           "SELECT NULL, CAST(plans AS TEXT) || ' plans, ' || CAST(conferences AS TEXT) || ' conferences' FROM "
           "(SELECT (SELECT count(*) FROM T(cin_plans p) WHERE KEY(p) AND p.start_date BETWEEN :start AND :end) "
           "AS plans, (SELECT count(*) FROM T(cin_episodes e) WHERE KEY(e) AND e.icpc_date BETWEEN :start AND :end) "
           "+ (SELECT count(*) FROM T(cin_s47 s) WHERE KEY(s) AND s.icpc_date BETWEEN :start AND :end) "
           "AS conferences FROM k) t WHERE plans > conferences"),
    _check("2885", "Child protection plan that did not start on the day of an initial conference", "CPPstartDate",
           _rows("cin_plans p", _date("p.start_date"), "p.start_date BETWEEN :start AND :end AND CASE WHEN "
                 + _in_episode("s", "cin_s47", "s.icpc_not_required IS NOT TRUE") + " THEN NOT "
                 + _in_episode("s", "cin_s47", "s.icpc_not_required IS NOT TRUE AND s.icpc_date = p.start_date")
                 + " ELSE e.icpc_date IS NULL OR e.icpc_date <> p.start_date END",
                 join=[("cin_episodes e", "episode")])),
    # -- child protection plans and CIN plans ---------------------------------------------------------------------
    _check("1105", "Child protection plan starts before the referral", "CPPstartDate",
           _rows("cin_plans p", _date("p.start_date"), "p.start_date < e.referral_date",
                 join=[("cin_episodes e", "episode")])),
    _check("8720", "Child protection plan starts after the collection year", "CPPstartDate",
           _rows("cin_plans p", _date("p.start_date"), "p.start_date > :end")),
    _check("8925", "Child protection plan ends before it starts", "CPPendDate",
           _rows("cin_plans p", _date("p.end_date"), "p.end_date < p.start_date")),
    _check("8840", "Child protection plan starts and ends on the same day", "CPPendDate",
           _rows("cin_plans p", _date("p.end_date"), "p.end_date = p.start_date")),
    _check("8930", "Child protection plan end date outside the collection year", "CPPendDate",
           _rows("cin_plans p", _date("p.end_date"), "(p.end_date < :start OR p.end_date > :end)")),
    _check("8935", "More than one open child protection plan", "CPPendDate",
           _rows("cin_plans p", "CAST(count(*) AS TEXT)", "p.end_date IS NULL",
                 then="GROUP BY p.child_id HAVING count(*) > 1")),
    _check("8940", "Child protection plans of the same child overlap", "CPPstartDate",
           _rows("cin_plans p", _date("p.start_date"),
                 "((p.start_date >= q.start_date AND (p.start_date <= q.end_date OR (q.end_date IS NULL "
                 "AND p.start_date <= :end))) OR (q.start_date >= p.start_date AND (q.start_date <= p.end_date "
                 "OR (p.end_date IS NULL AND q.start_date <= :end))))",
                 join=[("cin_plans q",)], on="(q.episode <> p.episode OR q.plan <> p.plan)", distinct=True)),
    _check("8915", "Child protection plan starts after the child's death", "CPPstartDate",
           _rows("cin_plans p", _date("p.start_date"), "p.start_date > c.death_date", join=[("cin_children c",)])),
    _check("8920", "Child protection plan ends after the child's death", "CPPendDate",
           _rows("cin_plans p", _date("p.end_date"), "p.end_date > c.death_date", join=[("cin_children c",)])),
    _check("8841", "Plan review on or before the plan's start", "CPPreviewDate",
           _rows("cin_plan_reviews r", _date("r.review_date"), "r.review_date <= p.start_date",
                 join=[("cin_plans p", "episode", "plan")])),
    _check("8842Q", "Plan review with no date", "CPPreviewDate",
           _rows("cin_plan_reviews r", "''", "r.review_date IS NULL")),
    _check("4001", "An open child protection plan and an open CIN plan in the same referral", "CPPendDate",
           _rows("cin_episodes e", "''", f"{_in_episode('p', 'cin_plans', 'p.end_date IS NULL')} AND "
                 f"{_in_episode('d', 'cin_plan_dates', 'd.start_date IS NOT NULL AND d.end_date IS NULL')}")),
    _check("4003", "Child protection plan review during a CIN plan", "CPPreviewDate",
           _rows("cin_plan_reviews r", _date("r.review_date"), "p.end_date IS NOT NULL AND r.review_date >= "
                 "d.start_date AND r.review_date < d.end_date AND r.review_date <> p.end_date",
                 join=[("cin_plans p", "episode", "plan"), ("cin_plan_dates d",)], distinct=True)),
    _check("4016", "CIN plan starts during a child protection plan", "CINPlanStartDate",
           _rows("cin_plan_dates d", _date("d.start_date"), "d.start_date >= p.start_date "
                 "AND (d.start_date < p.end_date OR (p.end_date IS NULL AND d.start_date <= :end))",
                 join=[("cin_plans p",)], distinct=True)),
    _check("4017", "Child protection plan starts during a CIN plan", "CPPstartDate",
           _rows("cin_plans p", _date("p.start_date"), "p.start_date >= d.start_date "
                 "AND (p.start_date < d.end_date OR (d.end_date IS NULL AND p.start_date <= :end))",
                 join=[("cin_plan_dates d",)], distinct=True)),
    _check("4015", "CIN plan starts before the referral", "CINPlanStartDate",
           _rows("cin_plan_dates d", _date("d.start_date"), "d.start_date < e.referral_date",
                 join=[("cin_episodes e", "episode")])),
]

# Every DfE rule number this system checks on a CIN census, wherever it is checked.
PARSE_TIME_RULES = ("8500", "8590", "8600", "8866", "8650", "8640", "8568", "4220", "4180", "8540", "8615", "8720",
                    "8730", "8905", "8910", "100", "1570", "1580", "8535Q", "8606", "8775Q", "8610", "8805", "8810",
                    "8614", "8897Q", "8898")
RULE_NUMBERS = frozenset(PARSE_TIME_RULES) | {check.rule for check in CIN_CHECKS}
