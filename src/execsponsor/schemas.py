"""Types shared by the API schemas: ids, safe text, pagination and the error body."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Generic, TypeVar

from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import AfterValidator, model_validator

# Ids beyond a signed 64-bit integer would crash the database driver instead of simply not matching.
MAX_ID = 2**63 - 1
MAX_LIMIT = 200
MAX_OFFSET = 10_000_000


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return value


def _sane_moment(value: dt.datetime) -> dt.datetime:
    if not 1990 <= value.year <= 2200:
        raise ValueError("must be between the years 1990 and 2200")
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)  # documented: a time without a zone is UTC
    return value


def _sane_date(value: dt.date) -> dt.date:
    if not 1990 <= value.year <= 2200:
        raise ValueError("must be between the years 1990 and 2200")
    return value


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Text = Annotated[str, AfterValidator(_clean_text)]
Moment = Annotated[dt.datetime, AfterValidator(_sane_moment)]
Day = Annotated[dt.date, AfterValidator(_sane_date)]


def text(max_length: int, **kwargs: Any):
    """A Field for a text input of at most `max_length` characters (the column's size)."""
    return Field(max_length=max_length, **kwargs)


class ErrorOut(Schema):
    message: str
    detail: Any = None


# The error answers a write endpoint may give, for its OpenAPI description.
ERROR_RESPONSES = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


T = TypeVar("T")


class Page(Schema, Generic[T]):
    items: list[T]
    count: int | None = Field(None, description="Total rows, where cheap to count")
    limit: int
    offset: int
    next_offset: int | None = Field(None, description="Offset of the next page; null on the last page")


class UserRef(Schema):
    id: int
    username: str
    name: str

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"Rows per page, at most {MAX_LIMIT}")
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def page_of(queryset: QuerySet, params: PageParams, *, with_count: bool) -> dict[str, Any]:
    """One page of `queryset`; the total only where counting is cheap enough to do on every request."""
    rows = list(queryset[params.offset : params.offset + params.limit + 1])
    has_more = len(rows) > params.limit
    return {
        "items": rows[: params.limit],
        "count": queryset.count() if with_count else None,
        "limit": params.limit,
        "offset": params.offset,
        "next_offset": params.offset + params.limit if has_more else None,
    }


class InputSchema(Schema):
    """A request body: it must be a JSON object (ninja would otherwise read a list or a string as 'no fields')."""

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: Any, info: Any) -> Any:
        if not isinstance(values, dict):
            raise ValueError("the request body must be a JSON object")
        return super()._run_root_validator(values, handler, info)
