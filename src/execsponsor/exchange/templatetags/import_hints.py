"""The import preview's hints about the fields selection needs (see exchange.importing.coverage)."""

from __future__ import annotations

from django import template

from execsponsor.exchange.importing.coverage import batch_selection_hints

register = template.Library()


@register.simple_tag
def selection_hints_for(batch) -> list[str]:
    return batch_selection_hints(batch)
