"""How dates, money and numbers are written on pages and in reports (UK style)."""
import datetime
from decimal import Decimal


def format_date(value, with_time=False):
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        value = timezone.localtime(value) if timezone.is_aware(value) else value
        text = f"{value.day} {value:%B %Y}"
        return f"{text} at {value:%H:%M}" if with_time else text
    return f"{value.day} {value:%B %Y}"


def format_money(value):
    if value in (None, ""):
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"£{value:,.0f}"
    return f"£{value:,.2f}"


def format_number(value):
    if value in (None, ""):
        return ""
    return f"{value:,}"


def megabytes(size):
    """A size as people read it: 1 MB is 1024 × 1024 bytes, as nginx's client_max_body_size counts."""
    value = size / (1024 * 1024)
    return f"{value:,.0f} MB" if value >= 10 else f"{value:,.1f} MB".replace(".0 MB", " MB")
