"""API schemas for program reviews and their decisions."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from execsponsor.program.models import DecisionStatus
from execsponsor.program.review_services import DECISION_LENGTH
from execsponsor.schemas import Day, Id, InputSchema, Text, text


class DecisionOut(Schema):
    id: int
    review_id: int
    decision: str
    account_id: int | None
    owner_id: int | None
    due_on: dt.date | None
    status: DecisionStatus
    closed_on: dt.date | None
    task_id: int | None = Field(description="The owner's follow-up task")
    version: int = Field(description="Send it back as expected_version in a PATCH")


class AgendaItemOut(Schema):
    key: str
    group: str = Field(description="decisions, going_cold, alerts, tasks or no_objectives")
    title: str
    detail: str
    url: str
    account_id: int | None
    arr: float | None
    days_overdue: int
    carried_over: bool
    since: str | None = Field(description="For a carried-over item: the date of the review it comes from")
    still_flagged: bool
    discussed: bool


class ReviewSummaryOut(Schema):
    id: int
    held_on: dt.date
    prepared_at: dt.datetime
    version: int


class ReviewOut(ReviewSummaryOut):
    notes: str | None = Field(description="Only for those who see the whole program")
    agenda: list[AgendaItemOut]
    decisions: list[DecisionOut]


class DecisionFields(InputSchema):
    decision: Text = text(DECISION_LENGTH, default=None)
    owner_id: Id | None = None
    due_on: Day | None = None
    account_id: Id | None = None
    status: DecisionStatus = None


class DecisionIn(DecisionFields):
    decision: Text = text(DECISION_LENGTH)
    status: DecisionStatus = DecisionStatus.OPEN


class DecisionPatch(DecisionFields):
    expected_version: int | None = Field(
        None, ge=1, le=2_147_483_647, description="Required: the version you read; 409 if it is stale or missing"
    )
