"""Record a job's run around its body: `recorded("cadence-sweep")(fn)` or `periodic(...)` for Huey.

The body returns a summary (a dict, or a number that becomes {"count": n}); an exception marks the run failed,
keeps the message and is raised again so Huey logs it too. The record is written outside the body's own
transaction, so a failed body still leaves a row saying it failed.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Max
from django.utils import timezone

from execsponsor.jobs.models import JobRun

F = TypeVar("F", bound=Callable[..., Any])

# What each periodic job is, for the jobs page and docs/jobs.md; filled by `periodic`.
SCHEDULE: dict[str, str] = {}


def _summary_of(result: Any) -> dict[str, Any]:
    if result is None:
        return {}
    if isinstance(result, dict):
        return {str(key): value for key, value in result.items()}
    if isinstance(result, int | float):
        return {"count": result}
    return {"result": str(result)[:500]}


def recorded(name: str) -> Callable[[F], F]:
    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            run = JobRun.objects.create(name=name)
            try:
                result = function(*args, **kwargs)
            except Exception as error:
                run.outcome = JobRun.Outcome.FAILED
                run.error = "".join(traceback.format_exception_only(error)).strip()[:4000]
                run.finished_at = timezone.now()
                run.save(update_fields=["outcome", "error", "finished_at"])
                raise
            run.outcome = JobRun.Outcome.OK
            run.summary = _summary_of(result)
            run.finished_at = timezone.now()
            run.save(update_fields=["outcome", "summary", "finished_at"])
            return result

        return wrapper  # type: ignore[return-value]

    return decorate


def periodic(name: str, schedule: Any, *, when: str) -> Callable[[F], F]:
    """A Huey periodic task that runs one at a time (a lock per name) and records every run.
    `when` says in words when it runs, for the jobs page."""
    from huey.contrib.djhuey import db_periodic_task, lock_task

    SCHEDULE[name] = when

    def decorate(function: F) -> F:
        return db_periodic_task(schedule, name=name)(lock_task(name)(recorded(name)(function)))  # type: ignore[no-any-return]

    return decorate


def last_runs() -> dict[str, JobRun]:
    """The latest run of every job that has run, by name."""
    latest = JobRun.objects.values("name").annotate(last=Max("started_at"))
    wanted = {(row["name"], row["last"]) for row in latest}
    runs = JobRun.objects.filter(started_at__in={last for _, last in wanted})
    return {run.name: run for run in runs if (run.name, run.started_at) in wanted}
