"""API schemas for sponsorships."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from execsponsor.program.lifecycle import END_REASON_LENGTH, Step
from execsponsor.program.models import SponsorshipStatus
from execsponsor.schemas import Day, Id, InputSchema, Text, text

CHARTER_LENGTH = 20_000


class ExecutiveRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj.user)


class SponsorshipOut(Schema):
    id: int
    account_id: int
    executive: ExecutiveRef
    status: SponsorshipStatus
    counterpart_ids: list[int]
    introducer_id: int | None
    charter_objectives: str
    charter_expectations: str
    customer_commitment: str
    cadence_days: int
    proposed_at: dt.datetime
    approved_at: dt.datetime | None
    introduced_on: dt.date | None
    started_on: dt.date | None
    ended_on: dt.date | None
    end_reason: str
    alignment_checked_on: dt.date | None = Field(None, description="When the AE–sponsor alignment was complete")
    updated_at: dt.datetime | None = Field(None, description="When it last changed (from its history)")
    version: int = Field(description="Moves on at every change; send it back as expected_version in a PATCH")

    @staticmethod
    def resolve_counterpart_ids(obj) -> list[int]:
        return [contact.pk for contact in obj.counterparts.all()]


class SponsorshipFilters(Schema):
    account_id: Id | None = None
    executive_id: Id | None = None
    status: SponsorshipStatus | None = None
    live: bool | None = Field(None, description="Only sponsorships in a live state (approved … paused)")


class CharterFields(InputSchema):
    """What the sponsor may change on their own sponsorship."""

    charter_objectives: Text = text(CHARTER_LENGTH, default=None)
    charter_expectations: Text = text(CHARTER_LENGTH, default=None)
    customer_commitment: Text = text(CHARTER_LENGTH, default=None)


class SponsorshipFields(CharterFields):
    cadence_days: int = Field(None, ge=1, le=365)
    counterpart_ids: list[Id] = Field(None, max_length=50, description="Contacts of the account")
    introducer_id: Id | None = None
    introduced_on: Day | None = None
    started_on: Day | None = None
    end_reason: Text = text(255, default=None)


class SponsorshipIn(SponsorshipFields):
    account_id: Id
    executive_id: Id
    status: SponsorshipStatus = SponsorshipStatus.PROPOSED


class SponsorshipPatch(SponsorshipFields):
    status: SponsorshipStatus = None
    expected_version: int | None = Field(
        None, ge=1, le=2_147_483_647, description="Required: the version you read; 409 if it is stale or missing"
    )


class TransitionIn(InputSchema):
    step: Step = Field(description="approve, introduce, activate, pause, resume or end")
    expected_version: int | None = Field(
        None, ge=1, le=2_147_483_647, description="Required: the version you read; 409 if it is stale or missing"
    )
    introduced_on: Day | None = Field(None, description="For introduce: the day of the introduction (not ahead)")
    reason: Text = text(END_REASON_LENGTH, default="", description="For end (required) and pause (optional)")


class TransitionOption(Schema):
    step: Step
    target: SponsorshipStatus
    possible: bool
    why_not: str = Field(description="Why the step is not possible for you now; empty when it is")
