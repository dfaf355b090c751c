"""Dates as proleptic ordinals, England and Wales bank holidays, working days."""

from datetime import date
from functools import lru_cache

from safeguarding.working_days import bank_holidays as system_bank_holidays


@lru_cache(maxsize=None)
def bank_holidays(year):
    """England and Wales bank holidays of one calendar year, as a frozenset of ordinals (the system's one
    calendar, safeguarding.working_days, in the generator's fast ordinal form)."""
    return frozenset(d.toordinal() for d in system_bank_holidays(year))


_LO = date(2000, 1, 1).toordinal()
_HI = date(2045, 12, 31).toordinal()


@lru_cache(maxsize=1)
def _table():
    """Working-day flags and cumulative counts for 2000-2045, for O(1) arithmetic."""
    flags = bytearray(_HI - _LO + 1)
    for o in range(_LO, _HI + 1):
        d = date.fromordinal(o)
        flags[o - _LO] = d.weekday() < 5 and o not in bank_holidays(d.year)
    cum = [0] * len(flags)  # working days in [_LO, o]
    n = 0
    days = []
    for i, f in enumerate(flags):
        if f:
            n += 1
            days.append(i + _LO)
        cum[i] = n
    return flags, cum, days


def is_working_day(o):
    if _LO <= o <= _HI:
        return bool(_table()[0][o - _LO])
    d = date.fromordinal(o)
    return d.weekday() < 5 and o not in bank_holidays(d.year)


def add_working_days(o, n):
    """The date n working days after ordinal o (before it if n < 0)."""
    if _LO + 400 <= o <= _HI - 400 and abs(n) < 250:
        flags, cum, days = _table()
        k = cum[o - _LO]  # working days up to and including o
        if n >= 0:
            return days[k + n - 1] if n else o
        # n < 0: the |n|-th working day strictly before o
        before = k - (1 if flags[o - _LO] else 0)
        return days[before + n]
    step = 1 if n >= 0 else -1
    n = abs(n)
    while n:
        o += step
        if is_working_day(o):
            n -= 1
    return o


def working_days_between(a, b):
    """Working days after a up to and including b (0 if b <= a)."""
    if b <= a:
        return 0
    if _LO <= a and b <= _HI:
        cum = _table()[1]
        return cum[b - _LO] - cum[a - _LO]
    n = 0
    o = a
    while o < b:
        o += 1
        if is_working_day(o):
            n += 1
    return n


def year_start(y):
    """First day of collection year y (1 April y-1)."""
    return date(y - 1, 4, 1).toordinal()


def year_end(y):
    """Reference date of collection year y (31 March y)."""
    return date(y, 3, 31).toordinal()


def collection_year(o):
    d = date.fromordinal(o)
    return d.year + 1 if d.month >= 4 else d.year


def minus_months(o, months):
    d = date.fromordinal(o)
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    m += 1
    day = d.day
    while True:
        try:
            return date(y, m, day).toordinal()
        except ValueError:
            day -= 1


def add_years(o, years):
    d = date.fromordinal(o)
    try:
        return d.replace(year=d.year + years).toordinal()
    except ValueError:
        return date(d.year + years, 3, 1).toordinal()
