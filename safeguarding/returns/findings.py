"""What an import found in a return, and what came of it: loaded, loaded with warnings, loaded with errors, or refused.

- **Refused** (ReturnRejected, store unchanged): not a return, not well-formed, hostile, for another authority, or
  a field the indicators need unreadable in so many records that the figures would be wrong (REFUSAL_SHARE).
- **Error**: a DfE validation rule is broken. The record is kept if its indicator fields can be read; a record that
  would make a figure wrong (a date that cannot be read, a plan with no start) is left out of that figure, and
  ``left_out`` counts it figure by figure.
- **Warning**: looseness that changes no figure (``true`` for ``1``, elements in another order, an element of
  another year's schema, spaces around a value).

A finding names the child by pseudonym only. Every finding is counted; the details of the first
DETAILS_PER_RULE of each rule are kept for the quality report.
"""
from collections import Counter
from dataclasses import dataclass

ERROR, WARNING = "error", "warning"
OUTCOME_LABELS = {"clean": "Loaded", "warnings": "Loaded with warnings", "errors": "Loaded with errors"}
DETAILS_PER_RULE = 1000

# A field the indicators need that cannot be read in more than this share of the records that carry it, and in
# more than REFUSAL_MINIMUM of them, makes the return's figures untrustworthy: the import is refused. Below it the
# records are left out of the figures they feed and counted. 2% is about the year-on-year change the partnership
# watches in most indicators (docs/indicators.md): more missing than that could hide a real change. The minimum
# keeps a small test file with one bad date loadable, with the record left out.
REFUSAL_SHARE = 0.02
REFUSAL_MINIMUM = 5

# Which figures each field feeds (indicator codes of safeguarding.indicators.engine.definitions).
CPP_FIGURES = ("cpp_open", "cpp_2_years", "cpp_starts", "cpp_second_or_subsequent", "cpp_ceased")
LAC_FIGURES = ("lac_open", "lac_starts", "lac_ceased")
FIGURES = {
    "CINreferralDate": ("referrals", "re_referrals"),
    "AssessmentAuthorisationDate": ("assessments_completed",),
    "S47ActualStartDate": ("s47_started",),
    "DateOfInitialCPC": ("icpcs",),
    "CPPstartDate": CPP_FIGURES,
    "CPPendDate": CPP_FIGURES,
    "NumberOfPreviousCPP": ("cpp_second_or_subsequent",),
    "DECOM": LAC_FIGURES,
    "DEC": LAC_FIGURES,
    "LS": LAC_FIGURES,
    "RNE": ("lac_starts",),
    "REC": ("lac_ceased",),
}


@dataclass(frozen=True)
class Rule:
    code: str  # the DfE rule number, or our own code (S- schema, L- looseness) where the DfE has none
    severity: str
    title: str


def kind(rule):
    """"query" for a DfE rule whose number ends in Q (amend the record or give the DfE a reason), else its
    severity: what the command and the pages call it."""
    return "query" if rule.severity == ERROR and rule.code.endswith("Q") else rule.severity


class Findings:
    def __init__(self, file):
        self.file = file
        self.rules = {}
        self.counts = Counter()
        self.children = {}  # rule code -> set of children flagged (pseudonyms)
        self.details = []
        self.left_out = Counter()  # figure -> records left out of it
        self.carried = Counter()  # indicator field -> records that carry it
        self.unreadable = Counter()  # indicator field -> records in which it could not be read

    def add(self, rule, *, where="", field="", child="", value="", message=""):
        code = rule.code
        self.rules.setdefault(code, rule)  # the first title found for a rule number names it
        self.counts[code] += 1
        if child:
            self.children.setdefault(code, set()).add(child)
        if self.counts[code] <= DETAILS_PER_RULE:
            self.details.append({"rule": code, "severity": rule.severity, "check_name": rule.title[:100],
                                 "child": child or "", "field": field[:60], "where": where[:60],
                                 "value": str(value)[:100], "message": (message or rule.title)[:300]})

    def leave_out(self, field):
        """A record is left out of the figures its unreadable `field` feeds."""
        for figure in FIGURES.get(field, ()):
            self.left_out[figure] += 1

    def carry(self, field, readable=True):
        self.carried[field] += 1
        if not readable:
            self.unreadable[field] += 1

    def untrustworthy(self):
        """(field, unreadable, carried) for each indicator field over the refusal threshold."""
        return [(f, n, self.carried[f]) for f, n in sorted(self.unreadable.items())
                if n > REFUSAL_MINIMUM and n > REFUSAL_SHARE * self.carried[f]]

    def count(self, severity):
        return sum(n for code, n in self.counts.items() if self.rules[code].severity == severity)

    @property
    def outcome(self):
        return "errors" if self.count(ERROR) else "warnings" if self.count(WARNING) else "clean"

    def summary(self):
        """Each rule with its kind, count and how many children it flags, errors first."""
        return [{"rule": code, "severity": self.rules[code].severity, "kind": kind(self.rules[code]),
                 "title": self.rules[code].title, "count": n, "children": len(self.children.get(code, ()))}
                for code, n in sorted(self.counts.items(),
                                      key=lambda item: (self.rules[item[0]].severity != ERROR, item[0]))]


@dataclass(frozen=True)
class Check:
    """A DfE rule checked on the stored return (quality.py, cin_rules.py): SQL selecting (child_id, value) for the
    (la, year) given as its first two parameters; a row whose child is NULL is a finding about the whole return.
    uses_year_bounds: True adds the year's first and last day (or the last only, for three parameters); "twice"
    gives the authority and year again."""

    rule: str
    name: str
    field: str
    sql: str
    uses_year_bounds: bool | str = False
