"""Nightly jobs: every account's health from its data."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from execsponsor.insights.health import health_recompute


@db_periodic_task(crontab(hour="2", minute="30"))
@lock_task("health-recompute")
def nightly_health_recompute() -> int:
    """Today's health snapshot for every account; idempotent (a second run on one day replaces the first)."""
    return health_recompute()
