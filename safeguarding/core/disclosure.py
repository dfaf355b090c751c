"""Disclosure control: which figures a person without the right to detail may see (docs/architecture.md, "Data rules",
ADR 0017). Every page, download, API answer and report that shows a count of children, contacts or visits
decides here, and nowhere else, what is shown as ``c``.

Primary suppression: a count from 1 to 5 is shown as ``c``.

Secondary suppression, so that no figure shown lets a suppressed count be worked out:

- a figure worked out from a suppressed count (a rate, a percentage or share, a change, an average) is ``c``
  as well, whichever side of the division the count is on;
- where counts add up to a total shown with them (categories of a whole, sectors of the referrals), a group
  never has exactly one ``c``: the smallest other part is suppressed too (complementary suppression, as the
  DfE does), and so on until no group has a single one, across every group the count belongs to; nor c parts
  that could only be all 1 or all 5 (two c adding up to 2);
- a count has one key, and one decision, wherever it is shown on the page or in the document, so the same
  count is never ``c`` in one table and a number in another.

Pure Python: the callers say which counts they show and how they add up; this module says what is shown.
"""
from dataclasses import dataclass, field

SUPPRESSED = "c"
SMALLEST, LARGEST = 1, 5
EXPLAINED = "Numbers from 1 to 5, and figures from which one could be worked out, are shown as c."

# Stored indicator values whose counts add up to another indicator of the same year: each referral has one
# source, each new plan one initial category. (Assessment factors and timeliness overlap or nest: not additive.)
INDICATOR_FAMILIES = {"referral_source:": "referrals", "initial_category:": "cpp_starts"}
# Stored indicator values that are a share of another stored value of the same year, named by the part of the code
# after the prefix: the referrals from a source that had a completed assessment are a share of that source's
# referrals, and what those assessments found a share of them. The denominator is then that value's count, with its
# key and its one decision, so a count hidden in one table is not shown as the denominator of another.
SHARE_OF = {"source_assessed:": "referral_source:", "source_domestic_abuse:": "source_assessed:",
            "source_group:": "source_assessed:"}

# Stored values "decision:<point>:<dimension>:<group>" (disproportionality, ADR 0028): for each point and dimension
# the groups' children, and the children at the point before, add up to those of "decision:<point>:all:All children".
PARTITIONED = "decision:"
PARTITION_TOTAL = "all:All children"


def is_small(count):
    """A count from 1 to 5 (zero is shown: it identifies nobody)."""
    return count is not None and SMALLEST <= count <= LARGEST


def suppressed_keys(counts, groups=()):
    """The keys of ``counts`` ({key: count}) to show as c. ``groups``: (total key, [part keys]) for counts that
    add up; a key not in ``counts`` is not shown and is left out of its group."""
    hidden = {key for key, n in counts.items() if is_small(n)}
    groups = [[key for key in (total, *parts) if key in counts] for total, parts in groups]
    changed = True
    while changed:  # hiding a part may leave another group it belongs to with a single c
        changed = False
        for cells in groups:
            if not _single(cells, hidden, counts):
                continue
            # The total is the last to go: a reader needs it, and the parts are what identify people.
            others = [key for key in cells[1:] if key not in hidden] or [key for key in cells if key not in hidden]
            if not others:
                continue
            # The smallest part that is not zero (a c over a zero hides nothing), else a zero.
            hidden.add(min(others, key=lambda key: (counts[key] == 0, counts[key])))
            changed = True
    return hidden


def _single(cells, hidden, counts):
    """Whether the group's c cells could be worked out: one alone (the total minus the others), or several parts
    whose sum leaves each one value from 1 to 5 (all 1, or all 5) when the total is shown."""
    parts = [key for key in cells[1:] if key in hidden]
    if sum(1 for key in cells if key in hidden) == 1:
        return True
    if cells and cells[0] not in hidden and len(parts) > 1:
        left = sum(counts[key] for key in parts)
        return left in (len(parts), LARGEST * len(parts))
    return False


def count_text(n):
    return "" if n is None else f"{int(n):,}"


@dataclass
class Disclosure:
    """The counts of one page, download or report and the groups they add up in; ``suppress`` False for a
    person with the right to detail, who sees every figure as it is."""

    suppress: bool = True
    counts: dict = field(default_factory=dict)
    groups: list = field(default_factory=list)
    _hidden: set = None

    def count(self, key, n):
        """Register a count shown, or used in a figure shown."""
        self.counts[key] = n
        self._hidden = None
        return self

    def add_up(self, total, parts):
        """The counts ``parts`` add up to ``total``."""
        self.groups.append((total, list(parts)))
        self._hidden = None
        return self

    @property
    def hidden(self):
        if not self.suppress:
            return set()
        if self._hidden is None:
            self._hidden = suppressed_keys({k: n for k, n in self.counts.items() if n is not None}, self.groups)
        return self._hidden

    def is_hidden(self, *keys):
        """Whether a figure worked out from these counts is suppressed."""
        hidden = self.hidden
        return any(key in hidden for key in keys)

    def shown(self, key):
        """The count as shown: c, or the number with thousands separators ("" when there is none)."""
        return SUPPRESSED if self.is_hidden(key) else count_text(self.counts.get(key))

    def derived(self, text, *keys):
        """A figure worked out from these counts (a share, a rate, a change, an average), as shown."""
        return SUPPRESSED if self.is_hidden(*keys) else text


def small_count(n, suppress=True):
    """One count on its own, in no group and with nothing worked out from it: c for 1 to 5."""
    return SUPPRESSED if suppress and is_small(n) else count_text(n)


def denominator_key(value):
    """The key of a stored indicator value's denominator: the value it is a share of (``SHARE_OF``), else
    (year, indicator, "of")."""
    for prefix, whole in SHARE_OF.items():
        if value.indicator.startswith(prefix):
            return (value.year, whole + value.indicator[len(prefix):].split(":")[0])
    return (value.year, value.indicator, "of")


def indicator_values(values, suppress=True):
    """A Disclosure over stored indicator values (objects with year, indicator, value, numerator, denominator),
    keyed (year, indicator). A percentage is keyed by its numerator, its denominator by ``denominator_key``:
    (year, indicator, "of"), or the key of the value it is a share of (``SHARE_OF``). The parts of each family of
    ``INDICATOR_FAMILIES`` add up to their total."""
    found = Disclosure(suppress)
    families = {}
    for v in values:
        key = (v.year, v.indicator)
        if v.numerator is None and v.denominator is None:
            found.count(key, v.value if v.value is not None and v.value == int(v.value) else None)
            continue
        found.count(key, v.numerator)
        found.count(denominator_key(v), v.denominator)
        family = next((prefix for prefix in INDICATOR_FAMILIES if v.indicator.startswith(prefix)), None)
        if family:
            families.setdefault((v.year, family), []).append(key)
        if v.indicator.startswith(PARTITIONED):
            point, dimension, _ = v.indicator[len(PARTITIONED):].split(":", 2)
            if dimension != PARTITION_TOTAL.split(":")[0]:
                families.setdefault((v.year, PARTITIONED, point, dimension), []).append(key)
    for (year, family, *partition), parts in [(k, p) for k, p in families.items() if k[1] == PARTITIONED]:
        total = (year, f"{PARTITIONED}{partition[0]}:{PARTITION_TOTAL}")
        found.add_up(total, parts)
        found.add_up((*total, "of"), [(*part, "of") for part in parts])
    for (year, family), parts in [(k, p) for k, p in families.items() if k[1] != PARTITIONED]:
        total = (year, INDICATOR_FAMILIES[family])
        if total not in found.counts:  # the family's share is of its total: the same count
            total = (year, parts[0][1], "of")
        found.add_up(total, parts)
    return found


def value_hidden(disclosure, value):
    """Whether a stored indicator value (a count, or a percentage and its two sides) is shown as c."""
    return disclosure.is_hidden((value.year, value.indicator), denominator_key(value))


def published(text, marker=""):
    """A figure another body published (a DfE comparator, the DfE's workforce rates), as it is shown here: as
    published, since it is not worked out from any count held here and the publisher has applied its own control;
    where it withheld the figure, its own marker (c, x, z ...), never a number of ours in its place."""
    return marker or text
