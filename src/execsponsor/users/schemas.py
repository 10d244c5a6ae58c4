"""API schemas for our executives."""

from __future__ import annotations

from ninja import Field, Schema

from execsponsor.schemas import Text, UserRef
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
    is_active: bool

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.user.title


class ExecutiveFilters(Schema):
    search: Text | None = Field(None, max_length=100, description="Part of the name")
    function: ExecutiveFunction | None = None
    level: ExecutiveLevel | None = None
    is_active: bool | None = None
    industry: Text | None = Field(None, max_length=100)
