"""Task pages: My tasks, a task's page, and its actions (complete, tick, reopen, snooze, reassign, comment)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from execsponsor.access.rules import can
from execsponsor.common.errors import DomainError
from execsponsor.engagements.cadence import cadence_today
from execsponsor.playbooks import selectors, services
from execsponsor.playbooks.forms import CommentForm, ReassignForm, SnoozeForm
from execsponsor.playbooks.views import back_to, form_errors, refuse
from execsponsor.users.models import User


@require_GET
def task_list(request):
    context = {"nav": "tasks", "tasks": selectors.my_tasks(user=request.user, today=cadence_today()), "full": True}
    return render(request, "playbooks/task_list.html", context)


@require_GET
def task_detail(request, pk: int):
    task = selectors.task_get(user=request.user, task_id=pk)
    context = {
        "nav": "tasks",
        "task": task,
        "can_change": can(request.user, "execsponsor.change_task", task),
        "candidates": selectors.reassign_candidates(task),
        "snooze_form": SnoozeForm(),
        "comment_form": CommentForm(),
        "today": cadence_today(),
    }
    return render(request, "playbooks/task_detail.html", context)


def _ticked(request) -> list[int] | None:
    if "checklist" not in request.POST:
        return None
    ticked = []
    for value in request.POST.getlist("ticked"):
        if not value.isdigit() or len(value) > 4:
            raise _BadTick
        ticked.append(int(value))
    return ticked


class _BadTick(Exception):
    pass


@require_POST
def task_complete(request, pk: int):
    task = selectors.task_get(user=request.user, task_id=pk)
    try:
        services.task_complete(by=request.user, task=task, ticked=_ticked(request))
    except _BadTick:
        messages.error(request, "A ticked item is not on this task's checklist")
    except DomainError as error:
        refuse(request, error)
    else:
        messages.success(request, f"Done: {task.title}")
    return back_to(request, task.get_absolute_url())


@require_POST
def task_checklist(request, pk: int):
    task = selectors.task_get(user=request.user, task_id=pk)
    try:
        services.task_checklist_update(by=request.user, task=task, ticked=_ticked(request) or [])
    except _BadTick:
        messages.error(request, "A ticked item is not on this task's checklist")
    except DomainError as error:
        refuse(request, error)
    else:
        messages.success(request, "Checklist saved.")
    return redirect(task)


@require_POST
def task_reopen(request, pk: int):
    task = selectors.task_get(user=request.user, task_id=pk)
    try:
        services.task_reopen(by=request.user, task=task)
    except DomainError as error:
        refuse(request, error)
    return redirect(task)


@require_POST
def task_snooze(request, pk: int):
    task = selectors.task_get(user=request.user, task_id=pk)
    form = SnoozeForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(task)
    try:
        services.task_snooze(by=request.user, task=task, until=form.cleaned_data["until"], today=cadence_today())
    except DomainError as error:
        refuse(request, error)
    else:
        messages.success(request, f"Snoozed until {form.cleaned_data['until']:%d %b %Y}.")
    return back_to(request, task.get_absolute_url())


@require_POST
def task_reassign(request, pk: int):
    task = selectors.task_get(user=request.user, task_id=pk)
    form = ReassignForm(request.POST)
    owner = User.objects.filter(pk=form.cleaned_data["owner"]).first() if form.is_valid() else None
    if owner is None:
        messages.error(request, "Choose who should take the task")
        return redirect(task)
    try:
        services.task_reassign(by=request.user, task=task, owner=owner)
    except DomainError as error:
        refuse(request, error)
    else:
        messages.success(request, f"Reassigned to {owner}.")
    return redirect(task)


@require_POST
def task_comment(request, pk: int):
    task = selectors.task_get(user=request.user, task_id=pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(task)
    try:
        services.task_comment(by=request.user, task=task, body=form.cleaned_data["body"])
    except DomainError as error:
        refuse(request, error)
    return redirect(f"{task.get_absolute_url()}#comments")
