"""Reads: the cadence of live sponsorships, and the program's "going cold" list.

The date arithmetic is in core.cadence; this module only fetches, in one query, each sponsorship's
latest engagement that counts (an aggregate MAX over its linked engagements with counts = true).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from execsponsor.access.visibility import sees_every_account, visible_accounts
from execsponsor.core.cadence import Cadence, cadence_of
from execsponsor.engagements.models import Engagement
from execsponsor.engagements.rules import at_risk_fraction, cadence_rule
from execsponsor.program.models import LIVE_STATUSES, Sponsorship, SponsorshipStatus
from execsponsor.users.models import User

GOING_COLD_PAGE_SIZE = 25
# Live and not paused: the sponsorships that owe their customer a meeting.
DUE_STATUSES = (SponsorshipStatus.APPROVED, SponsorshipStatus.INTRODUCED, SponsorshipStatus.ACTIVE)


def cadence_today() -> dt.date:
    """Today in the installation's time zone, or the ESP_CADENCE_AS_OF date (ISO) when one is set: a clock
    that browser tests (and a demo frozen in time) control, read by every cadence page and the sweep."""
    as_of = getattr(settings, "ESP_CADENCE_AS_OF", None)
    if as_of:
        return as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(str(as_of))
    return timezone.localdate()


@dataclass(frozen=True)
class SponsorshipCadence:
    sponsorship: Sponsorship
    cadence: Cadence

    @property
    def account(self):
        return self.sponsorship.account


# What the cadence and the going-cold list need: loading whole accounts (long strategy texts) tripled the time.
CADENCE_FIELDS = (
    "id",
    "status",
    "cadence_days",
    "approved_at",
    "introduced_on",
    "started_on",
    "account__id",
    "account__name",
    "account__arr",
    "executive__id",
    "executive__user__id",
    "executive__user__username",
    "executive__user__first_name",
    "executive__user__last_name",
)


def _latest_counting_engagement() -> Subquery:
    """MAX(occurred_at) over the sponsorship's engagements that count, written as "the newest one" so that
    the database reads it from the (sponsorship, -occurred_at) index and stops at the first that counts,
    instead of aggregating all of them (twice as fast on the demo; same answer)."""
    latest = (
        Engagement.objects.filter(sponsorship=OuterRef("pk"), counts=True)
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    return Subquery(latest)


def with_last_counting(sponsorships: QuerySet[Sponsorship]) -> QuerySet[Sponsorship]:
    return sponsorships.annotate(last_counting_at=_latest_counting_engagement())


def _for_cadence(sponsorships: QuerySet[Sponsorship]) -> QuerySet[Sponsorship]:
    return with_last_counting(sponsorships).select_related("account", "executive__user").only(*CADENCE_FIELDS)


def clock_start(sponsorship) -> dt.date | None:
    """Before any engagement counts, the clock runs from the latest lifecycle step: approved, introduced
    or started. A sponsorship introduced yesterday is not late because it was approved a month ago."""
    steps = [
        timezone.localdate(sponsorship.approved_at) if sponsorship.approved_at else None,
        sponsorship.introduced_on,
        sponsorship.started_on,
    ]
    known = [step for step in steps if step is not None]
    return max(known) if known else None


def _cadence(sponsorship, *, today: dt.date, fraction: float | None) -> Cadence:
    """`sponsorship`: a Sponsorship from `with_last_counting`, or a row with the same attribute names."""
    last = getattr(sponsorship, "last_counting_at", None)
    return cadence_of(
        today=today,
        started_on=clock_start(sponsorship),
        counting_dates=[timezone.localdate(last)] if last is not None else [],
        rule=cadence_rule(sponsorship.cadence_days, fraction=fraction),
        paused=sponsorship.status == SponsorshipStatus.PAUSED,
        ended=sponsorship.status not in LIVE_STATUSES,
    )


def cadence_of_sponsorship(
    sponsorship: Sponsorship, *, today: dt.date, fraction: float | None = None
) -> SponsorshipCadence:
    return SponsorshipCadence(sponsorship=sponsorship, cadence=_cadence(sponsorship, today=today, fraction=fraction))


def cadence_for_sponsorships(
    sponsorships: QuerySet[Sponsorship] | Iterable[Sponsorship], today: dt.date | None = None
) -> list[SponsorshipCadence]:
    """The cadence of each sponsorship, in the order given, reading the latest counting engagements in
    one query. Accepts a queryset (annotated here) or sponsorship objects (their ids are re-read)."""
    today = today or cadence_today()
    if not isinstance(sponsorships, QuerySet):
        ids = [s.pk for s in sponsorships]
        by_id = {s.pk: s for s in _for_cadence(Sponsorship.objects.filter(pk__in=ids))}
        rows = [by_id[pk] for pk in ids if pk in by_id]
    else:
        rows = list(_for_cadence(sponsorships))
    fraction = at_risk_fraction()
    return [cadence_of_sponsorship(s, today=today, fraction=fraction) for s in rows]


@dataclass(frozen=True, slots=True)
class _Row:
    """A sponsorship as plain values: the sweep over thousands needs no model instances."""

    pk: int
    status: str
    cadence_days: int
    approved_at: dt.datetime | None
    introduced_on: dt.date | None
    started_on: dt.date | None
    last_counting_at: dt.datetime | None
    arr: object
    name: str


_ROW_FIELDS = (
    "pk",
    "status",
    "cadence_days",
    "approved_at",
    "introduced_on",
    "started_on",
    "last_counting_at",
    "account__arr",
    "account__name",
)


def cadence_sweep(sponsorships: QuerySet[Sponsorship], today: dt.date | None = None) -> list[tuple[_Row, Cadence]]:
    """Every sponsorship's cadence from one query of plain values: for the going-cold list and the sweep."""
    today = today or cadence_today()
    fraction = at_risk_fraction()
    rows = [_Row(*values) for values in with_last_counting(sponsorships).values_list(*_ROW_FIELDS)]
    return [(row, _cadence(row, today=today, fraction=fraction)) for row in rows]


def _live_visible(user: User) -> QuerySet[Sponsorship]:
    live = Sponsorship.objects.live()
    # Everyone's accounts: no IN (SELECT every account id), which costs SQLite a plan that reads them all.
    return live if sees_every_account(user) else live.filter(account__in=visible_accounts(user))


def cadence_by_sponsorship(
    *, user: User, account_id: int | None = None, executive_id: int | None = None, today: dt.date | None = None
) -> dict[int, SponsorshipCadence]:
    """For the account page, the executive page and the sponsor's home: live sponsorships the user may see."""
    live = _live_visible(user) if user.is_authenticated else Sponsorship.objects.none()
    if account_id is not None:
        live = live.filter(account_id=account_id)
    if executive_id is not None:
        live = live.filter(executive_id=executive_id)
    return {row.sponsorship.pk: row for row in cadence_for_sponsorships(live, today)}


def going_cold(*, user: User, today: dt.date | None = None) -> list[SponsorshipCadence]:
    """Live sponsorships at risk or overdue on accounts `user` may see: the latest first (most days
    overdue), then the biggest account (ARR), then the longest silence.

    The sweep reads plain values; only the sponsorships that are going cold are then loaded as objects
    for the page (a second, small query)."""
    if not user.is_authenticated or not user.is_active:
        return []
    due = _live_visible(user).filter(status__in=DUE_STATUSES)
    cold = [(row, cadence) for row, cadence in cadence_sweep(due, today) if cadence.is_going_cold]
    cold.sort(key=lambda pair: (-pair[1].days_overdue, -(pair[0].arr or 0), -(pair[1].days_since or 0), pair[0].name))
    objects = Sponsorship.objects.select_related("account", "executive__user").only(*CADENCE_FIELDS)
    by_id = objects.in_bulk([row.pk for row, _ in cold])
    return [SponsorshipCadence(sponsorship=by_id[row.pk], cadence=cadence) for row, cadence in cold if row.pk in by_id]


def going_cold_page(*, user: User, page: int = 1, today: dt.date | None = None) -> Page:
    return Paginator(going_cold(user=user, today=today), GOING_COLD_PAGE_SIZE).get_page(page)
