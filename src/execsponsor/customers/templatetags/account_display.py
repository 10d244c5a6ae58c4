"""Small formatting filters for the account and executive pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()

_STEPS = ((Decimal(1_000_000_000), "B"), (Decimal(1_000_000), "M"), (Decimal(1_000), "K"))


@register.filter
def compact_money(value, currency: str = "$") -> str:
    """480000 -> "$480K", 1250000 -> "$1.25M"; blank when there is no amount."""
    if value is None or value == "":
        return "—"
    amount = Decimal(value)
    for step, suffix in _STEPS:
        if abs(amount) >= step:
            scaled = (amount / step).quantize(Decimal("0.01"))
            return f"{currency}{scaled.normalize():f}{suffix}"
    return f"{currency}{amount.quantize(Decimal('1')):f}"


@register.filter
def signed(value) -> str:
    """+3, −2 or 0, with a real minus sign."""
    if value is None:
        return ""
    return f"+{value}" if value > 0 else (f"−{abs(value)}" if value < 0 else "0")
