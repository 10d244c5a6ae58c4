"""Two workers evaluating the triggers at the same moment start each run once (PostgreSQL's row locks)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from execsponsor.playbooks import engine
from execsponsor.playbooks.builtins import ensure_built_in_playbooks
from execsponsor.playbooks.engine import overdue_escalate, triggers_evaluate
from execsponsor.playbooks.models import Playbook, PlaybookRun, Task
from execsponsor.users.services import system_user
from tests.playbooks.conftest import TODAY

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
]


def _together(function, workers: int = 2) -> list:
    start = threading.Barrier(workers)
    results, errors = [], []

    def work():
        try:
            start.wait()
            results.append(function())
        except Exception as error:  # noqa: BLE001 - the test reports it
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def test_two_simultaneous_evaluations_start_one_onboarding(team, monkeypatch):
    ensure_built_in_playbooks()
    Playbook.objects.exclude(slug="sponsorship-onboarding").update(is_active=False)
    team.sponsorship.approved_at = timezone.make_aware(dt.datetime(2026, 4, 9, 9))
    team.sponsorship.save()
    # Both workers read "no run yet" before either inserts: the race the unique constraint must settle.
    read_known = engine.PlaybookRun.objects.filter
    both_read = threading.Barrier(2)

    def filter_then_wait(*args, **kwargs):
        result = list(read_known(*args, **kwargs).values_list("cause_key", flat=True))
        both_read.wait(timeout=10)
        return _Known(result)

    monkeypatch.setattr(engine.PlaybookRun.objects, "filter", filter_then_wait)
    results = _together(lambda: triggers_evaluate(TODAY, by=system_user()).runs_started)
    assert sorted(results) == [0, 1]
    assert PlaybookRun.objects.count() == 1
    assert Task.objects.count() == 5


class _Known:
    def __init__(self, keys):
        self.keys = keys

    def values_list(self, *args, **kwargs):
        return self.keys


def test_two_simultaneous_escalations_escalate_a_task_once(team):
    Task.objects.create(
        title="Send the deck", owner=team.ae, account=team.account, due_on=TODAY - dt.timedelta(days=10)
    )
    results = _together(lambda: overdue_escalate(TODAY, by=system_user()))
    assert sorted(results) == [0, 1]
    assert Task.objects.filter(escalates__isnull=False).count() == 1
