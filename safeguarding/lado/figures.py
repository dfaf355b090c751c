"""The LADO's yearly figures, as a yearly report quotes them: referrals and consultations in a financial
year, the change on the year before, the average of the years before, shares by sector, and how quickly
referrals reached an outcome against the 1, 3 and 12 month targets. Pure functions over the contacts."""
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from safeguarding.core.disclosure import Disclosure
from safeguarding.indicators.rounding import change_percent, percent, round_half_up
from safeguarding.working_days import add_months, financial_year, year_label

TARGET_MONTHS = (1, 3, 12)
# The reference report quotes consultations "by and about staff in education and foster carers" as one share:
# counted here by the sector of the person the consultation is about.
EDUCATION_AND_FOSTERING = ("education", "foster_carer")


def within(received_on, outcome_on, months):
    return outcome_on <= add_months(received_on, months)


@dataclass
class YearFigures:
    year: int
    referrals: int
    consultations: int
    referrals_before: int = None
    change: Decimal = None  # % change in referrals on the year before
    earlier_years: list = field(default_factory=list)  # years in the average
    earlier_referrals: dict = field(default_factory=dict)  # year -> referrals, for the years in the average
    average_before: Decimal = None  # referrals, mean of the earlier years
    consultations_by_sector: dict = field(default_factory=dict)
    referrals_by_sector: dict = field(default_factory=dict)
    consultations_education_fostering: int = 0
    concluded: int = 0  # referrals with an outcome in the year
    on_time: dict = field(default_factory=dict)  # months -> (number, percent)
    outcomes: dict = field(default_factory=dict)

    @property
    def label(self):
        return year_label(self.year)

    @property
    def education_fostering_share(self):
        return percent(self.consultations_education_fostering, self.consultations)


def year_figures(contacts, year, earlier=4):
    """``contacts``: objects with kind, received_on, employer_sector, referrer_sector, outcome, outcome_on."""
    counts = Counter((c.kind, financial_year(c.received_on)) for c in contacts)
    this = [c for c in contacts if financial_year(c.received_on) == year]
    figures = YearFigures(year, counts[("referral", year)], counts[("consultation", year)])
    if any(y < year for _, y in counts):
        figures.referrals_before = counts[("referral", year - 1)]
        figures.change = change_percent(figures.referrals, figures.referrals_before)
        held = sorted({y for _, y in counts if year - earlier <= y < year})
        figures.earlier_years = held
        figures.earlier_referrals = {y: counts[("referral", y)] for y in held}
        if held:
            figures.average_before = round_half_up(
                Decimal(sum(counts[("referral", y)] for y in held)) / len(held), 0)
    consultations = [c for c in this if c.kind == "consultation"]
    figures.consultations_by_sector = Counter(c.employer_sector for c in consultations)
    figures.referrals_by_sector = Counter(c.employer_sector for c in this if c.kind == "referral")
    figures.consultations_education_fostering = sum(
        1 for c in consultations if c.employer_sector in EDUCATION_AND_FOSTERING)
    concluded = [c for c in contacts if c.kind == "referral" and c.outcome_on
                 and financial_year(c.outcome_on) == year]
    figures.concluded = len(concluded)
    for months in TARGET_MONTHS:
        n = sum(1 for c in concluded if within(c.received_on, c.outcome_on, months))
        figures.on_time[months] = (n, percent(n, len(concluded)))
    figures.outcomes = Counter(c.outcome for c in concluded)
    return figures


def disclosure(f, suppress):
    """The year's counts for disclosure control, the same on the page and in the report: each sector's
    referrals and consultations add up to the year's, education and foster carers to their share; the change,
    the average and the shares are worked out from the counts named with them where they are shown."""
    found = Disclosure(suppress)
    found.count("referrals", f.referrals).count("consultations", f.consultations)
    found.count(("referrals", f.year - 1), f.referrals_before)
    for year, n in f.earlier_referrals.items():
        found.count(("referrals", year), n)
    for kind, by_sector in (("referrals", f.referrals_by_sector), ("consultations", f.consultations_by_sector)):
        for sector, n in by_sector.items():
            found.count((kind, sector), n)
        found.add_up(kind, [(kind, sector) for sector in by_sector])
    found.count("education and fostering", f.consultations_education_fostering)
    found.add_up("education and fostering", [("consultations", s) for s in EDUCATION_AND_FOSTERING
                                             if s in f.consultations_by_sector])
    found.count("concluded", f.concluded)
    for months, (n, _) in f.on_time.items():
        found.count(("on time", months), n)
    return found


def change_shown(f, found, text):
    """The change on the year before, as shown: worked out from this year's referrals and the year before's."""
    return found.derived(text, "referrals", ("referrals", f.year - 1))


def average_shown(f, found):
    """The average of the years before, as shown: worked out from each of their referrals."""
    return found.derived(f"{f.average_before:,}", *[("referrals", year) for year in f.earlier_years])


def _change_words(change):
    """A change in whole per cent, as the LADO's table shows it; one that rounds to 0 is said as such."""
    rounded = round_half_up(change, 0)
    if change == 0:
        return "the same as"
    direction = "down" if change < 0 else "up"
    return f"{direction} {abs(rounded)}%" if rounded else f"{direction} less than 0.5%"


def paragraph(f, suppress=False):
    """The yearly report's LADO paragraph, written from the figures. Each figure is said once, as the LADO's
    table shows it: counts whole, the change and the share in whole per cent. With ``suppress`` (anyone
    without the right to detail, and anything published) every count is as the table shows it (c for 1 to 5,
    and for any count from which one could be worked out: core/disclosure.py), and the change, share and
    average worked out from a hidden count are left out, so the sentence gives away no more than the table."""
    found = disclosure(f, suppress)
    before = ("referrals", f.year - 1)

    def counted(key, word):  # "c referrals", never "c referral", which would tell it is 1
        shown = found.shown(key) or "0"
        return f"{shown} {word}" + ("" if shown == "1" else "s")

    if f.referrals_before is None:
        return (f"The LADO received {counted('referrals', 'referral')} and "
                f"{counted('consultations', 'consultation')} in {f.label}.")
    text = f"The LADO received {counted('referrals', 'referral')} in {f.label}"
    if f.change is None:  # none the year before: no percentage to give
        text += ", against none the year before"
    elif not found.is_hidden("referrals", before):
        text += f", {_change_words(f.change)} on the year before ({found.shown(before)})"
    if (f.average_before is not None and len(f.earlier_years) > 1
            and not found.is_hidden(*[("referrals", year) for year in f.earlier_years])):
        first, last = f.earlier_years[0], f.earlier_years[-1]
        text += (f" and against a {len(f.earlier_years)}-year average of {f.average_before:,} "
                 f"({year_label(first)} to {year_label(last)})")
    verb = "was" if found.shown("consultations") == "1" else "were"
    text += f". There {verb} {counted('consultations', 'consultation')}"
    if f.consultations and not found.is_hidden("consultations", "education and fostering"):
        text += (f", {round_half_up(f.education_fostering_share, 0)}% of them about staff in education and "
                 "foster carers")
    return text + "."
