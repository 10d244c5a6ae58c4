"""The program's configurable rules for engagements: how many rubric items make one count, and cadence.

Both live in ProgramSetting rows the program owner can change (key "engagement_rubric":
{"items_that_count": 2}; key "cadence": {"at_risk_fraction": 0.857}), with Django settings
ESP_RUBRIC_ITEMS_THAT_COUNT / ESP_CADENCE_AT_RISK_FRACTION as the installation's defaults.
"""

from __future__ import annotations

from django.conf import settings

from execsponsor.core.cadence import CadenceRule
from execsponsor.engagements.models import RUBRIC_FIELDS, RUBRIC_ITEMS_THAT_COUNT

RUBRIC_SETTING = "engagement_rubric"
CADENCE_SETTING = "cadence"


def _program_setting(key: str) -> dict:
    from execsponsor.program.models import ProgramSetting

    setting = ProgramSetting.objects.filter(key=key).only("value").first()
    return setting.value if setting is not None and isinstance(setting.value, dict) else {}


def rubric_threshold() -> int:
    """Rubric items that must be ticked for an engagement to count (1 to all of them; default two)."""
    raw = _program_setting(RUBRIC_SETTING).get(
        "items_that_count", getattr(settings, "ESP_RUBRIC_ITEMS_THAT_COUNT", RUBRIC_ITEMS_THAT_COUNT)
    )
    try:
        return min(max(int(raw), 1), len(RUBRIC_FIELDS))
    except (TypeError, ValueError):
        return RUBRIC_ITEMS_THAT_COUNT


def at_risk_fraction() -> float | None:
    """None: the product's 12-of-14 proportion."""
    raw = _program_setting(CADENCE_SETTING).get(
        "at_risk_fraction", getattr(settings, "ESP_CADENCE_AT_RISK_FRACTION", None)
    )
    try:
        fraction = float(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None
    return fraction if fraction is not None and 0 < fraction <= 1 else None


def cadence_rule(interval_days: int, *, fraction: float | None = None) -> CadenceRule:
    return CadenceRule.every(interval_days, at_risk_fraction=fraction)
