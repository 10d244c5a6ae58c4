"""API v1: the program's measures and the executives' scorecards (docs/measures.md), with the pages' access rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from ninja import Field, Query, Router, Schema

from execsponsor.access.rules import require
from execsponsor.common.errors import InvalidInput
from execsponsor.insights.measures import program_measures, scorecard_for, scorecards
from execsponsor.schemas import ERROR_RESPONSES, Page, PageParams
from execsponsor.users.models import Executive

router = Router(tags=["measures"])


class MeasuresParams(Schema):
    as_of: dt.date | None = None
    quarters: int = 8
    with_accounts: bool = Field(False, description="Gone: page through /program/measures/accounts instead")


class MeasurePeriod(Schema):
    as_of: dt.date | None = None
    quarters: int = 8


def _check(request, quarters: int) -> None:
    require(
        request.user,
        "execsponsor.view_program_results",
        message="Only program owners, admins and viewers may read the program's measures",
    )
    if not 1 <= quarters <= 12:
        raise InvalidInput("quarters must be between 1 and 12", field="quarters")


@router.get("/program/measures", response={200: dict[str, Any], **ERROR_RESPONSES})
def measures(request, params: Query[MeasuresParams]):
    """The program's measures per quarter (`quarters`, oldest first, each with `label` like "2026 Q3"), the
    change against the last quarter (`trends`), per executive, the earlier-access and unexpected-business
    opportunities with their evidence, and the settings used. Each sponsored account's figures are paged
    through `/program/measures/accounts`. Program owners, admins and viewers."""
    _check(request, params.quarters)
    if params.with_accounts:
        raise InvalidInput(
            "with_accounts is no longer offered: page through /api/v1/program/measures/accounts", field="with_accounts"
        )
    return program_measures(by=request.user, as_of=params.as_of, quarters=params.quarters).as_dict(accounts=False)


@router.get("/program/measures/accounts", response={200: Page[dict[str, Any]], **ERROR_RESPONSES})
def measure_accounts(request, params: Query[MeasurePeriod], page: Query[PageParams]):
    """Each sponsored account's measures (`key` is the account's id, `detail` its sponsors, `series` its
    quarters oldest first, `trends`), by account name, one page at a time (`limit`, `offset`; `count` is the
    total). Same parameters and access as `/program/measures`."""
    _check(request, params.quarters)
    rows = program_measures(by=request.user, as_of=params.as_of, quarters=params.quarters).accounts
    found = rows[page.offset : page.offset + page.limit + 1]
    return {
        "items": [row.as_dict() for row in found[: page.limit]],
        "count": len(rows),
        "limit": page.limit,
        "offset": page.offset,
        "next_offset": page.offset + page.limit if len(found) > page.limit else None,
    }


@router.get("/program/scorecards", response={200: list[dict[str, Any]], **ERROR_RESPONSES})
def scorecard_list(request, as_of: dt.date | None = None):
    """Every executive's scorecard, ranked (rank 1 first). Program owners, admins and viewers."""
    return [card.as_dict() for card in scorecards(by=request.user, as_of=as_of)]


@router.get("/program/scorecards/{executive_id}", response={200: dict[str, Any], **ERROR_RESPONSES})
def scorecard(request, executive_id: int, as_of: dt.date | None = None):
    """One executive's scorecard: for the program's owners, admins and viewers, and for that executive."""
    executive = Executive.objects.select_related("user").filter(pk=executive_id).first()
    if executive is None:
        raise Http404("No such executive")
    return scorecard_for(executive, by=request.user, as_of=as_of).as_dict()
