"""Writes for playbooks and tasks. Each in one transaction, with a permission check on a real user."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from execsponsor.common.errors import InvalidInput, NotPermitted
from execsponsor.customers.models import Account
from execsponsor.playbooks.models import Task
from execsponsor.users.models import User
from execsponsor.users.visibility import can_change_account


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
    if by.is_read_only:
        raise NotPermitted("Your role is read-only: you can look, not create tasks")
    if account is not None and not can_change_account(by, account.pk):
        raise NotPermitted(f"You may not create tasks on {account.name}")
    if account is None and not by.runs_the_program:
        raise NotPermitted("Only the program owner or an admin may create tasks outside an account")
    title = (title or "").strip()
    if not title:
        raise InvalidInput("A task needs a title", field="title")
    if not owner.is_active:
        raise InvalidInput(f"{owner} is no longer active and cannot own a task", field="owner")
    return Task.objects.create(
        title=title[:255], owner=owner, due_on=due_on, account=account, instructions=instructions
    )
