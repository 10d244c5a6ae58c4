"""API v1: tasks and playbooks. Thin: parse, call a selector or a service, return."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from ninja import Path, Query, Router, Status

from execsponsor.access.visibility import visible_accounts
from execsponsor.engagements.cadence import cadence_today
from execsponsor.playbooks import selectors, services
from execsponsor.playbooks.models import Playbook, Task
from execsponsor.playbooks.schemas import (
    CommentIn,
    CommentOut,
    CompleteIn,
    PlaybookOut,
    ReassignIn,
    RunOut,
    SnoozeIn,
    StartIn,
    TaskFilters,
    TaskOut,
)
from execsponsor.schemas import ERROR_RESPONSES, MAX_ID, Page, PageParams, page_of
from execsponsor.users.models import User

router = Router(tags=["tasks"])

ERRORS = ERROR_RESPONSES


@router.get("/tasks", response={200: Page[TaskOut], **ERRORS})
def task_list(request, filters: Query[TaskFilters], page: Query[PageParams]):
    """Your tasks (mine=true, the default) or every task on the accounts you may see; open ones by default."""
    user = request.user
    tasks = (
        Task.objects.filter(owner=user)
        if filters.mine
        else Task.objects.filter(Q(owner=user) | Q(account__in=visible_accounts(user)))
    )
    if filters.status != "all":
        tasks = tasks.filter(status=filters.status)
    if filters.account_id:
        tasks = tasks.filter(account_id=filters.account_id)
    tasks = tasks.select_related("owner", "account", "run__playbook").order_by("due_on", "pk")
    return page_of(tasks, page, with_count=True)


@router.get("/tasks/{task_id}", response={200: TaskOut, **ERRORS})
def task_detail(request, task_id: int = Path(..., ge=1, le=MAX_ID)):
    return selectors.task_get(user=request.user, task_id=task_id)


@router.post("/tasks/{task_id}/complete", response={200: TaskOut, **ERRORS})
def task_complete(request, payload: CompleteIn, task_id: int = Path(..., ge=1, le=MAX_ID)):
    task = selectors.task_get(user=request.user, task_id=task_id)
    services.task_complete(by=request.user, task=task, ticked=payload.ticked)
    return selectors.task_get(user=request.user, task_id=task_id)


@router.post("/tasks/{task_id}/snooze", response={200: TaskOut, **ERRORS})
def task_snooze(request, payload: SnoozeIn, task_id: int = Path(..., ge=1, le=MAX_ID)):
    task = selectors.task_get(user=request.user, task_id=task_id)
    services.task_snooze(by=request.user, task=task, until=payload.until, today=cadence_today())
    return selectors.task_get(user=request.user, task_id=task_id)


@router.post("/tasks/{task_id}/reassign", response={200: TaskOut, **ERRORS})
def task_reassign(request, payload: ReassignIn, task_id: int = Path(..., ge=1, le=MAX_ID)):
    task = selectors.task_get(user=request.user, task_id=task_id)
    owner = User.objects.filter(pk=payload.owner_id).first()
    if owner is None:
        from execsponsor.common.errors import InvalidInput

        raise InvalidInput(f"owner_id: no user with id {payload.owner_id}", field="owner_id")
    services.task_reassign(by=request.user, task=task, owner=owner)
    return selectors.task_get(user=request.user, task_id=task_id)


@router.post("/tasks/{task_id}/comments", response={201: CommentOut, **ERRORS})
def task_comment(request, payload: CommentIn, task_id: int = Path(..., ge=1, le=MAX_ID)):
    task = selectors.task_get(user=request.user, task_id=task_id)
    return Status(201, services.task_comment(by=request.user, task=task, body=payload.body))


@router.get("/playbooks", response={200: list[PlaybookOut], **ERRORS}, tags=["playbooks"])
def playbook_list(request):
    return list(Playbook.objects.order_by("name"))


@router.post("/playbooks/{playbook_id}/start", response={201: RunOut, **ERRORS}, tags=["playbooks"])
def playbook_start(request, payload: StartIn, playbook_id: int = Path(..., ge=1, le=MAX_ID)):
    """Start a playbook by hand, on an account you may change (or, for the program owner, on none)."""
    playbook = Playbook.objects.filter(pk=playbook_id).first()
    if playbook is None:
        raise Http404
    account = None
    if payload.account_id:
        account = visible_accounts(request.user).filter(pk=payload.account_id).first()
        if account is None:
            raise Http404
    run = services.playbook_start(
        by=request.user, playbook=playbook, account=account, anchor_date=payload.anchor_date or cadence_today()
    )
    return Status(201, run)
