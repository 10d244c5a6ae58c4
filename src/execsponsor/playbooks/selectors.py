"""Reads for the playbook and task pages. Tasks on accounts start from `visible_accounts(user)`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from execsponsor.access.rules import can
from execsponsor.access.visibility import sees_every_account, visible_accounts
from execsponsor.customers.models import Account
from execsponsor.playbooks.models import Playbook, PlaybookRun, Task
from execsponsor.users.models import RUNS_THE_PROGRAM, User

# How many tasks each group of "My tasks" shows on the home page; the tasks page shows them all.
HOME_ROWS = 6


def week_end(today: dt.date) -> dt.date:
    """The Sunday that ends `today`'s week."""
    return today + dt.timedelta(days=6 - today.weekday())


@dataclass
class TaskGroup:
    key: str
    label: str
    tasks: list[Task] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.tasks)


@dataclass
class MyTasks:
    groups: list[TaskGroup]
    snoozed: int

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)


def _with_display(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return tasks.select_related("account", "run__playbook", "owner")


def my_tasks(*, user: User, today: dt.date) -> MyTasks:
    """`user`'s open tasks, grouped overdue / today / this week / later; snoozed ones hidden until their date."""
    groups = [
        TaskGroup("overdue", "Overdue"),
        TaskGroup("today", "Today"),
        TaskGroup("week", "This week"),
        TaskGroup("later", "Later"),
    ]
    if not user.is_authenticated:
        return MyTasks(groups, 0)
    mine = Task.objects.filter(owner=user, status=Task.Status.OPEN)
    awake = mine.filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=today))
    end = week_end(today)
    for task in _with_display(awake).order_by("due_on", "pk"):
        if task.due_on is None or task.due_on > end:
            groups[3].tasks.append(task)
        elif task.due_on < today:
            groups[0].tasks.append(task)
        elif task.due_on == today:
            groups[1].tasks.append(task)
        else:
            groups[2].tasks.append(task)
    return MyTasks(groups, mine.filter(snoozed_until__gt=today).count())


def task_get(*, user: User, task_id: int) -> Task:
    task = (
        _with_display(Task.objects.all())
        .select_related("escalates", "step")
        .prefetch_related("comments__author")
        .filter(pk=task_id)
        .first()
    )
    if task is None or not can(user, "execsponsor.see_task", task):
        raise Http404("No such task, or it is not yours to see")
    return task


def reassign_candidates(task: Task) -> list[User]:
    """Who can take `task`: people who can see its account (the program's runners, its AE, CSM and sponsors),
    or the program's runners for a task on no account."""
    people = Q(role__in=RUNS_THE_PROGRAM) | Q(is_superuser=True)
    account = task.account
    if account is not None:
        from execsponsor.program.models import LIVE_STATUSES

        ids = [pk for pk in (account.owner_id, account.csm_id) if pk]
        people |= Q(pk__in=ids) | Q(
            executive__sponsorships__account=account, executive__sponsorships__status__in=LIVE_STATUSES
        )
    return list(User.objects.filter(people, is_active=True).distinct().order_by("last_name", "first_name", "pk"))


def playbook_list() -> list[Playbook]:
    return list(
        Playbook.objects.annotate(
            step_count=Count("steps", distinct=True),
            running=Count("runs", filter=Q(runs__status=PlaybookRun.Status.RUNNING), distinct=True),
        ).order_by("-built_in", "name")
    )


def playbook_get(*, playbook_id: int) -> Playbook:
    playbook = Playbook.objects.prefetch_related("steps").filter(pk=playbook_id).first()
    if playbook is None:
        raise Http404("No such playbook")
    return playbook


def _visible_runs(user: User) -> QuerySet[PlaybookRun]:
    runs = PlaybookRun.objects.select_related("playbook", "account", "sponsorship__executive__user", "started_by")
    if sees_every_account(user):
        return runs
    return runs.filter(account__in=visible_accounts(user))


def recent_runs(*, user: User, limit: int = 20) -> list[PlaybookRun]:
    open_tasks = Count("tasks", filter=Q(tasks__status=Task.Status.OPEN))
    return list(_visible_runs(user).annotate(open_tasks=open_tasks).order_by("-started_at", "-pk")[:limit])


def run_get(*, user: User, run_id: int) -> PlaybookRun:
    run = _visible_runs(user).filter(pk=run_id).first()
    if run is None:
        raise Http404("No such playbook run, or it is not yours to see")
    return run


def run_tasks(run: PlaybookRun) -> list[Task]:
    return list(run.tasks.select_related("owner").order_by("due_on", "pk"))


@dataclass
class AccountPlaybooks:
    runs: list[PlaybookRun]
    open_tasks: list[Task]
    startable: list[Playbook]


def account_playbooks(*, user: User, account: Account) -> AccountPlaybooks:
    """The running playbooks and open tasks on `account` (already checked visible), and what may be started."""
    runs = list(
        PlaybookRun.objects.filter(account=account, status=PlaybookRun.Status.RUNNING)
        .select_related("playbook")
        .order_by("-started_at")[:10]
    )
    tasks = list(
        Task.objects.filter(account=account, status=Task.Status.OPEN).select_related("owner").order_by("due_on")[:15]
    )
    startable = list(Playbook.objects.filter(is_active=True).order_by("name"))
    return AccountPlaybooks(runs, tasks, startable)
