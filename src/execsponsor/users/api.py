"""API v1: our executives (read-only)."""

from __future__ import annotations

from ninja import Path, Query, Router

from execsponsor.schemas import MAX_ID, ErrorOut, Page, PageParams, page_of
from execsponsor.users import selectors_api as selectors
from execsponsor.users.schemas import ExecutiveFilters, ExecutiveOut

router = Router(tags=["users"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get("/executives", response={200: Page[ExecutiveOut], **ERRORS})
def executive_list(request, filters: Query[ExecutiveFilters], page: Query[PageParams]):
    """Our executives with their load against capacity."""
    executives = selectors.executive_list(user=request.user, **filters.model_dump())
    return page_of(executives, page, with_count=True)


@router.get("/executives/{executive_id}", response={200: ExecutiveOut, **ERRORS})
def executive_detail(request, executive_id: int = Path(..., ge=1, le=MAX_ID)):
    return selectors.executive_get(user=request.user, executive_id=executive_id)
