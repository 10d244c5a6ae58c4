"""The periodic jobs: trigger evaluation and escalation, each recorded, each idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from huey.contrib.djhuey import HUEY

from execsponsor.jobs.models import JobRun
from execsponsor.jobs.recording import SCHEDULE
from execsponsor.playbooks import tasks as jobs
from execsponsor.playbooks.models import PlaybookRun, Task
from tests.playbooks.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_both_jobs_are_on_the_schedule():
    periodic = {task.__name__ for task in HUEY._registry._periodic_tasks}
    assert {"playbook-triggers", "task-escalation"} <= periodic
    assert SCHEDULE["playbook-triggers"].startswith("Every 15 minutes")
    assert SCHEDULE["task-escalation"] == "Every day at 06:30"


def test_the_trigger_job_runs_twice_and_starts_once_recording_each_run(team, settings):
    settings.ESP_CADENCE_AS_OF = TODAY.isoformat()
    team.account.renewal_date = TODAY + dt.timedelta(days=30)
    team.account.save()
    jobs.playbook_triggers.call_local()
    jobs.playbook_triggers.call_local()
    assert PlaybookRun.objects.filter(playbook__slug="proactive-multi-threading").count() == 1
    runs = list(JobRun.objects.filter(name="playbook-triggers").order_by("started_at"))
    assert [run.outcome for run in runs] == ["ok", "ok"]
    assert runs[0].summary["proactive-multi-threading"] == 1 and runs[1].summary["runs_started"] == 0


def test_the_escalation_job_escalates_and_records(team, settings):
    settings.ESP_CADENCE_AS_OF = TODAY.isoformat()
    Task.objects.create(title="Late", owner=team.ae, account=team.account, due_on=TODAY - dt.timedelta(days=9))
    jobs.task_escalation.call_local()
    assert JobRun.objects.get(name="task-escalation").summary == {"escalated": 1}


def test_triggers_are_evaluated_at_six_and_every_quarter_hour_escalation_once_a_day():
    at = lambda hour, minute: dt.datetime(2026, 4, 10, hour, minute)  # noqa: E731
    triggers = jobs.playbook_triggers.task_class()
    escalation = jobs.task_escalation.task_class()
    assert triggers.validate_datetime(at(6, 0)) and triggers.validate_datetime(at(14, 45))
    assert not triggers.validate_datetime(at(6, 5))
    assert [m for m in range(24 * 60) if escalation.validate_datetime(at(m // 60, m % 60))] == [6 * 60 + 30]
