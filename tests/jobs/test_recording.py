"""Every run of a recorded job leaves a row: its outcome, what it did, and the error when it failed."""

from __future__ import annotations

import pytest

from execsponsor.jobs.models import JobRun
from execsponsor.jobs.recording import last_runs, recorded

pytestmark = pytest.mark.django_db


def test_a_run_that_works_is_recorded_with_its_summary():
    @recorded("test-sweep")
    def sweep() -> dict[str, int]:
        return {"tasks_created": 3}

    assert sweep() == {"tasks_created": 3}
    run = JobRun.objects.get(name="test-sweep")
    assert run.outcome == "ok"
    assert run.summary == {"tasks_created": 3}
    assert run.finished_at is not None and run.seconds >= 0


def test_a_run_that_fails_is_recorded_as_failed_and_raises_again():
    @recorded("test-broken")
    def broken() -> None:
        raise RuntimeError("the mail server refused us")

    with pytest.raises(RuntimeError):
        broken()
    run = JobRun.objects.get(name="test-broken")
    assert run.outcome == "failed"
    assert "the mail server refused us" in run.error


def test_last_runs_gives_the_latest_run_of_each_job():
    @recorded("test-count")
    def count(n: int) -> int:
        return n

    count(1)
    count(2)
    latest = last_runs()
    assert latest["test-count"].summary == {"count": 2}
    assert JobRun.objects.filter(name="test-count").count() == 2
