"""The accounts list and the account page: customers' accounts with what the apps above them know of each
(the program's sponsorships, the engagement timeline, health). Each part is read through its own app's
selectors; only the composing happens here. Every function starts from `visible_accounts(user)`."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from execsponsor.access.visibility import visible_accounts
from execsponsor.customers import selectors as customer_selectors
from execsponsor.customers.models import Account, Contact, Opportunity
from execsponsor.customers.selectors import DEFAULT_SORT, AccountPage, HistoryEntry, RevenueQuarter
from execsponsor.engagements import selectors as engagement_selectors
from execsponsor.engagements.selectors import EngagementPage
from execsponsor.insights import selectors_health
from execsponsor.insights.selectors_health import HealthTrend
from execsponsor.program import selectors as program_selectors
from execsponsor.program.models import LIVE_STATUSES, Sponsorship
from execsponsor.users.models import User


def account_list(
    *,
    user: User,
    search: str = "",
    segment: str = "",
    owner_id: int | None = None,
    health_band: str = "",
    in_program: bool | None = None,
    sort: str = DEFAULT_SORT,
    page: int = 1,
) -> AccountPage:
    """One page of the accounts `user` may see, filtered and sorted, with owner, CSM and live sponsors."""
    conditions = [] if in_program is None else [program_selectors.in_program_condition(in_program)]
    return customer_selectors.account_list(
        user=user,
        search=search,
        segment=segment,
        owner_id=owner_id,
        health_band=health_band,
        conditions=conditions,
        prefetch=[program_selectors.live_sponsors_prefetch()],
        sort=sort,
        page=page,
    )


@dataclass(frozen=True)
class AccountOverview:
    account: Account
    sponsorships: list[Sponsorship]
    health: HealthTrend
    contacts: list[Contact]
    opportunities: list[Opportunity]
    revenue: list[RevenueQuarter]
    engagements: EngagementPage
    history: list[HistoryEntry]

    @property
    def in_program(self) -> bool:
        return any(s.status in LIVE_STATUSES for s in self.sponsorships)

    @property
    def renewal_in_days(self) -> int | None:
        renewal = self.account.renewal_date
        return (renewal - timezone.localdate()).days if renewal else None

    @property
    def revenue_span(self) -> str:
        return f"{self.revenue[0].label} to {self.revenue[-1].label}" if self.revenue else ""

    @property
    def revenue_chart(self) -> dict:
        return {
            "labels": [q.label for q in self.revenue],
            "revenue": [float(q.revenue) for q in self.revenue],
            "arr_end": [float(q.arr_end) if q.arr_end is not None else None for q in self.revenue],
        }


def account_overview(*, user: User, account_id: int, engagements_page: int = 1) -> AccountOverview:
    """Everything the account page shows. Raises Account.DoesNotExist when `user` may not see it."""
    account = visible_accounts(user).select_related("owner", "csm").get(pk=account_id)
    return AccountOverview(
        account=account,
        sponsorships=program_selectors.account_sponsorships(account),
        health=selectors_health.account_health(account),
        contacts=customer_selectors.account_contacts(account),
        opportunities=list(account.opportunities.select_related("owner").order_by("is_closed", "-close_date")),
        revenue=customer_selectors.account_revenue(account),
        engagements=engagement_selectors.account_engagement_page(account, page=engagements_page),
        history=customer_selectors.account_history(account),
    )


def account_engagements(*, user: User, account_id: int, page: int) -> tuple[Account, EngagementPage]:
    """One page of an account's engagement timeline, newest first."""
    account = visible_accounts(user).get(pk=account_id)
    return account, engagement_selectors.account_engagement_page(account, page=page)
