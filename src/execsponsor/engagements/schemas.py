"""API schemas for engagements and their participants."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import field_validator, model_validator

from execsponsor.common.constraints import Source
from execsponsor.engagements.models import EngagementKind
from execsponsor.schemas import Day, Id, InputSchema, Moment, Text, UserRef, text

MAX_PARTICIPANTS = 100
MAX_COMMITMENTS = 20


class CommitmentOut(Schema):
    id: int
    description: str
    owner_id: int | None
    due_on: dt.date | None
    task_id: int | None
    status: str


class CommitmentIn(InputSchema):
    description: Text = Field(min_length=1, max_length=500)
    owner_id: Id = Field(description="One of our people: the task goes to them")
    due_on: Day | None = None


class EngagementOut(Schema):
    id: int
    account_id: int
    sponsorship_id: int | None
    source: Source
    external_id: str
    kind: EngagementKind
    subject: str
    occurred_at: dt.datetime
    ends_at: dt.datetime | None
    owner: UserRef | None
    topics: list
    outcome: str
    notes: str
    two_way: bool
    discussed_strategy: bool
    over_the_horizon: bool
    learned_something_new: bool
    next_step_agreed: bool
    new_scope_raised: bool
    counts: bool = Field(
        description="From the quality rubric (by default two ticked items make an engagement count), "
        "unless the program owner overrode it"
    )
    counts_override: bool | None = Field(description="The program owner's decision; null: the rubric decides")
    counts_override_reason: str
    commitments: list[CommitmentOut]
    contact_ids: list[int]
    attendee_ids: list[int]
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_commitments(obj) -> list:
        return list(obj.commitments.all())

    @staticmethod
    def resolve_contact_ids(obj) -> list[int]:
        return [link.contact_id for link in obj.engagementcontact_set.all()]

    @staticmethod
    def resolve_attendee_ids(obj) -> list[int]:
        return [link.user_id for link in obj.engagementattendee_set.all()]


class EngagementFilters(Schema):
    account_id: Id | None = None
    sponsorship_id: Id | None = None
    kind: EngagementKind | None = None
    counts: bool | None = None
    since: Moment | None = Field(None, description="Occurred at or after this moment")
    until: Moment | None = Field(None, description="Occurred before this moment")
    source: Source | None = None
    external_id: Text | None = Field(None, max_length=64)
    updated_since: Moment | None = Field(None, description="Changed at or after this moment, for syncing")


class EngagementFields(InputSchema):
    ends_at: Moment | None = None
    topics: list[Text] = Field(None, max_length=30)
    outcome: Text = text(20_000, default=None)
    notes: Text = text(20_000, default=None)
    two_way: bool = None
    discussed_strategy: bool = None
    over_the_horizon: bool = None
    learned_something_new: bool = None
    next_step_agreed: bool = None
    new_scope_raised: bool = None
    contact_ids: list[Id] = Field(None, max_length=MAX_PARTICIPANTS, description="Their side: contacts of the account")
    attendee_ids: list[Id] = Field(None, max_length=MAX_PARTICIPANTS, description="Our side: user ids")

    @field_validator("topics")
    @classmethod
    def _short_topics(cls, value: list[str]) -> list[str]:
        if any(len(topic) > 100 for topic in value):
            raise ValueError("each topic is at most 100 characters")
        return value


class EngagementIn(EngagementFields):
    account_id: Id
    sponsorship_id: Id | None = None
    kind: EngagementKind = EngagementKind.MEETING
    subject: Text = Field(None, max_length=255, description='Defaults to "<kind> with <account>"')
    occurred_at: Moment
    source: Source = Source.MANUAL
    external_id: Text = text(64, default="")
    commitments: list[CommitmentIn] = Field(
        None,
        max_length=MAX_COMMITMENTS,
        description="Our promises, each with an owner and a due date: each becomes a task",
    )

    @model_validator(mode="after")
    def _ends_after_it_starts(self):
        if self.ends_at is not None and self.ends_at < self.occurred_at:
            raise ValueError("ends_at must not be before occurred_at")
        return self


class EngagementPatch(EngagementFields):
    kind: EngagementKind = None
    subject: Text = Field(None, min_length=1, max_length=255)
    occurred_at: Moment = None
    expected_updated_at: dt.datetime | None = None


class CountsOverrideIn(InputSchema):
    counts: bool | None = Field(description="true or false: the owner's decision; null: let the rubric decide again")
    reason: Text = Field(min_length=1, max_length=500)


class CadenceOut(Schema):
    """One sponsorship's cadence: only engagements that count reset the clock."""

    sponsorship_id: int
    account_id: int
    account_name: str
    executive: UserRef
    cadence_days: int
    state: str = Field(description="ok, at_risk, overdue, paused or not_applicable")
    days_since: int | None = Field(description="Days since the last engagement that counts (or the clock start)")
    days_overdue: int
    last_counting_on: dt.date | None
    next_due_on: dt.date | None

    @staticmethod
    def from_row(row) -> dict:
        s, c = row.sponsorship, row.cadence
        return {
            "sponsorship_id": s.pk,
            "account_id": s.account_id,
            "account_name": s.account.name,
            "executive": s.executive.user,
            "cadence_days": s.cadence_days,
            "state": c.state.value,
            "days_since": c.days_since,
            "days_overdue": c.days_overdue,
            "last_counting_on": c.last_counting_on,
            "next_due_on": c.next_due_on,
        }
