"""Reads for outcomes and advocates, on the account page and in the API. Every function starts from
`visible_accounts(user)`; an outcome or advocate of an account the user may not see does not exist for them."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from execsponsor.access.visibility import visible_accounts
from execsponsor.customers.models import Account, AdvocacyActivity, Advocate, Contact, ContactStatus, Outcome
from execsponsor.users.models import User

ACTIVITIES_SHOWN = 3


def outcome_queryset(*, user: User) -> QuerySet[Outcome]:
    return Outcome.objects.filter(account__in=visible_accounts(user)).select_related("account")


def outcome_get(*, user: User, outcome_id: int, account_id: int | None = None) -> Outcome:
    """The outcome, or 404 when it does not exist or its account is not the user's to see."""
    outcomes = outcome_queryset(user=user)
    if account_id is not None:
        outcomes = outcomes.filter(account_id=account_id)
    return get_object_or_404(outcomes, pk=outcome_id)


def outcome_list(
    *, user: User, account_id: int | None = None, status: str | None = None, is_success_story: bool | None = None
) -> QuerySet[Outcome]:
    outcomes = outcome_queryset(user=user)
    exact = {"account_id": account_id, "status": status, "is_success_story": is_success_story}
    return outcomes.filter(**{k: v for k, v in exact.items() if v is not None}).order_by("account_id", "pk")


def account_outcomes(account: Account) -> list[Outcome]:
    """The account's outcomes for its page: open ones first (by when they are expected), then delivered, missed."""
    order = {"in_progress": 0, "expected": 1, "delivered": 2, "missed": 3}
    outcomes = list(Outcome.objects.filter(account=account))
    outcomes.sort(key=lambda o: (order.get(o.status, 9), o.expected_by is None, o.expected_by, o.pk))
    return outcomes


def _with_activities(advocates: QuerySet[Advocate]) -> QuerySet[Advocate]:
    return advocates.select_related("contact__account").prefetch_related(
        Prefetch("activities", queryset=AdvocacyActivity.objects.order_by("-done_on", "-pk"))
    )


def advocate_queryset(*, user: User) -> QuerySet[Advocate]:
    return _with_activities(Advocate.objects.filter(contact__account__in=visible_accounts(user)))


def advocate_get(*, user: User, advocate_id: int, account_id: int | None = None) -> Advocate:
    advocates = advocate_queryset(user=user)
    if account_id is not None:
        advocates = advocates.filter(contact__account_id=account_id)
    return get_object_or_404(advocates, pk=advocate_id)


def advocate_list(*, user: User, account_id: int | None = None, contact_id: int | None = None) -> QuerySet[Advocate]:
    advocates = advocate_queryset(user=user)
    exact = {"contact__account_id": account_id, "contact_id": contact_id}
    return advocates.filter(**{k: v for k, v in exact.items() if v is not None}).order_by("pk")


def account_advocates(account: Account) -> list[Advocate]:
    return list(_with_activities(Advocate.objects.filter(contact__account=account)).order_by("contact__last_name"))


def contacts_who_could_advocate(account: Account) -> QuerySet[Contact]:
    """Contacts of the account still there and not yet advocates: the choices of the Add advocate form."""
    return (
        Contact.objects.filter(account=account, advocacy__isnull=True)
        .exclude(status=ContactStatus.LEFT)
        .order_by("last_name", "first_name", "pk")
    )
