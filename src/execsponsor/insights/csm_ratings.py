"""The CSM's own rating of an account: recorded by the account's CSM (or the program owner or an admin), kept
with every earlier call, and read by health as one of its measures while it is fresh."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from execsponsor.access.rules import require
from execsponsor.access.visibility import visible_accounts
from execsponsor.common.batches import among
from execsponsor.common.errors import InvalidInput, NotPermitted
from execsponsor.core import health as core_health
from execsponsor.customers.models import Account
from execsponsor.insights.models import CsmRating, CsmRatingValue
from execsponsor.users.models import User

OLDEST_RATING_DAYS = 366


def csm_rating_record(
    *, by: User, account: Account, rating: str, note: str = "", rated_on: dt.date | None = None
) -> CsmRating:
    """Record a rating and recompute the account's health with it at once."""
    if not visible_accounts(by).filter(pk=account.pk).exists():
        raise NotPermitted(f"Only the CSM of {account.name}, the program owner or an admin rates it")
    require(by, "execsponsor.rate_account", account)
    if rating not in CsmRatingValue.values:
        raise InvalidInput("The rating is green, yellow or red", field="rating")
    today = timezone.localdate()
    rated_on = rated_on or today
    if rated_on > today:
        raise InvalidInput("A rating cannot be dated in the future", field="rated_on")
    if (today - rated_on).days > OLDEST_RATING_DAYS:
        raise InvalidInput(
            "A rating more than a year old would not count; date it within the last year", field="rated_on"
        )
    note = (note or "").replace("\x00", "").strip()
    if len(note) > 500:
        raise InvalidInput("Keep the note under 500 characters", field="note")
    with transaction.atomic():
        recorded = CsmRating.objects.create(account=account, rating=rating, note=note, rated_on=rated_on, rated_by=by)
    from execsponsor.insights.health import health_recompute

    health_recompute(account_ids=[account.pk], by=by)
    return recorded


def latest_ratings(account_ids: list[int], *, today: dt.date) -> dict[int, tuple[str, int]]:
    """Each account's newest rating on or before `today`, with its age in days."""
    found: dict[int, tuple[str, int]] = {}
    rows = (
        CsmRating.objects.filter(among("account_id", account_ids), rated_on__lte=today)
        .order_by("account_id", "-rated_on", "-created_at")
        .values_list("account_id", "rating", "rated_on")
    )
    for account_id, rating, rated_on in rows:
        if account_id not in found:
            found[account_id] = (rating, (today - rated_on).days)
    return found


def rating_scores(
    account_ids: list[int], *, today: dt.date, policy: core_health.HealthPolicy | None = None
) -> dict[int, float]:
    """The csm_rating measure (0–100) of each account whose newest rating is still fresh."""
    scores = {}
    for account_id, (rating, age) in latest_ratings(account_ids, today=today).items():
        value = core_health.csm_rating_score(rating=rating, age_days=age, policy=policy)
        if value is not None:
            scores[account_id] = value
    return scores


def ratings_of(account: Account, *, limit: int = 5) -> list[CsmRating]:
    return list(CsmRating.objects.filter(account=account).select_related("rated_by")[:limit])
