"""Periodic jobs: start the playbooks whose triggers fired, escalate overdue tasks."""

from __future__ import annotations

from huey import crontab

from execsponsor.jobs.recording import periodic
from execsponsor.playbooks.engine import overdue_escalate, triggers_evaluate
from execsponsor.users.services import system_user


@periodic(
    "playbook-triggers",
    crontab(minute="*/15"),
    when="Every 15 minutes (so also at 06:00, before the working day)",
)
def playbook_triggers() -> dict[str, int]:
    """Start every active playbook for each new cause; a cause already started is skipped (idempotent)."""
    return triggers_evaluate(by=system_user()).as_dict()


@periodic("task-escalation", crontab(hour="6", minute="30"), when="Every day at 06:30")
def task_escalation() -> dict[str, int]:
    """Escalate open tasks past due by more than the grace period; each task at most once."""
    return {"escalated": overdue_escalate(by=system_user())}
