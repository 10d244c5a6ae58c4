"""Reads for the Jobs page: every known job with its schedule, latest run and latest failure."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max
from django.utils.module_loading import autodiscover_modules

from execsponsor.jobs.models import JobRun
from execsponsor.jobs.recording import SCHEDULE, last_runs


@dataclass(frozen=True)
class JobStatus:
    name: str
    when: str
    last_run: JobRun | None
    last_failure: JobRun | None

    @property
    def summary_items(self) -> list[tuple[str, object]]:
        return list(self.last_run.summary.items()) if self.last_run else []


def known_schedule() -> dict[str, str]:
    """Every periodic job's schedule in words. The web process has not imported the apps' tasks modules
    (the worker does, at start), so they are imported here: that is where `periodic` fills SCHEDULE."""
    autodiscover_modules("tasks")
    return dict(SCHEDULE)


def _last_failures() -> dict[str, JobRun]:
    latest = JobRun.objects.filter(outcome=JobRun.Outcome.FAILED).values("name").annotate(last=Max("started_at"))
    wanted = {(row["name"], row["last"]) for row in latest}
    runs = JobRun.objects.filter(outcome=JobRun.Outcome.FAILED, started_at__in={last for _, last in wanted})
    return {run.name: run for run in runs if (run.name, run.started_at) in wanted}


def job_statuses() -> list[JobStatus]:
    """Scheduled jobs in name order, then any job that ran but is no longer scheduled."""
    schedule = known_schedule()
    runs = last_runs()
    failures = _last_failures()
    names = sorted(schedule) + sorted(set(runs) - set(schedule))
    return [
        JobStatus(
            name=name,
            when=schedule.get(name, "Not scheduled (ran by hand or by an older version)"),
            last_run=runs.get(name),
            last_failure=failures.get(name),
        )
        for name in names
    ]
