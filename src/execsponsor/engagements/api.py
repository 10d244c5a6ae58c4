"""API v1: engagements. Thin: parse, call a selector or a service, return."""

from __future__ import annotations

from ninja import Path, Query, Router, Status

from execsponsor.common.editing import require_expected_updated_at
from execsponsor.customers.selectors_api import account_get
from execsponsor.engagements import cadence, selectors, services
from execsponsor.engagements.schemas import (
    CadenceOut,
    CountsOverrideIn,
    EngagementFilters,
    EngagementIn,
    EngagementOut,
    EngagementPatch,
)
from execsponsor.schemas import ERROR_RESPONSES, MAX_ID, Page, PageParams, page_of

router = Router(tags=["engagements"])

ERRORS = ERROR_RESPONSES


@router.get("/engagements", response={200: Page[EngagementOut], **ERRORS})
def engagement_list(request, filters: Query[EngagementFilters], page: Query[PageParams]):
    """Engagements on the accounts you may see, newest first; filter by account and a date range."""
    engagements = selectors.engagement_list(user=request.user, **filters.model_dump())
    return page_of(engagements, page, with_count=False)


@router.get("/engagements/going-cold", response={200: Page[CadenceOut], **ERRORS})
def going_cold(request, page: Query[PageParams]):
    """Live sponsorships at risk or overdue on the accounts you may see: most days overdue first, then ARR."""
    rows = cadence.going_cold(user=request.user)
    window = rows[page.offset : page.offset + page.limit]
    has_more = len(rows) > page.offset + page.limit
    return {
        "items": [CadenceOut.from_row(row) for row in window],
        "count": len(rows),
        "limit": page.limit,
        "offset": page.offset,
        "next_offset": page.offset + page.limit if has_more else None,
    }


@router.get("/engagements/{engagement_id}", response={200: EngagementOut, **ERRORS})
def engagement_detail(request, engagement_id: int = Path(..., ge=1, le=MAX_ID)):
    return selectors.engagement_get(user=request.user, engagement_id=engagement_id)


@router.post("/engagements", response={201: EngagementOut, **ERRORS})
def engagement_create(request, payload: EngagementIn):
    account = account_get(user=request.user, account_id=payload.account_id)
    fields = payload.model_dump(exclude_unset=True, exclude={"account_id", "commitments"})
    commitments = [services.CommitmentDraft(**c.model_dump()) for c in payload.commitments or []]
    engagement = services.engagement_log(by=request.user, account=account, fields=fields, commitments=commitments)
    return Status(201, selectors.engagement_get(user=request.user, engagement_id=engagement.pk))


@router.patch("/engagements/{engagement_id}", response={200: EngagementOut, **ERRORS})
def engagement_update(request, payload: EngagementPatch, engagement_id: int = Path(..., ge=1, le=MAX_ID)):
    engagement = selectors.engagement_get(user=request.user, engagement_id=engagement_id)
    services.ensure_can_log_engagements(by=request.user, account=engagement.account)  # a 403 before a 409
    require_expected_updated_at(payload.expected_updated_at, current=engagement.updated_at, what="engagement")
    changes = payload.model_dump(exclude_unset=True, exclude={"expected_updated_at"})
    services.engagement_update(
        engagement=engagement, by=request.user, changes=changes, expected_updated_at=payload.expected_updated_at
    )
    return selectors.engagement_get(user=request.user, engagement_id=engagement_id)


@router.post("/engagements/{engagement_id}/counts-override", response={200: EngagementOut, **ERRORS})
def engagement_counts_override(request, payload: CountsOverrideIn, engagement_id: int = Path(..., ge=1, le=MAX_ID)):
    """The program owner decides whether an engagement counts, over the rubric, with a reason that is kept."""
    engagement = selectors.engagement_get(user=request.user, engagement_id=engagement_id)
    services.engagement_counts_override(
        by=request.user, engagement=engagement, counts=payload.counts, reason=payload.reason
    )
    return selectors.engagement_get(user=request.user, engagement_id=engagement_id)
