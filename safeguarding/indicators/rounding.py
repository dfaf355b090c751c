"""How figures are rounded and shown: DfE's conventions, or the whole numbers of a partnership's report."""
from decimal import ROUND_HALF_UP, Decimal


def percent(part, whole):
    """A share as a percentage to one decimal place, half up; None when there is nothing to divide by."""
    return None if not whole else round_half_up(Decimal(part) * 100 / Decimal(whole), 1)


def round_half_up(value, places=0):
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    return Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def places_for(unit, rate_family, style):
    """DfE: CIN rates and percentages to one decimal place, LAC rates to whole numbers.
    Report style (the reference report's table): whole numbers throughout."""
    if style == "report":
        return 0
    if unit == "percent":
        return 1
    return 0 if rate_family == "lac" else 1


def change_percent(now, before):
    if now is None or not before:
        return None
    return (Decimal(now) - Decimal(before)) * 100 / Decimal(before)


def what_if(target_rate, population):
    """The count a rate would need, to a whole child: 36 per 10,000 of 65,850 children is 237. One figure,
    not 'around 240 (exactly 237)', which says two things at once (ADR 0018)."""
    return int(round_half_up(Decimal(target_rate) * Decimal(population) / 10000))
