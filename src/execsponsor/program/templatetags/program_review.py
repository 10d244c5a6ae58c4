"""The program owner's home shows when the next program review is, with one tag: {% next_program_review %}."""

from __future__ import annotations

from django import template

from execsponsor.engagements.cadence import cadence_today
from execsponsor.program.review_selectors import next_review_summary

register = template.Library()


@register.inclusion_tag("program/_next_review.html", takes_context=True)
def next_program_review(context) -> dict:
    today = cadence_today()
    return {**next_review_summary(today), "today": today, "user": context.get("user"), "perms": context.get("perms")}
