"""Notices of tasks assigned (to their owner) and escalated (to the program owners and the owner's manager)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from execsponsor.engagements.cadence import cadence_today
from execsponsor.jobs.models import JobRun
from execsponsor.notify.composing.queueing import Queued, queue, render, task_url
from execsponsor.notify.models import NotificationKind, NotificationPreference
from execsponsor.notify.selectors import preferences_by_user
from execsponsor.playbooks.models import Task, TaskStatus
from execsponsor.users.models import Role, User

TASK_NOTICE_WINDOW = dt.timedelta(days=2)  # looked back at least this far for assignments and escalations
TASK_NOTICE_CATCH_UP = dt.timedelta(days=7)  # and back to the last good run, when the worker was down, up to this
TASK_NOTICES_JOB = "notifications-task-notices"


def program_owners() -> list[User]:
    owners = list(User.objects.filter(is_active=True, role=Role.PROGRAM_OWNER).order_by("pk"))
    return owners or list(User.objects.filter(is_active=True, role=Role.ADMIN).order_by("pk"))


def escalation_recipients(task: Task, owners: list[User]) -> list[User]:
    """Who hears of an escalated task: the program owners (the admins where there is none) and, when the
    task's owner is one of our executives with a manager on record (reports-to), that manager too."""
    recipients = {user.pk: user for user in owners}
    executive = getattr(task.owner, "executive", None) if task.owner_id else None
    manager = executive.reports_to.user if executive and executive.reports_to_id else None
    if manager is not None and manager.is_active:
        recipients.setdefault(manager.pk, manager)
    recipients.pop(task.owner_id, None)  # the owner hears of their own task by its assignment, not this
    return list(recipients.values())


def _hears_of_the_escalation(task: Task, owners: list[User]) -> bool:
    """Whether the owner of `task`, the task an escalation created, is told of that escalation anyway: then a
    "new task" notice as well would be the same news twice."""
    escalated = task.escalates
    return escalated.escalated_at is not None and task.owner_id in {
        user.pk for user in escalation_recipients(escalated, owners)
    }


def task_notices_since(now: dt.datetime) -> dt.datetime:
    """How far back to look: two days, or back to the last run that worked when that is longer ago (a worker
    down over a weekend still announces Friday's tasks), but never more than a week (nobody wants old news)."""
    last_ok = (
        JobRun.objects.filter(name=TASK_NOTICES_JOB, outcome=JobRun.Outcome.OK, started_at__lt=now)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    since = now - TASK_NOTICE_WINDOW
    if last_ok is not None:
        since = min(since, last_ok - dt.timedelta(minutes=15))
    return max(since, now - TASK_NOTICE_CATCH_UP)


def task_notices_queue(*, now: dt.datetime | None = None) -> dict[str, int]:
    """A notice to the owner of each task assigned since the last notice (created or reassigned), and to the
    program owners for each task escalated. Keys name the task, the recipient and the moment, so a task
    reassigned to the same person later is a new notice, and a second run queues nothing."""
    now = now or timezone.now()
    since = task_notices_since(now)
    assigned = Task.objects.filter(status=TaskStatus.OPEN, owner__isnull=False, assigned_at__gte=since)
    escalated = Task.objects.filter(status=TaskStatus.OPEN, escalated_at__gte=since)
    report = Queued()
    assigned_tasks = list(
        assigned.select_related("owner", "account", "escalates__owner__executive__reports_to__user").order_by(
            "assigned_at", "pk"
        )
    )
    escalated_tasks = list(
        escalated.select_related("owner__executive__reports_to__user", "account").order_by("escalated_at", "pk")
    )
    recipients = {task.owner_id for task in assigned_tasks}
    owners = program_owners() if escalated_tasks or any(t.escalates_id for t in assigned_tasks) else []
    owners_cache = owners
    escalate_to = {task.pk: escalation_recipients(task, owners) for task in escalated_tasks}
    preferences = preferences_by_user(recipients | {user.pk for users in escalate_to.values() for user in users})
    for task in assigned_tasks:
        owner = task.owner
        if not owner.is_active:
            continue
        if task.escalates_id is not None and _hears_of_the_escalation(task, owners_cache):
            continue  # one message per event: the escalation notice says it all
        queue(
            user=owner,
            preference=preferences.get(owner.pk) or NotificationPreference(user=owner),
            kind=NotificationKind.TASK_ASSIGNED,
            subject=f"New task: {task.title}" + (f" ({task.account.name})" if task.account_id else ""),
            body=render("notify/messages/task_assigned.txt", {"user": owner, "task": task, "url": task_url(task)}),
            dedupe_key=f"task-assigned:{task.pk}:{owner.pk}:{int(task.assigned_at.timestamp())}",
            report=report,
        )
    for task in escalated_tasks:
        for user in escalate_to[task.pk]:
            queue(
                user=user,
                preference=preferences.get(user.pk) or NotificationPreference(user=user),
                kind=NotificationKind.TASK_ESCALATED,
                subject=f"Overdue task escalated: {task.title}",
                body=render(
                    "notify/messages/task_escalated.txt",
                    {"user": user, "task": task, "url": task_url(task), "today": cadence_today()},
                ),
                dedupe_key=f"task-escalated:{task.pk}:{user.pk}:{int(task.escalated_at.timestamp())}",
                report=report,
            )
    return report.as_dict()
