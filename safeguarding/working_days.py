"""Working days in England and Wales: Monday to Friday except the bank holidays of England and Wales.

Statutory clocks (assessments within 45 working days, conferences within 15, case review stages)
count these days. One calendar for the whole system.
"""
import calendar
import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def bank_holidays(year):
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day):
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(day, count):
    """The date `count` working days after `day` (the day itself not counted)."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += datetime.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start, end):
    """Working days after `start` up to and including `end` (0 if end is not after start)."""
    if end <= start:
        return 0
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def working_day_index(first, last):
    """(date, n) for every date from first to last: n counts working days from `first`, so the working days
    between two dates is the difference of their numbers — a calendar table a database can join."""
    rows, n, day = [], 0, first
    while day <= last:
        if is_working_day(day) and day != first:
            n += 1
        rows.append((day, n))
        day += datetime.timedelta(days=1)
    return rows


def financial_year(day):
    """The financial (and DfE collection) year a day falls in, named by the year it ends: 2021 for 2020-21."""
    return day.year + 1 if day.month >= 4 else day.year


def year_label(year):
    """A financial year as the partnership writes it, from the year it ends in: 2021 is "2020-21"."""
    return f"{year - 1}-{year % 100:02d}"


def financial_year_bounds(year):
    """The first and last day of a financial year named by the year it ends: 2021 is 1 April 2020 to 31 March
    2021."""
    return datetime.date(year - 1, 4, 1), datetime.date(year, 3, 31)


def add_months(day, months):
    """The same day so many calendar months later (the last day of a shorter month): statutory targets
    given in months (a review within six months, a LADO outcome within one)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
