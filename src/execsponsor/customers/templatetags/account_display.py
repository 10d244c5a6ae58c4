"""Small formatting filters for the account and executive pages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

_STEPS = ((Decimal(1_000_000_000), "B"), (Decimal(1_000_000), "M"), (Decimal(1_000), "K"))


@register.filter
def compact_money(value, currency: str = "$") -> str:
    """480000 -> "$480K", 15620 -> "$15.6K", 1250000 -> "$1.25M"; a dash when there is no amount."""
    if value is None or value == "":
        return "—"
    amount = Decimal(value)
    for step, suffix in _STEPS:
        if abs(amount) >= step:
            scaled = amount / step
            places = "1" if abs(scaled) >= 100 else ("0.1" if suffix == "K" else "0.01")
            return f"{currency}{scaled.quantize(Decimal(places)).normalize():f}{suffix}"
    return f"{currency}{amount.quantize(Decimal('1')):f}"


@register.filter
def signed_text(value: str) -> str:
    """A number already formatted as text, with a plus sign when positive and a real minus sign."""
    text = str(value)
    if text.startswith("-"):
        return "−" + text[1:]
    return text if text in ("0", "") else "+" + text


@register.filter
def signed(value) -> str:
    """+3, −2 or 0, with a real minus sign."""
    if value is None:
        return ""
    return f"+{value}" if value > 0 else (f"−{abs(value)}" if value < 0 else "0")


@register.simple_tag
def health_badge(score, band) -> str:
    """The health score in its band's colour; a tag rather than an include because list rows use it."""
    if score is None and not band:
        return mark_safe('<span class="text-body-secondary small">Not scored</span>')
    label = "not scored" if score is None else score
    return format_html(
        '<span class="badge health-badge badge-band-{}" title="Health {}{}">'
        '<span class="health-dot" aria-hidden="true"></span>{}<span class="visually-hidden"> {}</span></span>',
        band or "none",
        label,
        f" ({band})" if band else "",
        "–" if score is None else score,
        band or "",
    )
