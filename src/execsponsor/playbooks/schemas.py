"""API schemas for tasks and playbooks."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from execsponsor.schemas import Day, Id, InputSchema, Text, UserRef


class ChecklistItemOut(Schema):
    item: str
    done: bool


class TaskOut(Schema):
    id: int
    title: str
    instructions: str
    status: str
    account_id: int | None
    account_name: str | None = None
    run_id: int | None
    playbook: str | None = None
    owner: UserRef | None
    due_on: dt.date | None
    snoozed_until: dt.date | None
    assigned_at: dt.datetime
    escalated_at: dt.datetime | None
    escalates_id: int | None
    completed_at: dt.datetime | None
    checklist: list[ChecklistItemOut]

    @staticmethod
    def resolve_account_name(obj) -> str | None:
        return obj.account.name if obj.account_id else None

    @staticmethod
    def resolve_playbook(obj) -> str | None:
        return obj.run.playbook.name if obj.run_id else None


class TaskFilters(Schema):
    mine: bool = Field(True, description="Only your own tasks (false: every task on the accounts you may see)")
    status: str = Field("open", pattern="^(open|done|skipped|all)$")
    account_id: Id | None = None


class CompleteIn(InputSchema):
    ticked: list[int] | None = Field(None, description="Indexes of the checklist items ticked; omit to keep them")


class SnoozeIn(InputSchema):
    until: Day


class ReassignIn(InputSchema):
    owner_id: Id


class CommentIn(InputSchema):
    body: Text = Field(..., min_length=1, max_length=5000)


class CommentOut(Schema):
    id: int
    author: UserRef | None
    body: str
    created_at: dt.datetime


class PlaybookOut(Schema):
    id: int
    slug: str
    name: str
    trigger: str
    is_active: bool
    built_in: bool
    settings: dict


class StartIn(InputSchema):
    account_id: Id | None = None
    anchor_date: Day | None = None


class RunOut(Schema):
    id: int
    playbook_id: int
    account_id: int | None
    anchor_date: dt.date
    status: str
    cause_key: str
    tasks: list[TaskOut]

    @staticmethod
    def resolve_tasks(obj) -> list:
        return list(obj.tasks.select_related("owner", "account", "run__playbook").order_by("due_on", "pk"))
