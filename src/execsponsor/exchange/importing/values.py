"""Fast parsers for the values real exports contain: amounts, whole numbers, dates, datetimes, booleans, quarters.

They raise `ValueProblem` with a message for people; the engine adds the line and the column.
No Django form or model validation runs per row: at a million rows these parsers are the validation.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

UTC = dt.UTC


class ValueProblem(ValueError):
    """A value that cannot be read; the message says why, for a person."""


_CURRENCY = re.compile(r"[\s$€£¥₹]|USD|EUR|GBP|JPY|CHF|CAD|AUD", re.IGNORECASE)


def parse_amount(text: str) -> Decimal | None:
    """'$1,250,000.00', '1.250.000,00 €', '1 250 000', '(500)' → Decimal. Blank → None."""
    raw = text.strip()
    if not raw:
        return None
    cleaned = _CURRENCY.sub("", raw).replace("\u00a0", "").replace("'", "")
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1]
    cleaned = _normalise_separators(cleaned, raw)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueProblem(f"{raw!r} is not a number") from None
    if not value.is_finite():
        raise ValueProblem(f"{raw!r} is not a number")
    return -value if negative else value


def _normalise_separators(cleaned: str, raw: str) -> str:
    """Decide which of ',' and '.' is the decimal mark; refuse what cannot be decided."""
    has_comma, has_dot = "," in cleaned, "." in cleaned
    if has_comma and has_dot:
        if cleaned.rfind(",") > cleaned.rfind("."):  # 1.250.000,00
            return cleaned.replace(".", "").replace(",", ".")
        return cleaned.replace(",", "")  # 1,250,000.00
    if has_comma:
        if cleaned.count(",") > 1:
            return cleaned.replace(",", "")  # 1,250,000
        head, _, tail = cleaned.partition(",")
        return head + tail if len(tail) == 3 else f"{head}.{tail}"  # 12,500 or 12,5
    if cleaned.count(".") > 1:
        return cleaned.replace(".", "")  # 1.250.000
    return cleaned


def parse_whole_number(text: str) -> int | None:
    amount = parse_amount(text)
    if amount is None:
        return None
    if amount != amount.to_integral_value():
        raise ValueProblem(f"{text.strip()!r} is not a whole number")
    return int(amount)


_TRUE = frozenset({"true", "yes", "y", "1", "t", "x", "ja", "oui", "si", "wahr"})
_FALSE = frozenset({"false", "no", "n", "0", "f", "", "nein", "non"})


def parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueProblem(f"{text.strip()!r} is not yes or no")


# Day-first / month-first dates: '14/08/2024', '8-4-2024', '14.08.2024 10:19', optionally with seconds and AM/PM.
_NUMERIC_DATE = re.compile(
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$"
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


class DateOrder:
    DAY_FIRST = "dmy"
    MONTH_FIRST = "mdy"


def is_iso(text: str) -> bool:
    return bool(_ISO_DATE.match(text.strip()))


EITHER_ORDER = "either"


def date_order_evidence(text: str) -> str | None:
    """Which order a numeric date proves: 'dmy' for 24/05/2024, 'mdy' for 05/24/2024, 'either' for 01/02/2024.

    None when the value is not a numeric date at all (its own parser reports it)."""
    match = _NUMERIC_DATE.match(text.strip())
    if not match:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    if first > 12 >= second:
        return DateOrder.DAY_FIRST
    if second > 12 >= first:
        return DateOrder.MONTH_FIRST
    return EITHER_ORDER


def parse_datetime(text: str, *, order: str | None = None) -> dt.datetime | None:
    """ISO (incl. Salesforce '2023-09-11T09:30:00.000+0000') or a numeric date in `order`. Naive times are UTC."""
    raw = text.strip()
    if not raw:
        return None
    if _ISO_DATE.match(raw):
        try:
            value = dt.datetime.fromisoformat(raw.replace(" ", "T", 1) if len(raw) > 10 else raw)
        except ValueError:
            raise ValueProblem(f"{raw!r} is not a date and time") from None
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    match = _NUMERIC_DATE.match(raw)
    if not match:
        raise ValueProblem(f"{raw!r} is not a date")
    day_month = _day_month(int(match.group(1)), int(match.group(2)), raw, order)
    year = _full_year(match.group(3))
    hour, minute, second = int(match.group(4) or 0), int(match.group(5) or 0), int(match.group(6) or 0)
    meridiem = (match.group(7) or "").lower()
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    try:
        return dt.datetime(year, day_month[1], day_month[0], hour, minute, second, tzinfo=UTC)
    except ValueError:
        raise ValueProblem(f"{raw!r} is not a real date") from None


def parse_date(text: str, *, order: str | None = None) -> dt.date | None:
    raw = text.strip()
    if not raw:
        return None
    if len(raw) == 10 and _ISO_DATE.match(raw):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise ValueProblem(f"{raw!r} is not a real date") from None
    value = parse_datetime(raw, order=order)
    return value.date() if value else None


def _day_month(first: int, second: int, raw: str, order: str | None) -> tuple[int, int]:
    if order == DateOrder.DAY_FIRST:
        return first, second
    if order == DateOrder.MONTH_FIRST:
        return second, first
    if first > 12 >= second:
        return first, second
    if second > 12 >= first:
        return second, first
    raise ValueProblem(f"{raw!r} is ambiguous: day-first or month-first? Give a date format (dmy or mdy)")


def _full_year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


_PERIOD = re.compile(r"^(\d{4})\s*[-/ ]?\s*Q([1-4])$|^Q([1-4])\s*[-/ ]?\s*(\d{4})$", re.IGNORECASE)


def parse_quarter(text: str, *, order: str | None = None) -> tuple[int, int]:
    """'2026 Q1', '2026-Q1', 'Q1 2026' or a quarter-start date ('2026-01-01') → (2026, 1)."""
    raw = text.strip()
    match = _PERIOD.match(raw)
    if match:
        if match.group(1):
            return int(match.group(1)), int(match.group(2))
        return int(match.group(4)), int(match.group(3))
    try:
        day = parse_date(raw, order=order)
    except ValueProblem:
        raise ValueProblem(f"{raw!r} is not a quarter (like '2026 Q1' or a quarter-start date)") from None
    if day is None:
        raise ValueProblem("a quarter is required")
    if day.day != 1 or day.month not in (1, 4, 7, 10):
        raise ValueProblem(f"{raw!r} is not the first day of a quarter")
    return day.year, (day.month - 1) // 3 + 1
