"""API v1: our executives, with their load (live sponsorships, hence here in `program`). Everyone signed in
reads them; the program owner and admins add and change them."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Status

from execsponsor.access.rules import require
from execsponsor.common.errors import InvalidInput
from execsponsor.program.executives import selectors_api as selectors
from execsponsor.schemas import ERROR_RESPONSES, MAX_ID, ErrorOut, Page, PageParams, page_of
from execsponsor.users import services
from execsponsor.users.models import Executive, User
from execsponsor.users.schemas import ExecutiveFilters, ExecutiveIn, ExecutiveOut, ExecutivePatch

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


@router.post("/executives", response={201: ExecutiveOut, **ERROR_RESPONSES})
def executive_create(request, payload: ExecutiveIn):
    """Make one of our users an executive who can sponsor accounts (program owner and admin)."""
    require(request.user, "execsponsor.run_program", to="add executives")
    fields = payload.model_dump(exclude_unset=True, exclude={"user_id"})
    user = User.objects.filter(pk=payload.user_id).first()
    if user is None:
        raise InvalidInput(f"user_id: there is no user with id {payload.user_id}", field="user_id")
    executive = services.executive_create(by=request.user, user=user, fields=fields)
    return Status(201, selectors.executive_get(user=request.user, executive_id=executive.pk))


@router.patch("/executives/{executive_id}", response={200: ExecutiveOut, **ERROR_RESPONSES})
def executive_update(request, payload: ExecutivePatch, executive_id: int = Path(..., ge=1, le=MAX_ID)):
    require(request.user, "execsponsor.run_program", to="change executives")
    executive = get_object_or_404(Executive, pk=executive_id)
    changes = payload.model_dump(exclude_unset=True, exclude={"expected_updated_at"})
    services.executive_update(
        executive=executive, by=request.user, changes=changes, expected_updated_at=payload.expected_updated_at
    )
    return selectors.executive_get(user=request.user, executive_id=executive_id)
