"""The program's health weights, stored as a versioned setting and edited by the program owner."""

from __future__ import annotations

from django.db import transaction

from execsponsor.access.rules import require
from execsponsor.common.errors import ConcurrentEdit, InvalidInput
from execsponsor.core import health as core_health
from execsponsor.program.models import ProgramSetting

HEALTH_KEY = "health"


def health_policy() -> tuple[core_health.HealthPolicy, int]:
    """The weights in force and the setting's version (0 before anyone saved them)."""
    setting = ProgramSetting.objects.filter(key=HEALTH_KEY).first()
    if setting is None:
        return core_health.HealthPolicy(), 0
    value = setting.value or {}
    weights = {**core_health.DEFAULT_WEIGHTS, **{k: float(v) for k, v in value.get("weights", {}).items()}}
    segments = {s: {k: float(v) for k, v in w.items()} for s, w in value.get("segment_weights", {}).items()}
    return core_health.HealthPolicy(weights=weights, segment_weights=segments), setting.version


def validated_weights(weights: dict[str, float]) -> dict[str, float]:
    unknown = set(weights) - set(core_health.MEASURES)
    if unknown:
        raise InvalidInput(f"unknown measures: {', '.join(sorted(unknown))}", field="weights")
    if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
        raise InvalidInput("weights must be zero or more, and at least one above zero", field="weights")
    return {m: float(weights.get(m, 0.0)) for m in core_health.MEASURES}


@transaction.atomic
def health_policy_save(*, by, weights: dict[str, float], expected_version: int) -> int:
    """Save new weights; refuses if someone else saved since `expected_version` was read."""
    require(by, "execsponsor.run_program", to="change the health weights")
    clean = validated_weights(weights)
    setting, _ = ProgramSetting.objects.select_for_update().get_or_create(key=HEALTH_KEY, defaults={"version": 0})
    if setting.version != expected_version:
        raise ConcurrentEdit(
            f"Someone else saved the health weights (version {setting.version}) after you opened them "
            f"(version {expected_version}). Reload the page to see their change."
        )
    setting.value = {**(setting.value or {}), "weights": clean}
    setting.version += 1
    setting.updated_by = by
    setting.save()
    return setting.version
