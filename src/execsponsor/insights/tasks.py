"""Nightly jobs: every account's health from its data; the impact analysis; the program's measures."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_task

from execsponsor.insights.health import health_recompute
from execsponsor.insights.impact import impact_analysis_record
from execsponsor.jobs.recording import periodic, recorded
from execsponsor.users.services import system_user


@periodic("health-recompute", crontab(hour="2", minute="30"), when="Every night at 02:30")
def nightly_health_recompute() -> dict[str, int]:
    """Today's health snapshot for every account; idempotent (a second run on one day replaces the first)."""
    return {"accounts": health_recompute(by=system_user())}


@periodic("impact-analysis", crontab(hour="3", minute="15"), when="Every night at 03:15")
def nightly_impact_analysis() -> dict[str, object]:
    """The impact analysis on last night's data, kept for the impact page (it takes seconds, pages take none)."""
    run = impact_analysis_record(by=system_user())
    return {"estimate": run.result.get("estimate"), "error": run.result.get("error", "")}


@periodic("measures-snapshot", crontab(hour="3", minute="45"), when="Every night at 03:45")
def nightly_measures_snapshot() -> dict[str, object]:
    """The program's measures and the ranked scorecards as of today, kept in ProgramKpiSnapshot so the
    measures and scorecards pages (and the dashboard) read them instantly."""
    from execsponsor.insights.measures import snapshot_record

    snapshot = snapshot_record(by=system_user())
    stored = snapshot.figures["measures"]
    return {"taken_on": snapshot.taken_on.isoformat(), "executives": stored["scorecard_count"]}


@db_task()
def impact_analysis_requested(by_id: int) -> None:
    """A program owner's "run it now", on the worker: at 100,000 accounts the analysis takes minutes."""
    from execsponsor.users.models import User

    recorded("impact-analysis")(impact_analysis_record)(by=User.objects.get(pk=by_id))
