"""Small charts drawn on the server as SVG, for PDFs (WeasyPrint runs no JavaScript) and plain pages.

Every label is escaped; the output is a complete `<svg>` element, safe to mark safe in a template.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#2563eb", "#16a34a", "#d97706", "#dc2626", "#7c3aed", "#0891b2")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def _nice_range(low: float, high: float) -> tuple[float, float, float]:
    if low == high:
        low, high = (low - 1, high + 1) if low else (0.0, 1.0)
    span = high - low
    step = 10 ** math.floor(math.log10(span / 4))
    for factor in (1, 2, 2.5, 5, 10):
        if span / (step * factor) <= 5:
            step *= factor
            break
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _fmt(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if abs(value) >= 10_000:
        return f"{value / 1000:.0f}k"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    width: int = 520,
    height: int = 200,
    title: str = "",
    zero_based: bool = False,
) -> str:
    """A line chart of one or more series over the same labels; missing values leave a gap."""
    left, right, top, bottom = 44, 28, 22 if title else 10, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    points = [v for s in series for v in s.values if v is not None]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title or "chart")}" '
        'font-family="sans-serif" font-size="10">'
    ]
    if title:
        parts.append(f'<text x="{left}" y="14" font-weight="600">{escape(title)}</text>')
    if not points or not labels:
        parts.append(f'<text x="{left}" y="{top + plot_h / 2}" fill="#666">No data yet</text></svg>')
        return "".join(parts)
    low, high = min(points), max(points)
    if zero_based:
        low = min(0.0, low)
    low, high, step = _nice_range(low, high)
    n = len(labels)

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h - (v - low) / (high - low) * plot_h

    tick = low
    while tick <= high + step / 2:
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e5e7eb"/>')
        parts.append(f'<text x="{left - 4}" y="{y(tick) + 3:.1f}" text-anchor="end" fill="#555">{_fmt(tick)}</text>')
        tick += step
    every = max(1, math.ceil(n / 8))
    for i, label in enumerate(labels):
        if i % every == 0 or i == n - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{top + plot_h + 14}" text-anchor="middle" fill="#555">{escape(label)}</text>'
            )
    for k, s in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        run: list[str] = []
        for i, v in enumerate(s.values):
            if v is None:
                if len(run) > 1:
                    parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(run)}"/>')
                run = []
                continue
            run.append(f"{x(i):.1f},{y(v):.1f}")
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.2" fill="{colour}"/>')
        if len(run) > 1:
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(run)}"/>')
        if len(series) > 1:
            lx = left + k * 130
            parts.append(f'<rect x="{lx}" y="{height - 10}" width="10" height="3" fill="{colour}"/>')
            parts.append(f'<text x="{lx + 14}" y="{height - 6}" fill="#333">{escape(s.name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    labels: Sequence[str], values: Sequence[float], *, width: int = 520, bar_height: int = 14, title: str = ""
) -> str:
    """Horizontal bars, one per label, with the value printed at the end of each bar."""
    top = 22 if title else 6
    label_w = 150
    height = top + len(labels) * (bar_height + 6) + 6
    high = max([abs(v) for v in values] + [1e-9])
    plot_w = width - label_w - 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title or "chart")}" '
        'font-family="sans-serif" font-size="10">'
    ]
    if title:
        parts.append(f'<text x="0" y="14" font-weight="600">{escape(title)}</text>')
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        yy = top + i * (bar_height + 6)
        w = max(0.0, abs(value) / high * plot_w)
        parts.append(f'<text x="{label_w - 6}" y="{yy + bar_height - 3}" text-anchor="end">{escape(label[:28])}</text>')
        fill = PALETTE[0] if value >= 0 else PALETTE[3]
        parts.append(f'<rect x="{label_w}" y="{yy}" width="{w:.1f}" height="{bar_height}" fill="{fill}"/>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{yy + bar_height - 3}">{_fmt(value)}</text>')
    parts.append("</svg>")
    return "".join(parts)
