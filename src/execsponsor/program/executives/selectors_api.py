"""Reads for the JSON API's executives. Executives are our people, so every signed-in user may list them;
nothing here names the accounts they sponsor (that would bypass `visible_accounts`)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from execsponsor.program.models import LIVE_STATUSES
from execsponsor.users.models import Executive, User


def executive_queryset(*, user: User) -> QuerySet[Executive]:
    if not user.is_authenticated or not user.is_active:
        return Executive.objects.none()
    return Executive.objects.select_related("user").annotate(
        load=Count("sponsorships", filter=Q(sponsorships__status__in=LIVE_STATUSES))
    )


def executive_get(*, user: User, executive_id: int) -> Executive:
    return get_object_or_404(executive_queryset(user=user), pk=executive_id)


def executive_list(
    *,
    user: User,
    search: str | None = None,
    function: str | None = None,
    level: str | None = None,
    is_active: bool | None = None,
    industry: str | None = None,
) -> QuerySet[Executive]:
    executives = executive_queryset(user=user)
    if search:
        executives = executives.filter(Q(user__first_name__icontains=search) | Q(user__last_name__icontains=search))
    if industry:
        # JSON list membership differs per database; the list is short, so a text match is enough here.
        executives = executives.filter(industries__icontains=industry)
    exact = {"function": function, "level": level, "is_active": is_active}
    executives = executives.filter(**{k: v for k, v in exact.items() if v is not None})
    return executives.order_by("user__last_name", "user__first_name", "pk")
