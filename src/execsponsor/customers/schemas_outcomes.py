"""API schemas for outcomes and advocates. Sizes mirror the columns, so bad input is a 422, not a crash."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from execsponsor.customers.models import AdvocacyKind, OutcomeStatus
from execsponsor.schemas import Day, Id, InputSchema, Text, text


class OutcomeOut(Schema):
    id: int
    account_id: int
    title: str
    measure: str
    baseline: str
    target: str
    expected_by: dt.date | None
    status: OutcomeStatus
    evidence: str
    recorded_on: dt.date
    delivered_on: dt.date | None
    shared_with_customer: bool = Field(description="Shareable with the customer's executives")
    is_success_story: bool
    created_at: dt.datetime
    updated_at: dt.datetime = Field(description="Send it back as expected_updated_at to detect concurrent edits")


class OutcomeFilters(Schema):
    account_id: Id | None = None
    status: OutcomeStatus | None = None
    is_success_story: bool | None = None


class OutcomeFields(InputSchema):
    measure: Text = text(255, default=None)
    baseline: Text = text(100, default=None)
    target: Text = text(100, default=None)
    expected_by: Day | None = None
    status: OutcomeStatus = None
    evidence: Text = text(20_000, default=None, description="Required to mark it delivered")
    recorded_on: Day = None
    delivered_on: Day | None = Field(None, description="Today when it is marked delivered without one")
    shared_with_customer: bool = None
    is_success_story: bool = Field(None, description="Only a delivered outcome can be a success story")


class OutcomeIn(OutcomeFields):
    account_id: Id
    title: Text = Field(min_length=1, max_length=255)


class OutcomePatch(OutcomeFields):
    title: Text = Field(None, min_length=1, max_length=255)
    expected_updated_at: dt.datetime | None = Field(
        None, description="The updated_at you read; if the outcome changed since, the update is refused with 409"
    )


class AdvocacyActivityOut(Schema):
    id: int
    kind: AdvocacyKind
    done_on: dt.date
    note: str
    created_at: dt.datetime


class AdvocateOut(Schema):
    id: int
    contact_id: int
    account_id: int
    agreed_to: list[AdvocacyKind]
    agreed_on: dt.date
    notes: str
    activities: list[AdvocacyActivityOut] = Field(description="What they have done, newest first")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_account_id(obj) -> int:
        return obj.contact.account_id

    @staticmethod
    def resolve_activities(obj) -> list:
        return list(obj.activities.all())


class AdvocateFilters(Schema):
    account_id: Id | None = None
    contact_id: Id | None = None


class AdvocateFields(InputSchema):
    agreed_to: list[AdvocacyKind] = Field(None, min_length=1, max_length=len(AdvocacyKind.values) * 2)
    agreed_on: Day = None
    notes: Text = text(20_000, default=None)


class AdvocateIn(AdvocateFields):
    contact_id: Id
    agreed_to: list[AdvocacyKind] = Field(min_length=1, max_length=len(AdvocacyKind.values) * 2)


class AdvocatePatch(AdvocateFields):
    expected_updated_at: dt.datetime | None = None


class AdvocacyActivityIn(InputSchema):
    kind: AdvocacyKind
    done_on: Day
    note: Text = text(500, default="")
