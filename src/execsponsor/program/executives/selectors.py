"""Reads for the executive pages: executives with their load against capacity, the accounts they sponsor or
support, and the values their profile offers (taken from the accounts and executives in the data).

Executives are our own people, so everyone signed in sees the list; the accounts shown against an
executive come only from `visible_accounts(user)`. This lives in `program` because an executive's load and
accounts are sponsorships: `users` keeps the people and their profiles, and reads nothing above it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, Subquery

from execsponsor.access.visibility import visible_accounts
from execsponsor.customers.models import Account
from execsponsor.engagements.models import Engagement
from execsponsor.program.models import LIVE_STATUSES, Sponsorship, SupportingExecutive
from execsponsor.users.enablement import catalogue
from execsponsor.users.models import Executive, ExecutiveFunction, User
from execsponsor.users.selectors import BASE_INDUSTRIES, BASE_LANGUAGES, BASE_REGIONS, executive_values, merged

EXECUTIVE_SORTS = {
    "name": ("user__first_name", "user__last_name", "pk"),
    "-load": ("-load", "user__first_name", "user__last_name", "pk"),
    "load": ("load", "user__first_name", "user__last_name", "pk"),
}


@dataclass(frozen=True)
class LoadVsCapacity:
    load: int
    capacity_min: int
    capacity_max: int

    @property
    def state(self) -> str:
        if self.load > self.capacity_max:
            return "over"
        if self.load < self.capacity_min:
            return "under"
        return "within"

    @property
    def over_by(self) -> int:
        return max(self.load - self.capacity_max, 0)

    @property
    def room(self) -> int:
        return max(self.capacity_max - self.load, 0)

    @property
    def percent(self) -> int:
        """How full the bar is: capacity_max is a full bar; beyond it the bar stays full and turns red."""
        if self.capacity_max == 0:
            return 100 if self.load else 0
        return min(round(100 * self.load / self.capacity_max), 100)


def executive_list(*, user: User, search: str = "", function: str = "", sort: str = "name", page: int = 1) -> Page:
    """A page of executives with their live load; each carries `visible_sponsorships` for `user`."""
    executives = Executive.objects.filter(is_active=True).select_related("user")
    if search := search.strip():
        executives = executives.filter(
            Q(user__first_name__icontains=search)
            | Q(user__last_name__icontains=search)
            | Q(user__username__istartswith=search)
        )
    if function in ExecutiveFunction.values:
        executives = executives.filter(function=function)
    executives = executives.annotate(
        load=Count("sponsorships", filter=Q(sponsorships__status__in=LIVE_STATUSES))
    ).order_by(*EXECUTIVE_SORTS.get(sort, EXECUTIVE_SORTS["name"]))
    visible = Prefetch(
        "sponsorships",
        queryset=Sponsorship.objects.live()
        .filter(_account_visible_to(user, "account_id"))
        .select_related("account")
        .order_by("account__name"),
        to_attr="visible_sponsorships",
    )
    paginator = Paginator(executives.prefetch_related(visible), settings.ESP_PAGE_SIZE)
    result = paginator.get_page(page)
    for executive in result:
        executive.load_vs_capacity = LoadVsCapacity(executive.load, executive.capacity_min, executive.capacity_max)
    return result


@dataclass(frozen=True)
class SponsoredAccount:
    sponsorship: object
    account: object
    last_counting_engagement: dt.datetime | None
    role: str  # sponsor | supporting


@dataclass(frozen=True)
class ExecutiveOverview:
    executive: Executive
    load: LoadVsCapacity
    accounts: list[SponsoredAccount]
    not_visible: int  # live sponsorships on accounts the viewer may not see


def executive_overview(*, user: User, executive_id: int) -> ExecutiveOverview:
    """An executive with the accounts they sponsor or support that `user` may see.

    Raises Executive.DoesNotExist when there is no such executive.
    """
    executive = Executive.objects.select_related("user", "reports_to__user").get(pk=executive_id)
    live = Sponsorship.objects.live().filter(executive=executive)
    load = live.count()
    sponsorships = list(
        live.filter(_account_visible_to(user, "account_id"))
        .select_related("account")
        .annotate(last_counting=_last_counting_engagement("account_id"))
        .order_by("account__name")
    )
    supporting = list(
        SupportingExecutive.objects.current()
        .filter(
            _account_visible_to(user, "sponsorship__account_id"),
            executive=executive,
            sponsorship__status__in=LIVE_STATUSES,
        )
        .select_related("sponsorship__account", "sponsorship__executive__user")
        .annotate(last_counting=_last_counting_engagement("sponsorship__account_id"))
        .order_by("sponsorship__account__name")
    )
    accounts = [SponsoredAccount(s, s.account, s.last_counting, "sponsor") for s in sponsorships] + [
        SponsoredAccount(s.sponsorship, s.sponsorship.account, s.last_counting, "supporting") for s in supporting
    ]
    return ExecutiveOverview(
        executive=executive,
        load=LoadVsCapacity(load, executive.capacity_min, executive.capacity_max),
        accounts=accounts,
        not_visible=load - len(sponsorships),
    )


def _account_visible_to(user: User, account_path: str) -> Exists:
    """A condition on rows that point at an account: that account is among `visible_accounts(user)`.

    Checked row by row (a primary-key lookup each) because the rows are few and the visible accounts
    may be all 100,000.
    """
    return Exists(visible_accounts(user).filter(pk=OuterRef(account_path)))


def _last_counting_engagement(account_path: str) -> Subquery:
    newest = (
        Engagement.objects.filter(account_id=OuterRef(account_path), counts=True)
        .values("account_id")
        .annotate(newest=Max("occurred_at"))
        .values("newest")
    )
    return Subquery(newest[:1])


@dataclass(frozen=True)
class ExecutiveChoices:
    industries: list[str]
    regions: list[str]
    languages: list[tuple[str, str]]
    enablement: list[tuple[str, str]]  # (key, label): the catalogue's active items, then keys only executives hold


def executive_choices() -> ExecutiveChoices:
    """The values an executive's profile offers: those in accounts and executives, plus a base list."""
    industries = Account.objects.exclude(industry="").values_list("industry", flat=True).distinct()
    regions = Account.objects.exclude(region="").values_list("region", flat=True).distinct()
    codes = merged(BASE_LANGUAGES, executive_values("languages"))
    return ExecutiveChoices(
        industries=merged(BASE_INDUSTRIES, industries, executive_values("industries")),
        regions=merged(BASE_REGIONS, regions, executive_values("regions")),
        languages=sorted(
            ((code, f"{BASE_LANGUAGES.get(code, code)} ({code})") for code in codes), key=lambda c: c[1].casefold()
        ),
        enablement=_enablement_choices(),
    )


def _enablement_choices() -> list[tuple[str, str]]:
    listed = [(item.key, item.label) for item in catalogue()]
    known = {key for key, _ in listed}
    return listed + [(key, key) for key in merged(executive_values("enablement")) if key not in known]
