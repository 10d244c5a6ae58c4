"""Reads for the program review pages and API.

The program owner, admins and viewers see whole reviews. A sponsor or an account team member sees the
agenda items and decisions on accounts among `visible_accounts(user)`, the decisions they own and the
program-wide decisions (on no account); not the notes, which may speak of any account.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.http import Http404

from execsponsor.access.visibility import sees_every_account, visible_accounts
from execsponsor.program.models import DecisionStatus, ProgramReview, ReviewDecision
from execsponsor.program.review_agenda import GROUPS
from execsponsor.users.models import User


@dataclass
class AgendaGroup:
    key: str
    label: str
    items: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0  # found when the agenda was prepared (the agenda keeps the first of each group)

    @property
    def more(self) -> int:
        flagged = sum(1 for item in self.items if item.get("still_flagged", True))
        return max(self.total - flagged, 0)

    @property
    def discussed(self) -> int:
        return sum(1 for item in self.items if item.get("discussed"))


@dataclass
class ReviewPage:
    review: ProgramReview
    groups: list[AgendaGroup]
    decisions: list[ReviewDecision]
    sees_everything: bool

    @property
    def item_count(self) -> int:
        return sum(len(group.items) for group in self.groups)

    @property
    def discussed_count(self) -> int:
        return sum(group.discussed for group in self.groups)


def _visible_ids(user: User, account_ids: set[int]) -> set[int]:
    if sees_every_account(user):
        return account_ids
    return set(visible_accounts(user).filter(pk__in=account_ids).values_list("pk", flat=True))


def _decisions_visible_to(user: User, decisions):
    if sees_every_account(user):
        return decisions
    return decisions.filter(Q(account__isnull=True) | Q(account__in=visible_accounts(user)) | Q(owner=user))


def review_list(*, user: User) -> list[ProgramReview]:
    if not user.is_authenticated:
        return []
    reviews = ProgramReview.objects.select_related("created_by").annotate(
        decision_count=Count("decisions"),
        open_count=Count("decisions", filter=Q(decisions__status=DecisionStatus.OPEN)),
    )
    return list(reviews[:100])


def review_get(*, user: User, review_id: int) -> ProgramReview:
    review = ProgramReview.objects.select_related("created_by").filter(pk=review_id).first()
    if review is None or not user.is_authenticated:
        raise Http404("No such review")
    return review


def review_page(*, user: User, review: ProgramReview) -> ReviewPage:
    items = review.agenda or []
    sees_all = sees_every_account(user)
    visible = _visible_ids(user, {item["account_id"] for item in items if item.get("account_id")})
    groups = {
        key: AgendaGroup(key, label, total=(review.agenda_counts or {}).get(key, 0)) for key, label in GROUPS.items()
    }
    for item in items:
        account_id = item.get("account_id")
        shown = account_id in visible if account_id else sees_all
        if shown and item.get("group") in groups:
            groups[item["group"]].items.append(item)
    if not sees_all:
        for group in groups.values():
            group.total = len(group.items)  # the count of everything would tell of accounts they cannot see
    decisions = _decisions_visible_to(
        user, review.decisions.select_related("owner", "account", "task").order_by("status", "due_on", "pk")
    )
    return ReviewPage(review, list(groups.values()), list(decisions), sees_all)


def open_decisions_of(*, user: User) -> list[ReviewDecision]:
    """`user`'s open decisions from every review, the soonest due first."""
    if not user.is_authenticated:
        return []
    decisions = ReviewDecision.objects.filter(owner=user, status=DecisionStatus.OPEN).select_related(
        "review", "account"
    )
    return list(decisions.order_by("due_on", "pk"))


def decision_get(*, user: User, decision_id: int) -> ReviewDecision:
    decisions = _decisions_visible_to(user, ReviewDecision.objects.select_related("review", "owner", "account"))
    decision = decisions.filter(pk=decision_id).first() if user.is_authenticated else None
    if decision is None:
        raise Http404("No such decision, or not one you may see")
    return decision


def decision_owner_candidates() -> list[User]:
    return list(User.objects.filter(is_active=True).exclude(role="viewer").order_by("first_name", "last_name"))


def next_review_summary(today: dt.date | None = None) -> dict[str, Any]:
    """For the program owner's home: the date of the next review and whether it is prepared."""
    from execsponsor.program.review_services import next_review_on, upcoming_review

    upcoming = upcoming_review(today)
    return {"on": next_review_on(today), "review": upcoming}
