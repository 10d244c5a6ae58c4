"""Overdue escalation: an open task more than the grace period (3 days by default) past due goes up, once."""

from __future__ import annotations

import datetime as dt

import pytest

from execsponsor.playbooks import editing
from execsponsor.playbooks.engine import overdue_escalate
from execsponsor.playbooks.models import Task
from execsponsor.users.services import system_user
from tests.factories import ExecutiveFactory
from tests.playbooks.conftest import TODAY

pytestmark = pytest.mark.django_db


def late_task(team, days_late: int, **fields) -> Task:
    defaults = {"title": "Send the deck", "owner": team.ae, "account": team.account}
    return Task.objects.create(due_on=TODAY - dt.timedelta(days=days_late), **{**defaults, **fields})


def test_a_task_three_days_late_waits_and_four_days_late_is_escalated_to_the_owner(team):
    waiting = late_task(team, 3, title="Within grace")
    late = late_task(team, 4)
    assert overdue_escalate(TODAY, by=system_user()) == 1
    late.refresh_from_db()
    waiting.refresh_from_db()
    assert late.escalated_at is not None and waiting.escalated_at is None
    escalation = late.escalations.get()
    assert escalation.owner == team.owner and escalation.due_on == TODAY
    assert escalation.title == "Overdue: Send the deck" and "4 days ago" in escalation.instructions


def test_a_task_is_escalated_once(team):
    late_task(team, 10)
    overdue_escalate(TODAY, by=system_user())
    assert overdue_escalate(TODAY + dt.timedelta(days=1), by=system_user()) == 0
    assert Task.objects.filter(escalates__isnull=False).count() == 1


def test_done_and_snoozed_tasks_are_not_escalated(team):
    late_task(team, 10, status=Task.Status.DONE)
    late_task(team, 10, snoozed_until=TODAY + dt.timedelta(days=2))
    assert overdue_escalate(TODAY, by=system_user()) == 0


def test_the_grace_period_is_the_owners_setting(team):
    editing.task_policy_update(by=team.owner, escalation_grace_days=7)
    late_task(team, 5)
    assert overdue_escalate(TODAY, by=system_user()) == 0
    assert overdue_escalate(TODAY + dt.timedelta(days=3), by=system_user()) == 1


def test_a_sponsors_late_task_goes_to_their_manager_where_known(team):
    boss = ExecutiveFactory(user__username="ceo")
    executive = team.sponsor.executive
    executive.reports_to = boss
    executive.save()
    task = late_task(team, 5, owner=team.sponsor)
    overdue_escalate(TODAY, by=system_user())
    assert task.escalations.get().owner == boss.user


def test_the_owners_own_late_task_is_marked_but_not_given_back_to_them(team):
    task = late_task(team, 5, owner=team.owner, account=None)
    overdue_escalate(TODAY, by=system_user())
    task.refresh_from_db()
    assert task.escalated_at is not None and not task.escalations.exists()


def test_an_escalation_is_never_escalated_itself(team):
    late_task(team, 5)
    overdue_escalate(TODAY, by=system_user())
    assert overdue_escalate(TODAY + dt.timedelta(days=20), by=system_user()) == 0
