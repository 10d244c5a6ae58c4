"""API v1: outcomes and advocates. Thin: parse, call a selector or a service, return."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Status

from execsponsor.access.visibility import visible_accounts
from execsponsor.common.editing import require_expected_updated_at
from execsponsor.customers import selectors_api, selectors_outcomes, services_outcomes
from execsponsor.customers.models import Contact
from execsponsor.customers.schemas_outcomes import (
    AdvocacyActivityIn,
    AdvocacyActivityOut,
    AdvocateFilters,
    AdvocateIn,
    AdvocateOut,
    AdvocatePatch,
    OutcomeFilters,
    OutcomeIn,
    OutcomeOut,
    OutcomePatch,
)
from execsponsor.schemas import ERROR_RESPONSES, MAX_ID, Page, PageParams, page_of

router = Router(tags=["outcomes and advocates"])

ERRORS = ERROR_RESPONSES


@router.get("/outcomes", response={200: Page[OutcomeOut], **ERRORS})
def outcome_list(request, filters: Query[OutcomeFilters], page: Query[PageParams]):
    """Outcomes of the accounts you may see."""
    return page_of(selectors_outcomes.outcome_list(user=request.user, **filters.model_dump()), page, with_count=True)


@router.get("/outcomes/{outcome_id}", response={200: OutcomeOut, **ERRORS})
def outcome_detail(request, outcome_id: int = Path(..., ge=1, le=MAX_ID)):
    return selectors_outcomes.outcome_get(user=request.user, outcome_id=outcome_id)


@router.post("/outcomes", response={201: OutcomeOut, **ERRORS})
def outcome_create(request, payload: OutcomeIn):
    account = selectors_api.account_get(user=request.user, account_id=payload.account_id)
    fields = payload.model_dump(exclude_unset=True, exclude={"account_id"})
    return Status(201, services_outcomes.outcome_create(by=request.user, account=account, fields=fields))


@router.patch("/outcomes/{outcome_id}", response={200: OutcomeOut, **ERRORS})
def outcome_update(request, payload: OutcomePatch, outcome_id: int = Path(..., ge=1, le=MAX_ID)):
    outcome = selectors_outcomes.outcome_get(user=request.user, outcome_id=outcome_id)
    services_outcomes.ensure_can_record_outcomes(by=request.user, account=outcome.account)  # a 403 before a 409
    require_expected_updated_at(payload.expected_updated_at, current=outcome.updated_at, what="outcome")
    changes = payload.model_dump(exclude_unset=True, exclude={"expected_updated_at"})
    return services_outcomes.outcome_update(
        by=request.user, outcome=outcome, changes=changes, expected_updated_at=payload.expected_updated_at
    )


@router.get("/advocates", response={200: Page[AdvocateOut], **ERRORS})
def advocate_list(request, filters: Query[AdvocateFilters], page: Query[PageParams]):
    """Advocates among the contacts of the accounts you may see, each with what they have done."""
    advocates = selectors_outcomes.advocate_list(user=request.user, **filters.model_dump())
    return page_of(advocates, page, with_count=True)


@router.get("/advocates/{advocate_id}", response={200: AdvocateOut, **ERRORS})
def advocate_detail(request, advocate_id: int = Path(..., ge=1, le=MAX_ID)):
    return selectors_outcomes.advocate_get(user=request.user, advocate_id=advocate_id)


@router.post("/advocates", response={201: AdvocateOut, **ERRORS})
def advocate_create(request, payload: AdvocateIn):
    contacts = Contact.objects.filter(account__in=visible_accounts(request.user))
    contact = get_object_or_404(contacts, pk=payload.contact_id)
    fields = payload.model_dump(exclude_unset=True, exclude={"contact_id"})
    advocate = services_outcomes.advocate_create(by=request.user, contact=contact, fields=fields)
    return Status(201, selectors_outcomes.advocate_get(user=request.user, advocate_id=advocate.pk))


@router.patch("/advocates/{advocate_id}", response={200: AdvocateOut, **ERRORS})
def advocate_update(request, payload: AdvocatePatch, advocate_id: int = Path(..., ge=1, le=MAX_ID)):
    advocate = selectors_outcomes.advocate_get(user=request.user, advocate_id=advocate_id)
    services_outcomes.ensure_can_record_outcomes(by=request.user, account=advocate.contact.account)
    require_expected_updated_at(payload.expected_updated_at, current=advocate.updated_at, what="advocate")
    changes = payload.model_dump(exclude_unset=True, exclude={"expected_updated_at"})
    services_outcomes.advocate_update(
        by=request.user, advocate=advocate, changes=changes, expected_updated_at=payload.expected_updated_at
    )
    return selectors_outcomes.advocate_get(user=request.user, advocate_id=advocate_id)


@router.post("/advocates/{advocate_id}/activities", response={201: AdvocacyActivityOut, **ERRORS})
def advocacy_activity_create(request, payload: AdvocacyActivityIn, advocate_id: int = Path(..., ge=1, le=MAX_ID)):
    """Record something the advocate did: a reference call, a case study … on a day, with a note."""
    advocate = selectors_outcomes.advocate_get(user=request.user, advocate_id=advocate_id)
    activity = services_outcomes.advocacy_activity_record(by=request.user, advocate=advocate, **payload.model_dump())
    return Status(201, activity)
