"""The attacker: every figure a person was shown, as names (one name per count, whichever page or file showed
it) and the relations a reader knows between them (parts add up to a total, a share is a part of a whole, a
change is worked out from two years, a rate from a count and a population, an average from the years). It tries
to work each suppressed count out again, and says which it could.

A count is recovered when exactly one value fits the figures shown, or when exactly one value from 1 to 5 fits
(the reader's guess that a c is a small number) and that guess is right. Only counts from 1 to 5 are what
suppression protects: a larger count suppressed to protect one is a leak only through what it then gives away,
which the search follows (a recovered count is used like a shown one)."""
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

SMALL = range(1, 6)
SEARCH = 20_000  # a count is at most this (no authority has more referrals in a year)
MAX_UNKNOWN = 3  # relations with more unknowns than this are not searched


def number(text):
    """A shown figure: "1,234" -> 1234, "75.0%" -> Decimal("75.0"), "c" -> "c", "" or words -> None."""
    text = (text or "").strip()
    if text == "c":
        return "c"
    match = re.fullmatch(r"([-+]?[\d,]+(?:\.\d+)?)%?", text)
    if not match:
        return None
    value = Decimal(match.group(1).replace(",", ""))
    return int(value) if "." not in match.group(1) and "%" not in text else value


def half_unit(value):
    """Half the last shown place of a Decimal: 75.0 -> 0.05, 49 -> 0.5."""
    exponent = value.as_tuple().exponent if isinstance(value, Decimal) else 0
    return Decimal(5) * Decimal(10) ** (exponent - 1)


@dataclass
class Relation:
    names: tuple
    check: object  # values (dict) -> bool
    where: str
    kind: str


@dataclass
class Ledger:
    shown: dict = field(default_factory=lambda: defaultdict(set))  # name -> {value}
    hidden: dict = field(default_factory=lambda: defaultdict(set))  # name -> {where}
    relations: list = field(default_factory=list)
    unseen_ok: set = field(default_factory=set)  # names never shown that a relation may still solve for

    def figure(self, name, text, where):
        value = number(text) if isinstance(text, str) else text
        if value == "c":
            self.hidden[name].add(where)
        elif isinstance(value, int):
            self.shown[name].add(value)
        return value

    def known(self, name, value):
        self.shown[name].add(value)

    def relate(self, names, check, where, kind):
        self.relations.append(Relation(tuple(names), check, where, kind))

    # The relations a reader knows --------------------------------------------------------------------

    def adds_up(self, total, parts, where):
        self.relate([total, *parts], lambda v: v[total] == sum(v[p] for p in parts), where, "total minus parts")

    def share(self, part, whole, text, where):
        pct = number(text)
        if not isinstance(pct, (int, Decimal)):
            return
        tolerance = half_unit(pct)
        self.relate([part, whole], lambda v: v[whole] > 0 and abs(Decimal(v[part]) * 100 / v[whole] - pct)
                    <= tolerance, where, "share of a whole")

    def change(self, now, before, text, where):
        pct = number(text)
        if not isinstance(pct, (int, Decimal)):
            return
        tolerance = half_unit(pct)
        self.relate([now, before], lambda v: v[before] > 0 and abs(Decimal(v[now] - v[before]) * 100 / v[before]
                                                                   - pct) <= tolerance, where, "change %")

    def rate(self, count, population, text, where):
        value = number(text)
        if not isinstance(value, (int, Decimal)) or population is None:
            return
        tolerance = half_unit(value)
        self.relate([count], lambda v: abs(Decimal(v[count]) * 10000 / population - value) <= tolerance, where,
                    "rate and population")

    def mean(self, names, text, where):
        value = number(text)
        if not isinstance(value, (int, Decimal)) or not names:
            return
        tolerance = half_unit(value)
        self.relate(names, lambda v: abs(Decimal(sum(v[n] for n in names)) / len(names) - value) <= tolerance,
                    where, "average")


@dataclass
class Leak:
    name: tuple
    value: int
    how: str
    where: str

    def __str__(self):
        return f"{self.name} = {self.value} by {self.how} ({self.where})"


def recover(ledger, truth):
    """The suppressed counts (truth 1 to 5) that the figures shown give away."""
    known = {name: next(iter(values)) for name, values in ledger.shown.items() if len(values) == 1}
    leaks = {}

    def found(name, value, how, where):
        if truth.get(name) != value:
            return False  # a wrong guess gives nothing away
        known[name] = value
        if truth[name] in SMALL and name in ledger.hidden and name not in leaks:
            leaks[name] = Leak(name, value, how, where)
        return True

    for name, places in ledger.hidden.items():
        if name in ledger.shown and name in truth:
            found(name, truth[name], "the same count shown elsewhere", ", ".join(sorted(places)))
    changed = True
    while changed:
        changed = False
        for relation in ledger.relations:
            unknown = [n for n in dict.fromkeys(relation.names) if n not in known]
            if not unknown or len(unknown) > MAX_UNKNOWN:
                continue
            if any(n not in ledger.hidden and n not in ledger.unseen_ok for n in unknown):
                continue  # a figure the reader never saw, and no reason to think it small
            solutions = _solve(relation, unknown, known)
            for name in unknown:
                values = {s[name] for s in solutions}
                if len(values) == 1 and found(name, values.pop(), relation.kind, relation.where):
                    changed = True
    return list(leaks.values())


def _solve(relation, unknown, known):
    """Every assignment of the unknowns that fits: the whole range when one is unknown, else 0 to 5 each (the
    reader's guess that what is hidden is small)."""
    if len(unknown) == 1:
        ranges = [range(0, SEARCH)]
        exact = [dict(zip(unknown, combo)) for combo in itertools.product(*ranges)
                 if _fits(relation, known, unknown, combo)]
        if len({s[unknown[0]] for s in exact}) == 1:
            return exact
    guesses = [dict(zip(unknown, combo)) for combo in itertools.product(range(0, 6), repeat=len(unknown))
               if _fits(relation, known, unknown, combo)]
    return [g for g in guesses if all(g[n] in SMALL for n in unknown)] or []


def _fits(relation, known, unknown, combo):
    values = dict(known)
    values.update(zip(unknown, combo))
    try:
        return relation.check(values)
    except (ZeroDivisionError, KeyError):
        return False
