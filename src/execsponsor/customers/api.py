"""API v1: accounts and contacts. Thin: parse, call a selector or a service, return."""

from __future__ import annotations

from ninja import Path, Query, Router, Status

from execsponsor.common.editing import require_expected_updated_at
from execsponsor.customers import selectors_api as selectors
from execsponsor.customers import services
from execsponsor.customers.schemas import (
    AccountFilters,
    AccountIn,
    AccountOut,
    AccountPatch,
    ContactFilters,
    ContactIn,
    ContactOut,
    ContactPatch,
)
from execsponsor.schemas import ERROR_RESPONSES, MAX_ID, Page, PageParams, page_of

router = Router(tags=["customers"])

ERRORS = ERROR_RESPONSES


@router.get("/accounts", response={200: Page[AccountOut], **ERRORS})
def account_list(request, filters: Query[AccountFilters], page: Query[PageParams]):
    """Accounts you may see. `?external_id=` looks one up by its CRM id."""
    accounts = selectors.account_list(user=request.user, **filters.model_dump())
    return page_of(accounts, page, with_count=True)


@router.get("/accounts/{account_id}", response={200: AccountOut, **ERRORS})
def account_detail(request, account_id: int = Path(..., ge=1, le=MAX_ID)):
    return selectors.account_get(user=request.user, account_id=account_id)


@router.post("/accounts", response={201: AccountOut, **ERRORS})
def account_create(request, payload: AccountIn):
    account = services.account_create(by=request.user, fields=payload.model_dump(exclude_unset=True))
    return Status(201, selectors.account_get(user=request.user, account_id=account.pk))


@router.patch("/accounts/{account_id}", response={200: AccountOut, **ERRORS})
def account_update(request, payload: AccountPatch, account_id: int = Path(..., ge=1, le=MAX_ID)):
    account = selectors.account_get(user=request.user, account_id=account_id)
    services.ensure_can_change_account_records(by=request.user, account=account)  # a 403 before a 409
    require_expected_updated_at(payload.expected_updated_at, current=account.updated_at, what="account")
    changes = payload.model_dump(exclude_unset=True, exclude={"expected_updated_at"})
    services.account_update(
        account=account, by=request.user, changes=changes, expected_updated_at=payload.expected_updated_at
    )
    return selectors.account_get(user=request.user, account_id=account_id)


@router.get("/contacts", response={200: Page[ContactOut], **ERRORS})
def contact_list(request, filters: Query[ContactFilters], page: Query[PageParams]):
    """Contacts of the accounts you may see. Filter by `account_id`; `?external_id=` looks one up."""
    contacts = selectors.contact_list(user=request.user, **filters.model_dump())
    return page_of(contacts, page, with_count=False)


@router.get("/contacts/{contact_id}", response={200: ContactOut, **ERRORS})
def contact_detail(request, contact_id: int = Path(..., ge=1, le=MAX_ID)):
    return selectors.contact_get(user=request.user, contact_id=contact_id)


@router.post("/contacts", response={201: ContactOut, **ERRORS})
def contact_create(request, payload: ContactIn):
    account = selectors.account_get(user=request.user, account_id=payload.account_id)
    fields = payload.model_dump(exclude_unset=True, exclude={"account_id"})
    return Status(201, services.contact_create(by=request.user, account=account, fields=fields))


@router.patch("/contacts/{contact_id}", response={200: ContactOut, **ERRORS})
def contact_update(request, payload: ContactPatch, contact_id: int = Path(..., ge=1, le=MAX_ID)):
    contact = selectors.contact_get(user=request.user, contact_id=contact_id)
    services.ensure_can_change_account_records(by=request.user, account=contact.account)  # a 403 before a 409
    require_expected_updated_at(payload.expected_updated_at, current=contact.updated_at, what="contact")
    changes = payload.model_dump(exclude_unset=True, exclude={"expected_updated_at"})
    return services.contact_update(
        contact=contact, by=request.user, changes=changes, expected_updated_at=payload.expected_updated_at
    )
