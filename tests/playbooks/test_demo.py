"""The demo's playbook runs and tasks come from the real engine, on the demo's day."""

from __future__ import annotations

import datetime as dt

import pytest

from execsponsor.demo.generator import generate_demo
from execsponsor.playbooks.engine import triggers_evaluate
from execsponsor.playbooks.models import PlaybookRun, Task
from execsponsor.signals.models import Alert, AlertStatus
from execsponsor.users.services import system_user

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 23)


def test_the_demo_starts_playbooks_through_the_triggers_and_a_second_evaluation_adds_nothing():
    generate_demo(accounts=120, seed=5, as_of=AS_OF)
    runs = PlaybookRun.objects.select_related("playbook")
    assert runs.exists()
    # Started by their triggers, as the named system user the jobs act as (not by nobody).
    assert all(run.cause_key and run.started_by.is_system for run in runs)
    departures = Alert.objects.filter(dedupe_key__startswith="departure:", account__isnull=False).exclude(
        status=AlertStatus.RESOLVED
    )
    assert runs.filter(playbook__slug="sponsor-departure").count() == departures.count() > 0
    assert Task.objects.filter(run__isnull=False).count() >= runs.count()
    assert not Task.objects.filter(run__isnull=False, owner__isnull=True).exists()
    assert triggers_evaluate(AS_OF, by=system_user()).runs_started == 0
