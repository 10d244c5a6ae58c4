"""API v1: the program's measures and the executives' scorecards (docs/measures.md), with the pages' access rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from ninja import Query, Router, Schema

from execsponsor.access.rules import require
from execsponsor.common.errors import InvalidInput, NotPermitted
from execsponsor.insights.measures import may_see_scorecard, program_measures, scorecard_for, scorecards
from execsponsor.schemas import ERROR_RESPONSES
from execsponsor.users.models import Executive

router = Router(tags=["measures"])


class MeasuresParams(Schema):
    as_of: dt.date | None = None
    quarters: int = 8
    with_accounts: bool = False


@router.get("/program/measures", response={200: dict[str, Any], **ERROR_RESPONSES})
def measures(request, params: Query[MeasuresParams]):
    """The program's measures per quarter (`quarters`, oldest first, each with `label` like "2026 Q3"), the
    change against the last quarter (`trends`), per executive, the earlier-access and unexpected-business
    opportunities with their evidence, and the settings used. `with_accounts=true` adds every sponsored
    account's figures (large on a big program). Program owners, admins and viewers."""
    require(
        request.user,
        "execsponsor.view_program_results",
        message="Only program owners, admins and viewers may read the program's measures",
    )
    if not 1 <= params.quarters <= 12:
        raise InvalidInput("quarters must be between 1 and 12", field="quarters")
    result = program_measures(by=request.user, as_of=params.as_of, quarters=params.quarters).as_dict()
    if not params.with_accounts:
        result.pop("accounts")
    return result


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
    if not may_see_scorecard(request.user, executive):
        raise NotPermitted("A sponsor sees their own scorecard only")
    return scorecard_for(executive, by=request.user, as_of=as_of).as_dict()
