"""Sentences written from the table's figures, each carrying the figures it rests on.

The register follows a partnership's yearly report ("The rate of S47 enquiries starting increased by
71.3%, from 115 to 197 per 10,000 children"); the words are generated, the numbers are the table's own,
so every claim can be traced back (ADR 0018):
- a change of a count is worked out from the two counts, a change of a rate from the two rates (the
  reference report stated the count's change as the rate's, which is wrong when the population moves);
- each figure is said once, rounded as the table shows it (never "around 210 (exactly 206)");
- the table given is the one the reader sees, so a figure suppressed there (value None) is left out here.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from safeguarding.indicators.rounding import change_percent, round_half_up, what_if
from safeguarding.indicators.table import SUBJECTS
from safeguarding.working_days import year_label


@dataclass
class Sentence:
    text: str
    evidence: list = field(default_factory=list)  # (what, shown value, source)
    kind: str = "finding"  # "finding", "what-if", "flag"


def _compare(row, groups):
    rate = row.now.rate
    if rate.value is None:
        return None, []
    higher, lower, level = [], [], []
    for key, heading in groups:
        figure = row.comparators.get(key)
        if figure is None or figure.value is None:
            continue
        if figure.shown == rate.shown:
            level.append(heading)
        elif rate.value > figure.value:
            higher.append(heading)
        else:
            lower.append(heading)
    compared = higher + lower + level
    if not compared:
        return None, []
    if len(higher) == len(compared):
        phrase = "higher than all comparator groups" if len(compared) > 1 else f"higher than {compared[0]}"
    elif len(lower) == len(compared):
        phrase = "lower than all comparator groups" if len(compared) > 1 else f"lower than {compared[0]}"
    else:
        parts = []
        if higher:
            parts.append("higher than " + " and ".join(higher))
        if level:
            parts.append("in line with " + " and ".join(level))
        if lower:
            parts.append("lower than " + " and ".join(lower))
        phrase = ", ".join(parts)
    evidence = [(f"{heading} {year_label(row.now.year)}", row.comparators[key].shown, row.comparators[key].source)
                for key, heading in groups if row.comparators.get(key) and row.comparators[key].value is not None]
    return phrase, evidence


def _rate_words(row):
    if row.unit == "percent":
        return f"{row.now.rate.shown} of the year's figure"
    return f"{row.now.rate.shown} per 10,000 children"


def _movement(change):
    """A change in per cent, to one decimal place as the table's change column shows it."""
    if change == 0:
        return "did not change"
    change = round_half_up(change, 1)
    if change > 0:
        return f"increased by {change}%"
    if change < 0:
        return f"decreased by {abs(change)}%"
    return "changed by less than 0.05%"


def rate_sentence(row, subject, phrase, evidence):
    """The change of a rate, worked out from the table's two rates, never from the counts (the population
    moves too), and from the rates as the sentence and the table show them, so that "from 47.8 to 38.8"
    is followed by the 18.8% anyone works out from them (the unrounded rates may give 18.7%)."""
    now, before = row.now.rate, row.before.rate if row.before else None
    if row.unit != "rate" or before is None or now.value is None or before.value is None:
        return []
    change = change_percent(_shown_number(now.shown), _shown_number(before.shown))
    if change is None:
        return []
    text = (f"{subject} {_movement(change)}, from {before.shown} per 10,000 children in "
            f"{year_label(row.before.year)} to {now.shown} in {year_label(row.now.year)}")
    text += f", and is now {phrase}." if phrase else "."
    return [Sentence(text, evidence + [(f"{row.label} rate {year_label(row.before.year)}", before.shown,
                                        before.source)])]


def sentences(table):
    said = []
    groups = table.groups
    for row in table.rows:
        if row.now.number.value is None:
            continue
        evidence = [(f"{row.label} {year_label(row.now.year)}", row.now.number.shown, row.now.number.source),
                    (f"{row.label} rate {year_label(row.now.year)}", row.now.rate.shown, row.now.rate.source)]
        name = SUBJECTS.get(row.code, row.label)
        subject = f"The rate of {name}" if row.unit == "rate" else f"The proportion of {name}"
        if row.change is not None and row.change.value is not None and row.before.number.value:
            evidence.append((f"{row.label} {year_label(row.before.year)}", row.before.number.shown,
                             row.before.number.source))
            movement = _movement(row.change.value)
            text = (f"{row.label}: {row.now.number.shown} in {year_label(row.now.year)} against "
                    f"{row.before.number.shown} in {year_label(row.before.year)}; the number {movement}")
        else:
            text = f"{row.label}: {row.now.number.shown} in {year_label(row.now.year)}"
        phrase, compared = _compare(row, groups)
        if phrase:
            text += f", and at {_rate_words(row)} it is {phrase}."
            evidence += compared
        else:
            text += "."
        said.append(Sentence(text, evidence))
        if row.code in ("s47_started", "cpp_open"):
            said += rate_sentence(row, subject, phrase, evidence)
    said += what_if_sentences(table)
    said += [Sentence(flag, kind="flag") for flag in table.flags]
    return said


def _shown_number(text):
    return Decimal(text.replace(",", "").rstrip("%"))


def what_if_sentences(table):
    """What it would take to match the lowest comparator: the count whose rate in this year's population
    is the comparator's rate as the table shows it, to a whole child."""
    out = []
    for row in table.rows:
        if row.code != "cpp_open" or row.now.rate.value is None:
            continue
        population = table.population.get(table.year)
        if not population:
            continue
        # Compared as the table shows them: a comparator shown at the authority's own rate is already matched.
        own = _shown_number(row.now.rate.shown)
        targets = [(heading, row.comparators[key]) for key, heading in table.groups
                   if row.comparators.get(key) and row.comparators[key].value is not None
                   and _shown_number(row.comparators[key].shown) < own]
        if not targets:
            continue
        lowest = min(targets, key=lambda target: _shown_number(target[1].shown))[1]
        names = [heading for heading, figure in targets if figure.shown == lowest.shown]
        needed = what_if(_shown_number(lowest.shown), population[0])
        out.append(Sentence(
            f"To match the {' and '.join(names)} rate of {lowest.shown} per 10,000, the number of children on "
            f"plans would need to be {needed:,} rather than {row.now.number.shown}, in a population of "
            f"{population[0]:,}.",
            [(f"{row.label} {year_label(row.now.year)}", row.now.number.shown, row.now.number.source)]
            + [(f"{heading} {year_label(table.year)}", figure.shown, figure.source) for heading, figure in targets
               if figure.shown == lowest.shown]
            + [("population", f"{population[0]:,}", population[1])], kind="what-if"))
    return out
