"""API schemas for accounts and contacts. Sizes and ranges mirror the columns, so bad input is a 422, not a crash."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator, validate_email
from ninja import Field, Schema
from pydantic import field_validator

from execsponsor.common.constraints import Source
from execsponsor.customers.models import (
    BuyingRole,
    ContactStatus,
    DecisionOrientation,
    HealthBand,
    Influence,
    Lifecycle,
    Persona,
    Segment,
    Seniority,
    Support,
)
from execsponsor.schemas import Day, Id, InputSchema, Moment, Text, UserRef, text


class AccountOut(Schema):
    id: int
    name: str
    source: Source
    external_id: str
    domain: str
    industry: str
    segment: str
    region: str
    country: str
    lifecycle: Lifecycle
    in_churn: bool
    arr: Decimal | None
    company_revenue: Decimal | None
    employees: int | None
    renewal_date: dt.date | None
    growth_potential: Decimal | None
    strategic_value: int | None
    owner: UserRef | None
    csm: UserRef | None
    account_strategy: str
    capability_areas_in_use: list
    capability_areas_planned: list
    customer_goals: str
    pain_points: str
    health_score: int | None
    health_band: HealthBand | str
    created_at: dt.datetime
    updated_at: dt.datetime = Field(description="Send it back as expected_updated_at to detect concurrent edits")


class AccountFilters(Schema):
    search: Text | None = Field(
        None,
        max_length=100,
        description=(
            "As the accounts page's search: part of the name, case and accents ignored (one or two characters "
            "match the start of the name), the start of the domain, or the CRM id"
        ),
    )
    segment: Segment | None = None
    owner_id: Id | None = None
    csm_id: Id | None = None
    health_band: HealthBand | None = None
    in_churn: bool | None = None
    source: Source | None = None
    external_id: Text | None = Field(None, max_length=64, description="Look an account up by its id in the CRM")
    updated_since: Moment | None = Field(None, description="Changed at or after this moment, for syncing")


def _money(max_digits: int):
    return Field(None, ge=0, max_digits=max_digits, decimal_places=2)


class AccountFields(InputSchema):
    """Fields that a create and an update share; on update every one is optional and null means 'clear'."""

    domain: Text = text(255, default=None)
    industry: Text = text(100, default=None)
    segment: Segment | None = Field(None, description="null clears it")
    region: Text = text(64, default=None)
    country: Text = text(100, default=None)
    lifecycle: Lifecycle = None
    in_churn: bool = None
    arr: Decimal | None = _money(16)
    company_revenue: Decimal | None = _money(18)
    employees: int | None = Field(None, ge=0, le=2_147_483_647)
    renewal_date: Day | None = None
    growth_potential: Decimal | None = _money(16)
    strategic_value: int | None = Field(None, ge=0, le=100)
    owner_id: Id | None = None
    csm_id: Id | None = None
    account_strategy: Text = text(20_000, default=None)
    capability_areas_in_use: list[Text] = Field(None, max_length=50)
    capability_areas_planned: list[Text] = Field(None, max_length=50)
    customer_goals: Text = text(20_000, default=None)
    pain_points: Text = text(20_000, default=None)

    @field_validator("capability_areas_in_use", "capability_areas_planned")
    @classmethod
    def _short_items(cls, value: list[str]) -> list[str]:
        if any(len(item) > 100 for item in value):
            raise ValueError("each capability area is at most 100 characters")
        return value


class AccountIn(AccountFields):
    name: Text = Field(min_length=1, max_length=255)
    source: Source = Source.MANUAL
    external_id: Text = text(64, default="")


class AccountPatch(AccountFields):
    name: Text = Field(None, min_length=1, max_length=255)
    expected_updated_at: dt.datetime | None = Field(
        None, description="The updated_at you read; if the account changed since, the update is refused with 409"
    )


class ContactOut(Schema):
    id: int
    account_id: int
    source: Source
    external_id: str
    first_name: str
    last_name: str
    title: str
    department: str
    email: str
    phone: str
    profile_url: str
    notes: str
    seniority: str
    persona: str
    buying_role: str
    support: str
    influence: str
    decision_orientation: str
    reports_to_id: int | None
    status: str
    status_changed_on: dt.date | None
    replaced_by_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


class ContactFilters(Schema):
    account_id: Id | None = None
    search: Text | None = Field(None, max_length=100, description="Part of the name, title or email")
    status: ContactStatus | None = None
    source: Source | None = None
    external_id: Text | None = Field(None, max_length=64)
    updated_since: Moment | None = Field(None, description="Changed at or after this moment, for syncing")


class ContactFields(InputSchema):
    first_name: Text = text(100, default=None)
    title: Text = text(200, default=None)
    department: Text = text(100, default=None)
    email: Text = text(254, default=None)
    phone: Text = text(50, default=None)
    profile_url: Text = text(500, default=None)
    notes: Text = text(20_000, default=None)
    seniority: Seniority | None = None
    persona: Persona | None = None
    buying_role: BuyingRole | None = None
    support: Support = None
    influence: Influence = None
    decision_orientation: DecisionOrientation | None = None
    reports_to_id: Id | None = None
    status: ContactStatus = None
    status_changed_on: Day | None = None
    replaced_by_id: Id | None = Field(None, description="Their successor at the account, once they left")

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise ValueError(f"{value!r} is not an email address") from None
        return value

    @field_validator("profile_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if value:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except DjangoValidationError:
                raise ValueError(f"{value!r} is not a web address") from None
        return value


class ContactIn(ContactFields):
    account_id: Id
    last_name: Text = Field(min_length=1, max_length=100)
    source: Source = Source.MANUAL
    external_id: Text = text(64, default="")


class ContactPatch(ContactFields):
    last_name: Text = Field(None, min_length=1, max_length=100)
    expected_updated_at: dt.datetime | None = None
