"""Reads: the cadence of live sponsorships, and the program's "going cold" list.

The date arithmetic is in core.cadence; this module only fetches, in one query, each sponsorship's
latest engagement that counts (an aggregate MAX over its linked engagements with counts = true).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.utils import timezone

from execsponsor.core.cadence import Cadence, cadence_of
from execsponsor.engagements.models import Engagement
from execsponsor.engagements.rules import at_risk_fraction, cadence_rule
from execsponsor.program.models import LIVE_STATUSES, Sponsorship, SponsorshipStatus
from execsponsor.users.models import User
from execsponsor.users.visibility import visible_accounts

GOING_COLD_PAGE_SIZE = 25


@dataclass(frozen=True)
class SponsorshipCadence:
    sponsorship: Sponsorship
    cadence: Cadence

    @property
    def account(self):
        return self.sponsorship.account


def _latest_counting_engagement() -> Subquery:
    """MAX(occurred_at) of the sponsorship's engagements that count, grouped by sponsorship."""
    latest = (
        Engagement.objects.filter(sponsorship=OuterRef("pk"), counts=True)
        .order_by()
        .values("sponsorship")
        .annotate(latest=Max("occurred_at"))
        .values("latest")
    )
    return Subquery(latest)


def with_last_counting(sponsorships: QuerySet[Sponsorship]) -> QuerySet[Sponsorship]:
    return sponsorships.annotate(last_counting_at=_latest_counting_engagement())


def clock_start(sponsorship: Sponsorship) -> dt.date | None:
    """Before any engagement counts, the clock runs from the latest lifecycle step: approved, introduced
    or started. A sponsorship introduced yesterday is not late because it was approved a month ago."""
    steps = [
        timezone.localdate(sponsorship.approved_at) if sponsorship.approved_at else None,
        sponsorship.introduced_on,
        sponsorship.started_on,
    ]
    known = [step for step in steps if step is not None]
    return max(known) if known else None


def cadence_of_sponsorship(
    sponsorship: Sponsorship, *, today: dt.date, fraction: float | None = None
) -> SponsorshipCadence:
    """`sponsorship` must come from `with_last_counting` (or have `last_counting_at` set)."""
    last = getattr(sponsorship, "last_counting_at", None)
    cadence = cadence_of(
        today=today,
        started_on=clock_start(sponsorship),
        counting_dates=[timezone.localdate(last)] if last is not None else [],
        rule=cadence_rule(sponsorship.cadence_days, fraction=fraction),
        paused=sponsorship.status == SponsorshipStatus.PAUSED,
        ended=sponsorship.status not in LIVE_STATUSES,
    )
    return SponsorshipCadence(sponsorship=sponsorship, cadence=cadence)


def cadence_for_sponsorships(
    sponsorships: QuerySet[Sponsorship] | Iterable[Sponsorship], today: dt.date | None = None
) -> list[SponsorshipCadence]:
    """The cadence of each sponsorship, in the order given, reading the latest counting engagements in
    one query. Accepts a queryset (annotated here) or sponsorship objects (their ids are re-read)."""
    today = today or timezone.localdate()
    if not isinstance(sponsorships, QuerySet):
        ids = [s.pk for s in sponsorships]
        by_id = {
            s.pk: s
            for s in with_last_counting(Sponsorship.objects.filter(pk__in=ids)).select_related(
                "account", "executive__user"
            )
        }
        rows = [by_id[pk] for pk in ids if pk in by_id]
    else:
        rows = list(with_last_counting(sponsorships).select_related("account", "executive__user"))
    fraction = at_risk_fraction()
    return [cadence_of_sponsorship(s, today=today, fraction=fraction) for s in rows]


def cadence_by_sponsorship(
    *, user: User, account_id: int | None = None, executive_id: int | None = None, today: dt.date | None = None
) -> dict[int, SponsorshipCadence]:
    """For the account page, the executive page and the sponsor's home: live sponsorships the user may see."""
    live = Sponsorship.objects.live().filter(account__in=visible_accounts(user))
    if account_id is not None:
        live = live.filter(account_id=account_id)
    if executive_id is not None:
        live = live.filter(executive_id=executive_id)
    return {row.sponsorship.pk: row for row in cadence_for_sponsorships(live, today)}


def going_cold(*, user: User, today: dt.date | None = None) -> list[SponsorshipCadence]:
    """Live sponsorships at risk or overdue on accounts `user` may see: the latest first (most days
    overdue), then the biggest account (ARR), then the longest silence."""
    live = Sponsorship.objects.filter(account__in=visible_accounts(user)).exclude(
        status__in=[SponsorshipStatus.PAUSED, SponsorshipStatus.ENDED, SponsorshipStatus.PROPOSED]
    )
    rows = [row for row in cadence_for_sponsorships(live, today) if row.cadence.is_going_cold]
    rows.sort(
        key=lambda row: (
            -row.cadence.days_overdue,
            -(row.account.arr or 0),
            -(row.cadence.days_since or 0),
            row.account.name,
        )
    )
    return rows


def going_cold_page(*, user: User, page: int = 1, today: dt.date | None = None) -> Page:
    return Paginator(going_cold(user=user, today=today), GOING_COLD_PAGE_SIZE).get_page(page)
