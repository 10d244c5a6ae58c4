"""Nightly jobs: every account's health from its data."""

from __future__ import annotations

from huey import crontab

from execsponsor.insights.health import health_recompute
from execsponsor.jobs.recording import periodic


@periodic("health-recompute", crontab(hour="2", minute="30"), when="Every night at 02:30")
def nightly_health_recompute() -> dict[str, int]:
    """Today's health snapshot for every account; idempotent (a second run on one day replaces the first)."""
    return {"accounts": health_recompute()}
