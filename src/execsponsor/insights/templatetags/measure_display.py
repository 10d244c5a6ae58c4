"""How the measures read on pages: shares as percentages, changes with their sign, a dash for no data."""

from __future__ import annotations

from django import template

register = template.Library()

DASH = "—"


@register.filter
def pct(value, digits: int = 0) -> str:
    """0.853 → '85%'; None → '—'."""
    if value is None or value == "":
        return DASH
    return f"{100 * float(value):.{int(digits)}f}%"


@register.filter
def num(value, digits: int = 1) -> str:
    if value is None or value == "":
        return DASH
    return f"{float(value):,.{int(digits)}f}"


@register.filter
def change(trend, kind: str = "num") -> str:
    """A Trend's change: '+3 pts' for shares, '+0.4' for numbers, '' when either quarter has no data."""
    delta = getattr(trend, "change", None)
    if delta is None:
        return ""
    if kind == "pct":
        return f"{100 * delta:+.1f} pts"
    if kind == "int":
        return f"{delta:+,.0f}"
    return f"{delta:+,.2f}"


@register.filter
def trend_of(trends, name: str):
    return trends.get(name) if trends else None
