"""API v1: sponsorships. Thin: parse, call a selector or a service, return."""

from __future__ import annotations

from ninja import Path, Query, Router, Status

from execsponsor.customers.selectors_api import account_get
from execsponsor.program import lifecycle, selectors, services
from execsponsor.program.schemas import (
    SponsorshipFilters,
    SponsorshipIn,
    SponsorshipOut,
    SponsorshipPatch,
    TransitionIn,
    TransitionOption,
)
from execsponsor.schemas import ERROR_RESPONSES, MAX_ID, Page, PageParams, page_of

router = Router(tags=["program"])

ERRORS = ERROR_RESPONSES


@router.get("/sponsorships", response={200: Page[SponsorshipOut], **ERRORS})
def sponsorship_list(request, filters: Query[SponsorshipFilters], page: Query[PageParams]):
    """Sponsorships of the accounts you may see."""
    sponsorships = selectors.sponsorship_list(user=request.user, **filters.model_dump())
    return page_of(sponsorships, page, with_count=True)


@router.get("/sponsorships/{sponsorship_id}", response={200: SponsorshipOut, **ERRORS})
def sponsorship_detail(request, sponsorship_id: int = Path(..., ge=1, le=MAX_ID)):
    return selectors.sponsorship_get(user=request.user, sponsorship_id=sponsorship_id)


@router.post("/sponsorships", response={201: SponsorshipOut, **ERRORS})
def sponsorship_create(request, payload: SponsorshipIn):
    account = account_get(user=request.user, account_id=payload.account_id)
    fields = payload.model_dump(exclude_unset=True, exclude={"account_id"})
    fields["executive_id"] = payload.executive_id
    sponsorship = services.sponsorship_create(by=request.user, account=account, fields=fields)
    return Status(201, selectors.sponsorship_get(user=request.user, sponsorship_id=sponsorship.pk))


@router.patch("/sponsorships/{sponsorship_id}", response={200: SponsorshipOut, **ERRORS})
def sponsorship_update(request, payload: SponsorshipPatch, sponsorship_id: int = Path(..., ge=1, le=MAX_ID)):
    """The program owner changes anything here; a sponsor only the charter of their own sponsorship.

    `expected_version` (the `version` you read) is required: 409 when it is missing or stale."""
    sponsorship = selectors.sponsorship_get(user=request.user, sponsorship_id=sponsorship_id)
    changes = payload.model_dump(exclude_unset=True, exclude={"expected_version"})
    services.sponsorship_update(
        sponsorship=sponsorship, by=request.user, changes=changes, expected_version=payload.expected_version
    )
    return selectors.sponsorship_get(user=request.user, sponsorship_id=sponsorship_id)


@router.get("/sponsorships/{sponsorship_id}/transitions", response={200: list[TransitionOption], **ERRORS})
def sponsorship_transitions(request, sponsorship_id: int = Path(..., ge=1, le=MAX_ID)):
    """The lifecycle steps from the current status, each with why it is not possible for you now."""
    sponsorship = selectors.sponsorship_get(user=request.user, sponsorship_id=sponsorship_id)
    return [
        {"step": o.step, "target": o.target, "possible": o.possible, "why_not": o.why_not}
        for o in lifecycle.steps_from_here(sponsorship, user=request.user)
    ]


@router.post("/sponsorships/{sponsorship_id}/transition", response={200: SponsorshipOut, **ERRORS})
def sponsorship_transition(request, payload: TransitionIn, sponsorship_id: int = Path(..., ge=1, le=MAX_ID)):
    """Move the sponsorship one step on its lifecycle: approved → introduced → active ⇄ paused → ended.

    Each step has its gate (introduce: `introduced_on`; activate: the AE–sponsor alignment complete on both sides;
    resume: the alignment recorded at activation; end: a `reason`), refused with 422 and the reason.
    `expected_version` is required: 409 when stale."""
    sponsorship = selectors.sponsorship_get(user=request.user, sponsorship_id=sponsorship_id)
    lifecycle.sponsorship_transition(
        sponsorship=sponsorship,
        step=payload.step,
        by=request.user,
        expected_version=payload.expected_version,
        introduced_on=payload.introduced_on,
        reason=payload.reason or "",
    )
    return selectors.sponsorship_get(user=request.user, sponsorship_id=sponsorship_id)
