"""Writes for playbooks and tasks. Each in one transaction, with a permission check on a real user."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from execsponsor.access.rules import can, require
from execsponsor.access.visibility import can_see_account
from execsponsor.common.errors import InvalidInput
from execsponsor.customers.models import Account
from execsponsor.playbooks import engine
from execsponsor.playbooks.models import Playbook, PlaybookRun, StepRole, Task, TaskComment
from execsponsor.users.models import User


@transaction.atomic
def task_create(
    *,
    by: User,
    title: str,
    owner: User,
    due_on: dt.date | None = None,
    account: Account | None = None,
    instructions: str = "",
) -> Task:
    """A task for `owner`, e.g. a commitment made in an engagement. `by` must be able to change the account
    (or run the program, for a task on no account)."""
    require(by, "execsponsor.write", message="Your role is read-only: you can look, not create tasks")
    if account is not None:
        require(by, "execsponsor.change_account", account, message=f"You may not create tasks on {account.name}")
    else:
        require(by, "execsponsor.run_program", to="create tasks outside an account")
    title = (title or "").strip()
    if not title:
        raise InvalidInput("A task needs a title", field="title")
    if not owner.is_active:
        raise InvalidInput(f"{owner} is no longer active and cannot own a task", field="owner")
    return Task.objects.create(
        title=title[:255], owner=owner, due_on=due_on, account=account, instructions=instructions
    )


def _ensure_can_change(by: User, task: Task, doing: str) -> None:
    require(by, "execsponsor.change_task", task, to=doing)


def _locked(task: Task) -> Task:
    return Task.objects.select_for_update().get(pk=task.pk)


@transaction.atomic
def task_complete(*, by: User, task: Task, ticked: list[int] | None = None) -> Task:
    """Mark `task` done. `ticked`: the indexes of the checklist items ticked (None keeps the ticks as they are)."""
    _ensure_can_change(by, task, "complete")
    task = _locked(task)
    if task.status != Task.Status.OPEN:
        raise InvalidInput(f"“{task.title}” is already {task.get_status_display().lower()}")
    if ticked is not None:
        task.checklist = _ticked(task.checklist, ticked)
    task.status = Task.Status.DONE
    task.completed_at = timezone.now()
    task.save(update_fields=["status", "completed_at", "checklist"])
    _finish_run_if_done(task)
    return task


def _ticked(checklist: list, ticked: list[int]) -> list:
    wanted = set(ticked)
    if any(not 0 <= index < len(checklist) for index in wanted):
        raise InvalidInput("A ticked item is not on this task's checklist", field="ticked")
    return [{**item, "done": index in wanted} for index, item in enumerate(checklist)]


@transaction.atomic
def task_checklist_update(*, by: User, task: Task, ticked: list[int]) -> Task:
    _ensure_can_change(by, task, "tick items of")
    task = _locked(task)
    task.checklist = _ticked(task.checklist, ticked)
    task.save(update_fields=["checklist"])
    return task


def _finish_run_if_done(task: Task) -> None:
    if task.run_id and not Task.objects.filter(run_id=task.run_id, status=Task.Status.OPEN).exists():
        PlaybookRun.objects.filter(pk=task.run_id, status=PlaybookRun.Status.RUNNING).update(
            status=PlaybookRun.Status.DONE
        )


@transaction.atomic
def task_reopen(*, by: User, task: Task) -> Task:
    _ensure_can_change(by, task, "reopen")
    task = _locked(task)
    task.status = Task.Status.OPEN
    task.completed_at = None
    task.save(update_fields=["status", "completed_at"])
    if task.run_id:
        PlaybookRun.objects.filter(pk=task.run_id, status=PlaybookRun.Status.DONE).update(
            status=PlaybookRun.Status.RUNNING
        )
    return task


@transaction.atomic
def task_snooze(*, by: User, task: Task, until: dt.date | None, today: dt.date) -> Task:
    """Hide `task` from its owner's lists until `until` (None: wake it now)."""
    _ensure_can_change(by, task, "snooze")
    if until is not None and until <= today:
        raise InvalidInput("Snooze until a date after today", field="until")
    if until is not None and until > today + dt.timedelta(days=MAX_SNOOZE_DAYS):
        raise InvalidInput(f"A task can be snoozed for at most {MAX_SNOOZE_DAYS} days", field="until")
    task = _locked(task)
    task.snoozed_until = until
    task.save(update_fields=["snoozed_until"])
    return task


MAX_SNOOZE_DAYS = 365


@transaction.atomic
def task_reassign(*, by: User, task: Task, owner: User) -> Task:
    """Give `task` to `owner`, who must be able to see its account (or run the program, for a task on none)."""
    _ensure_can_change(by, task, "reassign")
    if not owner.is_active:
        raise InvalidInput(f"{owner} is no longer active", field="owner")
    if not can(owner, "execsponsor.write"):
        raise InvalidInput(f"{owner} has a read-only role and cannot do tasks", field="owner")
    if task.account_id is not None and not can_see_account(owner, task.account_id):
        raise InvalidInput(f"{owner} cannot see {task.account} and so cannot do this task", field="owner")
    if task.account_id is None and not can(owner, "execsponsor.run_program") and owner.pk != by.pk:
        raise InvalidInput(f"{owner} does not run the program; this task is on no account", field="owner")
    task = _locked(task)
    if task.owner_id == owner.pk:
        return task
    task.owner = owner
    task.assigned_at = timezone.now()
    task.reminded_at = None
    task.save(update_fields=["owner", "assigned_at", "reminded_at"])
    return task


@transaction.atomic
def task_comment(*, by: User, task: Task, body: str) -> TaskComment:
    _ensure_can_change(by, task, "comment on")
    body = (body or "").strip()
    if not body:
        raise InvalidInput("Write something to comment", field="body")
    if len(body) > MAX_COMMENT:
        raise InvalidInput(f"A comment is at most {MAX_COMMENT} characters", field="body")
    return TaskComment.objects.create(task=task, author=by, body=body)


MAX_COMMENT = 5000


# Runs


@transaction.atomic
def playbook_start(
    *,
    by: User,
    playbook: Playbook,
    account: Account | None = None,
    sponsorship=None,
    alert=None,
    anchor_date: dt.date | None = None,
    cause_key: str = "",
) -> PlaybookRun:
    """Start `playbook` by hand (or for a named cause). Refused when the cause already has a run."""
    if account is None and sponsorship is not None:
        account = sponsorship.account
    if account is None and alert is not None:
        account = alert.account
    require(by, "execsponsor.write", message="Your role is read-only: you can look, not start playbooks")
    if account is not None:
        require(by, "execsponsor.change_account", account, message=f"You may not start playbooks on {account.name}")
    else:
        require(by, "execsponsor.run_program", to="start a playbook outside an account")
    if not playbook.is_active:
        raise InvalidInput(f"“{playbook.name}” is switched off; switch it on first", field="playbook")
    if sponsorship is None and account is not None and playbook.steps.filter(role=StepRole.SPONSOR).exists():
        sponsorship = account.sponsorships.live().select_related("executive__user").order_by("pk").first()
    cause = engine.Cause(
        key=cause_key,
        anchor_date=anchor_date or timezone.localdate(),
        account=account,
        sponsorship=sponsorship,
        alert=alert,
    )
    run = engine.start_run(playbook=playbook, cause=cause, started_by=by)
    if run is None:
        raise InvalidInput(f"“{playbook.name}” has already been started for this cause", field="cause_key")
    return run


@transaction.atomic
def run_move(*, by: User, run: PlaybookRun, anchor_date: dt.date, move_open_tasks: bool) -> int:
    """Move the run's start date; with `move_open_tasks`, its open tasks move by the same number of days (done
    and skipped ones stay as they were). Returns how many tasks moved."""
    require(by, "execsponsor.change_playbook_run", run)
    run = PlaybookRun.objects.select_for_update().get(pk=run.pk)
    delta = anchor_date - run.anchor_date
    run.anchor_date = anchor_date
    run.save(update_fields=["anchor_date"])
    if not move_open_tasks or not delta:
        return 0
    moved = 0
    for task in run.tasks.select_for_update().filter(status=Task.Status.OPEN, due_on__isnull=False):
        task.due_on = task.due_on + delta
        task.save(update_fields=["due_on"])
        moved += 1
    return moved


@transaction.atomic
def run_cancel(*, by: User, run: PlaybookRun) -> PlaybookRun:
    """Stop a run: its open tasks are skipped."""
    require(by, "execsponsor.change_playbook_run", run)
    run.tasks.filter(status=Task.Status.OPEN).update(status=Task.Status.SKIPPED)
    run.status = PlaybookRun.Status.CANCELLED
    run.save(update_fields=["status"])
    return run
