"""Sentences written from the table's figures, each carrying the figures it rests on.

The register follows a partnership's yearly report ("The rate of S47 enquiries starting increased
by 72.4% and is now higher than all comparator groups"); the words are generated, the numbers are
the table's own, so every claim can be traced back.
"""
from dataclasses import dataclass, field

from safeguarding.indicators.rounding import round_half_up, what_if
from safeguarding.indicators.table import SUBJECTS, year_label


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
            change = round_half_up(row.change.value, 1)
            if change > 0:
                movement = f"increased by {change}%"
            elif change < 0:
                movement = f"decreased by {abs(change)}%"
            else:
                movement = "did not change"
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
        if row.code in ("s47_started", "cpp_open") and phrase and row.change is not None and row.change.value:
            direction = "increased" if row.change.value > 0 else "decreased"
            said.append(Sentence(
                f"{subject} {direction} by {abs(round_half_up(row.change.value, 1))}% and is now {phrase}.",
                evidence))
    said += what_if_sentences(table)
    said += [Sentence(flag, kind="flag") for flag in table.flags]
    return said


def what_if_sentences(table):
    out = []
    for row in table.rows:
        if row.code != "cpp_open" or row.now.rate.value is None:
            continue
        population = table.population.get(table.year)
        if not population:
            continue
        targets = [(heading, row.comparators[key]) for key, heading in table.groups
                   if row.comparators.get(key) and row.comparators[key].value is not None
                   and row.comparators[key].value < row.now.rate.value]
        if not targets:
            continue
        lowest = min(figure.value for _, figure in targets)
        names = [heading for heading, figure in targets if figure.value == lowest]
        exact, rounded = what_if(round_half_up(lowest, 0), population[0])
        out.append(Sentence(
            f"To match the {' and '.join(names)} rate of {round_half_up(lowest, 0)} per 10,000, the number of "
            f"children on plans would need to be around {rounded:,} (exactly {exact:,.0f} in a population of "
            f"{population[0]:,}).",
            [("population", f"{population[0]:,}", population[1])], kind="what-if"))
    return out
