"""API v1: program reviews and their decisions. Thin: parse, call a selector or a service, return."""

from __future__ import annotations

from ninja import Path, Query, Router, Status

from execsponsor.program import review_selectors as selectors
from execsponsor.program import review_services as services
from execsponsor.program.models import ProgramReview
from execsponsor.program.schemas_review import DecisionIn, DecisionOut, DecisionPatch, ReviewOut, ReviewSummaryOut
from execsponsor.schemas import ERROR_RESPONSES, MAX_ID, Page, PageParams, page_of

router = Router(tags=["program reviews"])


def _review_out(user, review) -> dict:
    page = selectors.review_page(user=user, review=review)
    return {
        "id": review.pk,
        "held_on": review.held_on,
        "prepared_at": review.prepared_at,
        "version": review.version,
        "notes": review.notes if page.sees_everything else None,
        "agenda": [item for group in page.groups for item in group.items],
        "decisions": page.decisions,
    }


@router.get("/program/reviews", response={200: Page[ReviewSummaryOut], **ERROR_RESPONSES})
def review_list(request, page: Query[PageParams]):
    """Every program review, the newest first."""
    return page_of(ProgramReview.objects.order_by("-held_on", "-pk"), page, with_count=True)


@router.get("/program/reviews/{review_id}", response={200: ReviewOut, **ERROR_RESPONSES})
def review_detail(request, review_id: int = Path(..., ge=1, le=MAX_ID)):
    """One review: its agenda and decisions as far as they concern accounts you may see (everything for the
    program owner, admins and viewers, who also get the notes)."""
    return _review_out(request.user, selectors.review_get(user=request.user, review_id=review_id))


@router.post("/program/reviews/{review_id}/decisions", response={201: DecisionOut, **ERROR_RESPONSES})
def decision_create(request, payload: DecisionIn, review_id: int = Path(..., ge=1, le=MAX_ID)):
    """Record a decision (program owner and admins). An owner gets a follow-up task."""
    review = selectors.review_get(user=request.user, review_id=review_id)
    decision = services.decision_create(review=review, by=request.user, fields=payload.model_dump(exclude_unset=True))
    return Status(201, decision)


@router.patch("/program/decisions/{decision_id}", response={200: DecisionOut, **ERROR_RESPONSES})
def decision_update(request, payload: DecisionPatch, decision_id: int = Path(..., ge=1, le=MAX_ID)):
    """Change a decision; `expected_version` (the `version` you read) is required: 409 when missing or stale."""
    decision = selectors.decision_get(user=request.user, decision_id=decision_id)
    changes = payload.model_dump(exclude_unset=True, exclude={"expected_version"})
    return services.decision_update(
        decision=decision, by=request.user, changes=changes, expected_version=payload.expected_version
    )
