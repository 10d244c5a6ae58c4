"""Reads for engagements. Every function starts from `visible_accounts(user)`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from execsponsor.access.visibility import visible_accounts
from execsponsor.customers.models import Account
from execsponsor.engagements.models import Engagement
from execsponsor.program.models import LIVE_STATUSES
from execsponsor.users.models import User


def engagement_queryset(*, user: User) -> QuerySet[Engagement]:
    return (
        Engagement.objects.filter(account__in=visible_accounts(user))
        .select_related("owner")
        .prefetch_related("engagementcontact_set", "engagementattendee_set", "commitments")
    )


def engagement_get(*, user: User, engagement_id: int) -> Engagement:
    """The engagement, or 404 when it does not exist or its account is not visible to `user`."""
    return get_object_or_404(engagement_queryset(user=user), pk=engagement_id)


def engagement_list(
    *,
    user: User,
    account_id: int | None = None,
    sponsorship_id: int | None = None,
    kind: str | None = None,
    counts: bool | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    source: str | None = None,
    external_id: str | None = None,
    updated_since: dt.datetime | None = None,
) -> QuerySet[Engagement]:
    """Newest first. `since` is inclusive, `until` exclusive."""
    exact = {
        "account_id": account_id,
        "sponsorship_id": sponsorship_id,
        "kind": kind,
        "counts": counts,
        "occurred_at__gte": since,
        "occurred_at__lt": until,
        "source": source,
        "external_id": external_id,
        "updated_at__gte": updated_since,
    }
    engagements = engagement_queryset(user=user).filter(**{k: v for k, v in exact.items() if v is not None})
    return engagements.order_by("-occurred_at", "-pk")


def engagements_awaiting_rubric(user: User) -> QuerySet[Engagement]:
    """Meetings imported from a calendar that took place, with `user` there, and still wait for the rubric.

    `user` took part, owns the engagement or sponsors its account; newest first."""
    mine = (
        Q(engagementattendee__user=user)
        | Q(owner=user)
        | Q(sponsorship__executive__user=user, sponsorship__status__in=LIVE_STATUSES)
    )
    return (
        engagement_queryset(user=user)
        .filter(mine, rubric_pending=True, occurred_at__lte=timezone.now())
        .select_related("account")
        .distinct()
        .order_by("-occurred_at", "-pk")
    )


# The account page's timeline

ENGAGEMENTS_PER_PAGE = 10


@dataclass(frozen=True)
class EngagementPage:
    rows: list[Engagement]
    number: int
    has_next: bool


def account_engagement_page(account: Account, *, page: int) -> EngagementPage:
    """One page of the account's engagement timeline, newest first (the caller has checked it may see the account)."""
    page = max(page, 1)
    offset = (page - 1) * ENGAGEMENTS_PER_PAGE
    rows = list(
        Engagement.objects.filter(account=account)
        .select_related("owner")
        .prefetch_related("contacts", "attendees")
        .order_by("-occurred_at", "-pk")[offset : offset + ENGAGEMENTS_PER_PAGE + 1]
    )
    return EngagementPage(rows=rows[:ENGAGEMENTS_PER_PAGE], number=page, has_next=len(rows) > ENGAGEMENTS_PER_PAGE)
