"""The load-against-capacity bar of the executive pages."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def load_bar(load) -> str:
    """`load` is a program.executives.selectors.LoadVsCapacity; red when over capacity, grey when under the minimum."""
    over = mark_safe(' <span class="badge text-bg-danger">Over</span>') if load.state == "over" else ""
    return format_html(
        '<div class="d-flex align-items-center gap-2">'
        '<div class="progress load-bar flex-grow-1 {state}" role="progressbar" aria-label="Load against capacity"'
        ' aria-valuenow="{load}" aria-valuemin="0" aria-valuemax="{high}">'
        '<div class="progress-bar" data-percent="{percent}"></div></div>'
        '<span class="load-text small text-nowrap {state}">{load} / {low}–{high}{over}</span></div>',
        state=load.state,
        load=load.load,
        low=load.capacity_min,
        high=load.capacity_max,
        percent=load.percent,
        over=over,
    )


@register.simple_tag
def enablement_badge(summary) -> str:
    """`summary` is a users.enablement.EnablementSummary: green when complete, amber with what is missing."""
    if summary is None:
        return ""
    if summary.complete:
        return format_html(
            '<span class="badge text-bg-success" title="Enablement complete">Enabled {}/{}</span>',
            summary.done,
            summary.required,
        )
    return format_html(
        '<span class="badge text-bg-warning" title="Missing: {missing}">Enablement {done}/{required}</span>',
        missing=", ".join(summary.missing),
        done=summary.done,
        required=summary.required,
    )
