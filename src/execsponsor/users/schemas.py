"""API schemas for our executives."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import field_validator

from execsponsor.schemas import Day, Id, InputSchema, Text, UserRef
from execsponsor.users.models import ExecutiveFunction, ExecutiveLevel


class ExecutiveOut(Schema):
    id: int
    user: UserRef
    title: str
    function: ExecutiveFunction
    level: ExecutiveLevel
    reports_to_id: int | None
    industries: list
    regions: list
    languages: list
    time_zone: str
    capacity_min: int
    capacity_max: int
    load: int = Field(description="Live sponsorships")
    customer_facing: bool
    working_style: str
    enablement: list
    is_active: bool
    updated_at: dt.datetime = Field(description="Send it back as expected_updated_at to detect concurrent edits")

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.user.title


class ExecutiveFilters(Schema):
    search: Text | None = Field(None, max_length=100, description="Part of the name")
    function: ExecutiveFunction | None = None
    level: ExecutiveLevel | None = None
    is_active: bool | None = None
    industry: Text | None = Field(None, max_length=100)


Label = Field(max_length=100)


class ExecutiveFields(InputSchema):
    function: ExecutiveFunction = None
    level: ExecutiveLevel = None
    reports_to_id: Id | None = None
    industries: list[Text] = Field(None, max_length=50)
    regions: list[Text] = Field(None, max_length=50)
    languages: list[Text] = Field(None, max_length=20, description="ISO 639-1 codes, e.g. en, ja")
    time_zone: Text = Field(None, max_length=64, description="An IANA name, e.g. Europe/Berlin")
    working_style: Text = Field(None, max_length=5000)
    capacity_min: int = Field(None, ge=0, le=20)
    capacity_max: int = Field(None, ge=0, le=20)
    customer_facing: bool = None
    enablement: list[Text] = Field(None, max_length=50)
    is_active: bool = None
    departed_on: Day | None = None

    @field_validator("industries", "regions", "languages", "enablement")
    @classmethod
    def _short_items(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and any(len(item) > 100 for item in value):
            raise ValueError("each item is at most 100 characters")
        return value


class ExecutiveIn(ExecutiveFields):
    user_id: Id = Field(description="The user who becomes an executive; they must not be one yet")
    function: ExecutiveFunction


class ExecutivePatch(ExecutiveFields):
    expected_updated_at: dt.datetime | None = Field(
        None, description="The updated_at you read; if the executive changed since, the update is refused with 409"
    )
