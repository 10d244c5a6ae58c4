"""Reads for the JSON API's accounts and contacts. Every function starts from `visible_accounts(user)`."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from execsponsor.access.visibility import visible_accounts
from execsponsor.customers.models import Account, Contact
from execsponsor.customers.selectors import account_search_condition
from execsponsor.users.models import User


def account_queryset(*, user: User) -> QuerySet[Account]:
    return visible_accounts(user).select_related("owner", "csm")


def account_get(*, user: User, account_id: int) -> Account:
    """The account, or 404 when it does not exist *or* the user may not see it (ids must not leak)."""
    return get_object_or_404(account_queryset(user=user), pk=account_id)


def account_list(
    *,
    user: User,
    search: str | None = None,
    segment: str | None = None,
    owner_id: int | None = None,
    csm_id: int | None = None,
    health_band: str | None = None,
    in_churn: bool | None = None,
    source: str | None = None,
    external_id: str | None = None,
    updated_since: dt.datetime | None = None,
) -> QuerySet[Account]:
    accounts = account_queryset(user=user)
    if search and search.strip():
        # The accounts page's search, through the same text index: case and accents ignored.
        accounts = accounts.filter(account_search_condition(search))
    exact = {
        "segment": segment,
        "owner_id": owner_id,
        "csm_id": csm_id,
        "health_band": health_band,
        "in_churn": in_churn,
        "source": source,
        "external_id": external_id,
        "updated_at__gte": updated_since,
    }
    accounts = accounts.filter(**{name: value for name, value in exact.items() if value is not None})
    return accounts.order_by("name", "pk")


def contact_queryset(*, user: User) -> QuerySet[Contact]:
    return Contact.objects.filter(account__in=visible_accounts(user))


def contact_get(*, user: User, contact_id: int) -> Contact:
    return get_object_or_404(contact_queryset(user=user), pk=contact_id)


def contact_list(
    *,
    user: User,
    account_id: int | None = None,
    search: str | None = None,
    status: str | None = None,
    source: str | None = None,
    external_id: str | None = None,
    updated_since: dt.datetime | None = None,
) -> QuerySet[Contact]:
    contacts = contact_queryset(user=user)
    if search:
        contacts = contacts.filter(
            Q(last_name__icontains=search)
            | Q(first_name__icontains=search)
            | Q(title__icontains=search)
            | Q(email__icontains=search)
        )
    exact = {
        "account_id": account_id,
        "status": status,
        "source": source,
        "external_id": external_id,
        "updated_at__gte": updated_since,
    }
    contacts = contacts.filter(**{name: value for name, value in exact.items() if value is not None})
    return contacts.order_by("account_id", "last_name", "first_name", "pk")
