"""Reads for the program's sponsorships. Every function starts from `visible_accounts(user)`."""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from execsponsor.access.visibility import visible_accounts
from execsponsor.customers.models import Account
from execsponsor.program.models import LIVE_STATUSES, Sponsorship, SponsorshipStatus, SupportingExecutive
from execsponsor.users.models import User


def _last_changed():
    history = Sponsorship.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_date")
    return Subquery(history.values("history_date")[:1])


def sponsorship_queryset(*, user: User) -> QuerySet[Sponsorship]:
    return (
        Sponsorship.objects.filter(account__in=visible_accounts(user))
        .select_related("executive__user")
        .prefetch_related("counterparts")
        .annotate(updated_at=_last_changed())
    )


def sponsorship_get(*, user: User, sponsorship_id: int) -> Sponsorship:
    """The sponsorship, or 404 when it does not exist or its account is not visible to `user`."""
    return get_object_or_404(sponsorship_queryset(user=user), pk=sponsorship_id)


def sponsorship_list(
    *,
    user: User,
    account_id: int | None = None,
    executive_id: int | None = None,
    status: str | None = None,
    live: bool | None = None,
) -> QuerySet[Sponsorship]:
    sponsorships = sponsorship_queryset(user=user)
    exact = {"account_id": account_id, "executive_id": executive_id, "status": status}
    sponsorships = sponsorships.filter(**{k: v for k, v in exact.items() if v is not None})
    if live is True:
        sponsorships = sponsorships.filter(status__in=LIVE_STATUSES)
    elif live is False:
        sponsorships = sponsorships.exclude(status__in=LIVE_STATUSES)
    return sponsorships.order_by("account_id", "pk")


def sponsorship_last_changed(*, sponsorship: Sponsorship):
    record = sponsorship.history.order_by("-history_date").first()
    return record.history_date if record else None


# For the account pages


def in_program_condition(in_program: bool) -> Q:
    """Accounts with (or without) a live sponsorship, as a condition on accounts."""
    # A list of the few sponsored ids, not a per-row EXISTS: both databases plan it better.
    sponsored = Q(pk__in=Sponsorship.objects.filter(status__in=LIVE_STATUSES).values("account_id"))
    return sponsored if in_program else ~sponsored


def live_sponsors_prefetch() -> Prefetch:
    """Loads each account's live sponsorships (with the executive) as `live_sponsorships`: the accounts list."""
    return Prefetch(
        "sponsorships",
        queryset=Sponsorship.objects.live().select_related("executive__user").order_by("proposed_at"),
        to_attr="live_sponsorships",
    )


def account_sponsorships(account: Account) -> list[Sponsorship]:
    """The account's sponsorships that have not ended, with their sponsor, introducer, counterparts and current
    supporting executives (the account page; the caller has checked it may see the account)."""
    supporting = SupportingExecutive.objects.current().select_related("executive__user").order_by("since")
    return list(
        account.sponsorships.exclude(status=SponsorshipStatus.ENDED)
        .select_related("executive__user", "introducer")
        .prefetch_related("counterparts", Prefetch("supporting", queryset=supporting, to_attr="current_supporting"))
        .order_by("proposed_at")
    )
