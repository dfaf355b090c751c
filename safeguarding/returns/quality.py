"""The DfE validation rules that read a field the indicators use, run on a return once it is loaded.

Each check names the DfE validation rule it mirrors (the CIN census and SSDA903 rules as numbered in the DfE's
validation guidance); the rules about a single value (a date that is not a date, a code outside the year's
list) are checked as the file is read (cin.py, ssda903.py). A rule broken is an error: the return stays loaded,
and the records stay in the figures, as the DfE counts them (docs/returns.md).
"""
import datetime

from safeguarding.returns import ssda903_rules as codes_903
from safeguarding.returns.cin_rules import CIN_CHECKS
from safeguarding.returns.findings import ERROR, Check, Findings, Rule




def _in_list(values):
    return "(" + ", ".join(f"'{v}'" for v in sorted(values)) + ")"


# SSDA903: the rules that read one episode, or one child's row, are checked as the file is read (ssda903.py); these
# compare a child's episodes with each other, in order of their start (then of the file). SEQ gives each episode
# with the one before it (p_) and after it (n_) of the same child, and the collection year's bounds.
_OVER = "OVER (PARTITION BY child_id ORDER BY start_date, episode)"
SEQ = ("WITH s AS (SELECT child_id, episode, start_date, end_date, reason_new, legal_status, category_of_need, "
       "placement, provider, reason_end, reason_place_change, make_date(year - 1, 4, 1) AS first_day, "
       "make_date(year, 3, 31) AS last_day, "
       f"row_number() {_OVER} AS n, "
       + ", ".join(f"lag({c}) {_OVER} AS p_{c}" for c in (
           "episode", "start_date", "end_date", "reason_end", "legal_status", "placement", "provider",
           "category_of_need", "reason_place_change"))
       + ", " + ", ".join(f"lead({c}) {_OVER} AS n_{c}" for c in ("episode", "start_date", "reason_new", "placement"))
       + " FROM {schema}.lac_episodes WHERE la = ? AND year = ? AND start_date IS NOT NULL) ")
_CEASED = _in_list(codes_903.REASON_CEASED - {"X1"})
_TEMP = _in_list(codes_903.TEMPORARY)


def _episodes(value, where):
    """An SSDA903 rule over SEQ: a row (child_id, value) for each episode that meets `where`."""
    return SEQ + f"SELECT child_id, {value} FROM s WHERE {where}"


def _run(legal_status, limit):
    """Runs of episodes of one legal status, each starting on or before the previous one's end (open ones end on
    31 March), that last longer than `limit` days: each episode of such a run."""
    return (SEQ + f", r AS (SELECT child_id, start_date, coalesce(end_date, last_day) AS until, "
            f"lag(coalesce(end_date, last_day)) OVER (PARTITION BY child_id ORDER BY start_date, episode) AS p_until "
            f"FROM s WHERE legal_status = '{legal_status}'), "
            "g AS (SELECT child_id, start_date, until, sum(CASE WHEN p_until IS NULL OR start_date > p_until "
            "THEN 1 ELSE 0 END) OVER (PARTITION BY child_id ORDER BY start_date, until "
            "ROWS UNBOUNDED PRECEDING) AS run FROM r), "
            "t AS (SELECT child_id, run, max(until) - min(start_date) AS days FROM g GROUP BY child_id, run) "
            "SELECT g.child_id, CAST(g.start_date AS TEXT) FROM g JOIN t USING (child_id, run) "
            f"WHERE t.days > {limit}")


# This year's episodes in order (cur, n = 1 the first) beside last year's in the store, latest first (prev, k = 1).
LAST = ("WITH cur AS (SELECT la, year, child_id, episode, start_date, end_date, reason_new, legal_status, "
        "category_of_need, placement, provider, make_date(year - 1, 4, 1) AS first_day, "
        f"row_number() {_OVER} AS n FROM {{schema}}.lac_episodes WHERE la = ? AND year = ? "
        "AND start_date IS NOT NULL), "
        "prev AS (SELECT p.child_id, p.start_date, p.end_date, p.reason_new, p.legal_status, p.category_of_need, "
        "p.placement, p.provider, row_number() OVER (PARTITION BY p.child_id ORDER BY p.start_date DESC, "
        "p.episode DESC) AS k FROM {schema}.lac_episodes p JOIN (SELECT DISTINCT la, year FROM cur) y "
        "ON p.la = y.la AND p.year = y.year - 1 WHERE p.start_date IS NOT NULL) ")

LAC_CHECKS = [
    Check("377", "More than two temporary placements for the foster carers' holiday (T3) in the year", "PLACE",
          "SELECT child_id, placement FROM {schema}.lac_episodes WHERE la = ? AND year = ? AND placement = 'T3' "
          "AND child_id IN (SELECT child_id FROM {schema}.lac_episodes WHERE la = ? AND year = ? "
          "AND placement = 'T3' GROUP BY child_id HAVING count(*) > 2)", uses_year_bounds="twice"),
    # With last year's return, when it is in the store (a year whose return was never loaded is not compared)
    Check("502", "Last year's open episode does not start when this year's first episode starts", "DECOM",
          LAST + "SELECT c.child_id, CAST(c.start_date AS TEXT) FROM cur c JOIN prev p USING (child_id) "
                 "WHERE c.n = 1 AND p.end_date IS NULL AND c.start_date <> p.start_date"),
    *[Check(code, f"The {label} of the first episode differs from last year's open episode", field,
            LAST + f"SELECT c.child_id, coalesce(c.{column}, '') FROM cur c JOIN prev p USING (child_id) "
                   f"WHERE c.n = 1 AND p.k = 1 AND p.end_date IS NULL AND c.{column} IS DISTINCT FROM p.{column}"
            + extra)
      for code, label, field, column, extra in [
          ("503A", "reason for new episode", "RNE", "reason_new", ""),
          ("503B", "legal status", "LS", "legal_status", ""),
          ("503C", "category of need", "CIN", "category_of_need", ""),
          ("503D", "placement type", "PLACE", "placement",
           # the codes that replaced others: H5 became K3 (2024-25), Z1 became Z11-Z14 (2025-26)
           " AND NOT (c.year IN (2024, 2025) AND c.placement = 'K3' AND p.placement = 'H5')"
           " AND NOT (c.year = 2026 AND c.placement IN ('Z11', 'Z12', 'Z13', 'Z14') AND p.placement = 'Z1')"),
          ("503E", "placement provider", "PLACE_PROVIDER", "provider", "")]],
    Check("562", "An episode that began before the year is not last year's latest episode", "DECOM",
          LAST + ", b AS (SELECT child_id, min(start_date) AS start_date FROM cur WHERE start_date < first_day "
                 "GROUP BY child_id) SELECT b.child_id, CAST(b.start_date AS TEXT) FROM b "
                 "LEFT JOIN prev p ON p.child_id = b.child_id AND p.k = 1 AND p.start_date = b.start_date "
                 "WHERE p.child_id IS NULL AND EXISTS (SELECT 1 FROM prev)"),
    Check("NoE", "Looked after before the year, but not in last year's return", "DECOM",
          LAST + "SELECT c.child_id, CAST(c.start_date AS TEXT) FROM cur c WHERE c.start_date < c.first_day "
                 "AND EXISTS (SELECT 1 FROM prev) AND NOT EXISTS (SELECT 1 FROM prev p WHERE p.child_id = c.child_id)"),
    *[Check(code, f"The {label} disagrees with last year's return", field,
            "SELECT c.child_id, coalesce(" + value + ", '') FROM {schema}.lac_children c "
            "JOIN {schema}.lac_children l ON l.la = c.la AND l.year = c.year - 1 AND l.child_id = c.child_id "
            f"WHERE c.la = ? AND c.year = ? AND c.{column} IS NOT NULL AND l.{column} IS NOT NULL "
            f"AND c.{column} <> l.{column}")
      for code, label, field, column, value in [
          ("202", "sex", "SEX", "sex", "c.sex"),
          ("203", "month of birth", "DOB", "birth_month", "CAST(c.birth_month AS TEXT)"),
          ("204", "ethnicity", "ETHNIC", "ethnicity", "c.ethnicity")]],
    Check("199", "Episode after the child was adopted from care", "REC",
          SEQ + ", a AS (SELECT child_id, start_date, reason_end, sum(CASE WHEN reason_end IN ('E11', 'E12') THEN 1 "
                "ELSE 0 END) OVER (PARTITION BY child_id ORDER BY start_date, episode ROWS UNBOUNDED PRECEDING) "
                "AS adopted FROM s) SELECT child_id, CAST(start_date AS TEXT) FROM a WHERE adopted > 1 "
                "OR (adopted = 1 AND coalesce(reason_end, '') NOT IN ('E11', 'E12'))"),
    Check("142", "A new episode started, but the previous one has not ended", "DEC",
          _episodes("CAST(start_date AS TEXT)", "n_episode IS NOT NULL AND (end_date IS NULL OR reason_end IS NULL)")),
    Check("501", "A new episode started before the previous one ended", "DECOM",
          _episodes("CAST(start_date AS TEXT)", "start_date < p_end_date")),
    Check("388", "Reason ceased 'new episode begins' (X1) without a continuation episode, or the reverse", "REC",
          _episodes("CAST(end_date AS TEXT)", "end_date IS NOT NULL AND ("
                    "(reason_end = 'X1' AND (n_episode IS NULL OR end_date <> n_start_date)) "
                    "OR (reason_end <> 'X1' AND end_date = n_start_date))")),
    Check("437", "Ceased as died or aged 18 or over (E2, E15), but there are further episodes", "REC",
          _episodes("reason_end", "reason_end IN ('E2', 'E15') AND n_episode IS NOT NULL")),
    Check("431", "Started to be looked after (S), but the previous episode ended on or after that day", "RNE",
          _episodes("CAST(start_date AS TEXT)", "reason_new = 'S' AND start_date <= p_end_date")),
    Check("432", "Ceased to be looked after at the end of the previous episode, but the new one is not S", "RNE",
          _episodes("coalesce(reason_new, '')", f"p_reason_end IN {_CEASED} AND coalesce(reason_new, '') <> 'S'")),
    Check("433", "A continuation episode does not start on the day the previous one ended", "DECOM",
          _episodes("CAST(start_date AS TEXT)", "reason_new IN ('P', 'L', 'T', 'U', 'B') "
                    "AND p_episode IS NOT NULL AND (p_end_date IS NULL OR p_end_date <> start_date)")),
    Check("434", "Reason 'legal status changed' (L), but the legal status is the same or the placement changed",
          "RNE",
          _episodes("reason_new", "reason_new = 'L' AND p_episode IS NOT NULL AND ("
                    "legal_status IS NOT DISTINCT FROM p_legal_status OR placement IS DISTINCT FROM p_placement "
                    "OR provider IS DISTINCT FROM p_provider)")),
    Check("435", "Reason 'placement changed' (P, T), but the legal status changed", "RNE",
          _episodes("reason_new", "reason_new IN ('P', 'T') AND p_episode IS NOT NULL "
                    "AND legal_status IS DISTINCT FROM p_legal_status")),
    Check("436", "Reason 'both changed' (B, U), but the legal status did not change", "RNE",
          _episodes("reason_new", "reason_new IN ('B', 'U') AND p_episode IS NOT NULL "
                    "AND legal_status IS NOT DISTINCT FROM p_legal_status")),
    Check("357", "The child's first episode, in the year, does not start to be looked after (S)", "RNE",
          _episodes("coalesce(reason_new, '')",
                    "n = 1 AND start_date >= first_day AND coalesce(reason_new, '') <> 'S'")),
    Check("504", "Category of need differs from the start of the period of care", "CIN",
          _episodes("coalesce(category_of_need, '')", "p_reason_end = 'X1' AND p_end_date = start_date "
                    "AND category_of_need IS DISTINCT FROM p_category_of_need")),
    Check("426", "Respite care recorded under both V3 and V4 in the year", "LS",
          "WITH v AS (SELECT child_id, legal_status, min(legal_status) OVER (PARTITION BY child_id) AS least_status, "
          "max(legal_status) OVER (PARTITION BY child_id) AS most_status FROM {schema}.lac_episodes "
          "WHERE la = ? AND year = ? AND legal_status IN ('V3', 'V4')) "
          "SELECT child_id, legal_status FROM v WHERE least_status <> most_status"),
    Check("361", "Police protection (L1) lasted longer than 72 hours", "LS", _run("L1", 3)),
    Check("362", "Emergency protection order (L2) lasted longer than 21 days", "LS", _run("L2", 21)),
    Check("363", "Child assessment order (L3) lasted longer than 7 days", "LS", _run("L3", 7)),
    Check("364", "Detention under PACE (J2) lasted longer than 21 days", "LS", _run("J2", 21)),
    Check("367", "More than 75 days of respite care (V3) in the year", "LS",
          SEQ + ", v AS (SELECT child_id, start_date, least(coalesce(end_date, last_day), last_day) "
                "- greatest(start_date, first_day) AS days FROM s WHERE legal_status = 'V3') "
                "SELECT child_id, CAST(start_date AS TEXT) FROM v WHERE days > 0 AND child_id IN ("
                "SELECT child_id FROM v WHERE days > 0 GROUP BY child_id HAVING sum(days) > 75)"),
    Check("225", "Reason for placement change missing when the placement changed", "REASON_PLACE_CHANGE",
          _episodes("CAST(end_date AS TEXT)", f"reason_end = 'X1' AND reason_place_change IS NULL "
                    f"AND coalesce(placement, '') NOT IN {_TEMP} AND n_reason_new IN ('P', 'B', 'T', 'U') "
                    f"AND coalesce(n_placement, '') NOT IN {_TEMP}")),
    Check("226", "Reason for placement change given for a temporary placement", "REASON_PLACE_CHANGE",
          _episodes("coalesce(reason_place_change, p_reason_place_change)",
                    f"placement IN {_TEMP} AND (reason_place_change IS NOT NULL "
                    "OR p_reason_place_change IS NOT NULL)")),
]

CHECKS = {"cin": CIN_CHECKS, "ssda903": LAC_CHECKS}


def _together(checks):
    """One query for the checks that start from SEQ: (rule, child, value) rows."""
    bodies = [check.sql[len(SEQ):].lstrip() for check in checks]
    bodies = ["WITH" + body[1:] if body.startswith(",") else body for body in bodies]  # its own CTEs, nested
    parts = [f"SELECT '{check.rule}', child_id, value FROM ({body}) AS q{n} (child_id, value)"
             for n, (check, body) in enumerate(zip(checks, bodies))]
    return SEQ.replace("WITH s AS (", "WITH s AS MATERIALIZED (", 1) + " UNION ALL ".join(parts)


def run_checks(store, *, la, year, kind, findings=None):
    """Add what each check finds to `findings` (a new Findings if none); return it."""
    findings = findings if findings is not None else Findings("")
    start, end = datetime.date(year - 1, 4, 1), datetime.date(year, 3, 31)
    checks = CHECKS[kind]
    with store.reader() as reader:
        results = []
        together = [check for check in checks if check.sql.startswith(SEQ)]
        if together:  # the episodes in sequence worked out once for all these checks (20 scans -> 1)
            found = {check.rule: [] for check in together}
            for rule, child, value in reader.query(_together(together), (la, year)):
                found[rule].append((child, value))
            results += [(check, found[check.rule]) for check in together]
        for check in checks:
            if check in together:
                continue
            params = [la, year]
            if check.uses_year_bounds == "twice":  # the authority and the year given twice
                params += [la, year]
            elif check.uses_year_bounds:
                params += [end] if check.sql.count("?") == 3 else [start, end]
            results.append((check, reader.query(check.sql, tuple(params))))
    for check, rows in results:
        rule = Rule(check.rule, ERROR, check.name)  # every check has its DfE rule number
        for child, value in rows:
            findings.add(rule, field=check.field, child=child or "", value=value or "",
                         message=f"{check.name}" + (f" ({value})" if value else ""))
    return findings
