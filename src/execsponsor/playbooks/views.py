"""Pages for playbooks, their runs, and tasks. Thin: forms parse, services write, selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from execsponsor.access.rules import can, permission_required, require
from execsponsor.access.visibility import visible_accounts
from execsponsor.common.errors import DomainError, NotPermitted
from execsponsor.engagements.cadence import cadence_today
from execsponsor.playbooks import editing, selectors, services
from execsponsor.playbooks.builtins import ensure_built_in_playbooks
from execsponsor.playbooks.forms import (
    MoveRunForm,
    NewPlaybookForm,
    PlaybookForm,
    PolicyForm,
    StartForm,
    StepForm,
)
from execsponsor.playbooks.models import PlaybookStep, TaskPolicy


def back_to(request, default: str):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


def form_errors(form) -> str:
    return "; ".join(f"{name.replace('_', ' ')}: {' '.join(errors)}" for name, errors in form.errors.items())


def refuse(request, error: DomainError) -> None:
    if isinstance(error, NotPermitted):
        raise error
    messages.error(request, error.message)


# Playbooks


@require_GET
def playbook_list(request):
    ensure_built_in_playbooks()
    context = {
        "nav": "playbooks",
        "playbooks": selectors.playbook_list(),
        "runs": selectors.recent_runs(user=request.user),
        "can_edit": can(request.user, "execsponsor.run_program"),
        "policy": TaskPolicy.current(),
        "new_form": NewPlaybookForm(),
        "today": cadence_today(),
    }
    return render(request, "playbooks/playbook_list.html", context)


@require_POST
@permission_required("execsponsor.run_program")
def playbook_new(request):
    form = NewPlaybookForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("playbooks:playbook_list")
    try:
        playbook = editing.playbook_create(by=request.user, **form.cleaned_data)
    except DomainError as error:
        refuse(request, error)
        return redirect("playbooks:playbook_list")
    messages.success(request, f"“{playbook.name}” created: add its steps.")
    return redirect(playbook)


@require_http_methods(["GET", "POST"])
def playbook_detail(request, pk: int):
    playbook = selectors.playbook_get(playbook_id=pk)
    can_edit = can(request.user, "execsponsor.run_program")
    status = 200
    initial = {
        "name": playbook.name,
        "description": playbook.description,
        "trigger": playbook.trigger,
        "is_active": playbook.is_active,
        **{name: playbook.setting(name) for name in ("days", "within_days", "points")},
        "alert_kinds": ", ".join(playbook.setting("alert_kinds") or []),
    }
    form = PlaybookForm(initial=initial)
    if request.method == "POST":
        require(request.user, "execsponsor.run_program", to="edit playbooks")
        form = PlaybookForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                editing.playbook_update(
                    by=request.user,
                    playbook=playbook,
                    name=data["name"],
                    description=data["description"],
                    trigger=data["trigger"],
                    is_active=data["is_active"],
                    settings=form.settings(),
                )
            except DomainError as error:
                refuse(request, error)
            else:
                messages.success(request, "Playbook saved.")
                return redirect(playbook)
        else:
            messages.error(request, form_errors(form))
    context = {
        "nav": "playbooks",
        "playbook": playbook,
        "form": form,
        "steps": list(playbook.steps.order_by("position")),
        "step_form": StepForm(),
        "can_edit": can_edit,
    }
    return render(request, "playbooks/playbook_detail.html", context, status=status)


@require_POST
@permission_required("execsponsor.run_program")
def playbook_active(request, pk: int):
    playbook = selectors.playbook_get(playbook_id=pk)
    turn_on = request.POST.get("is_active") == "on"
    editing.playbook_set_active(by=request.user, playbook=playbook, is_active=turn_on)
    messages.success(request, f"“{playbook.name}” is {'on' if turn_on else 'off'}.")
    return back_to(request, "playbooks:playbook_list")


def _step_values(form) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "role": data["role"],
        "offset_days": data["offset_days"],
        "instructions": data["instructions"],
        "checklist": data["checklist"],
    }


@require_POST
@permission_required("execsponsor.run_program")
def step_add(request, pk: int):
    playbook = selectors.playbook_get(playbook_id=pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(playbook)
    try:
        editing.step_add(by=request.user, playbook=playbook, **_step_values(form))
    except DomainError as error:
        refuse(request, error)
    return redirect(f"{playbook.get_absolute_url()}#steps")


def _step(pk: int) -> PlaybookStep:
    step = PlaybookStep.objects.select_related("playbook").filter(pk=pk).first()
    if step is None:
        raise Http404("No such step")
    return step


@require_POST
@permission_required("execsponsor.run_program")
def step_update(request, pk: int):
    step = _step(pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        try:
            editing.step_update(by=request.user, step=step, **_step_values(form))
            messages.success(request, f"Step “{form.cleaned_data['title']}” saved.")
        except DomainError as error:
            refuse(request, error)
    return redirect(f"{step.playbook.get_absolute_url()}#step-{step.pk}")


@require_POST
@permission_required("execsponsor.run_program")
def step_remove(request, pk: int):
    step = _step(pk)
    editing.step_remove(by=request.user, step=step)
    messages.success(request, f"Step “{step.title}” removed; tasks already made from it stay.")
    return redirect(f"{step.playbook.get_absolute_url()}#steps")


@require_POST
@permission_required("execsponsor.run_program")
def step_move(request, pk: int):
    step = _step(pk)
    editing.step_move(by=request.user, step=step, up=request.POST.get("direction") == "up")
    return redirect(f"{step.playbook.get_absolute_url()}#step-{step.pk}")


@require_POST
@permission_required("execsponsor.run_program")
def policy_update(request):
    form = PolicyForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        editing.task_policy_update(by=request.user, **form.cleaned_data)
        messages.success(request, "Task policy saved.")
    return redirect("playbooks:playbook_list")


# Runs


@require_POST
def playbook_start(request):
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return back_to(request, "playbooks:playbook_list")
    data = form.cleaned_data
    playbook = selectors.playbook_get(playbook_id=data["playbook"])
    account = None
    if data["account"]:
        account = visible_accounts(request.user).filter(pk=data["account"]).first()
        if account is None:
            raise Http404("No such account, or it is not yours to see")
    try:
        run = services.playbook_start(
            by=request.user, playbook=playbook, account=account, anchor_date=data["anchor_date"] or cadence_today()
        )
    except DomainError as error:
        refuse(request, error)
        return back_to(request, "playbooks:playbook_list")
    messages.success(request, f"“{playbook.name}” started: {run.tasks.count()} tasks created.")
    return redirect(run)


@require_http_methods(["GET", "POST"])
def run_detail(request, pk: int):
    run = selectors.run_get(user=request.user, run_id=pk)
    tasks = selectors.run_tasks(run)
    open_count = sum(task.is_open for task in tasks)
    form = MoveRunForm(initial={"anchor_date": run.anchor_date, "move_open_tasks": True})
    status = 200
    if request.method == "POST":
        form = MoveRunForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                moved = services.run_move(by=request.user, run=run, **form.cleaned_data)
            except DomainError as error:
                refuse(request, error)
            else:
                messages.success(
                    request,
                    f"Start date moved to {form.cleaned_data['anchor_date']:%d %b %Y}; "
                    f"{moved} open task{'s' if moved != 1 else ''} moved.",
                )
                return redirect(run)
        else:
            messages.error(request, form_errors(form))
    context = {
        "nav": "playbooks",
        "run": run,
        "tasks": tasks,
        "open_count": open_count,
        "form": form,
        "can_change": can(request.user, "execsponsor.change_playbook_run", run),
    }
    return render(request, "playbooks/run_detail.html", context, status=status)


@require_POST
def run_cancel(request, pk: int):
    run = selectors.run_get(user=request.user, run_id=pk)
    try:
        services.run_cancel(by=request.user, run=run)
    except DomainError as error:
        refuse(request, error)
    else:
        messages.success(request, "Run stopped; its open tasks are skipped.")
    return redirect(run)
