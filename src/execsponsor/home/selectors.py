"""Reads for the homes and the Program page. Every one that touches accounts starts from `visible_accounts(user)`.

Each home is a fixed handful of queries, whatever the number of accounts, sponsorships or executives."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, Sum
from django.utils import timezone

from execsponsor.access.visibility import visible_accounts
from execsponsor.customers.models import Account
from execsponsor.engagements.models import Engagement
from execsponsor.program.executives.selectors import LoadVsCapacity
from execsponsor.program.matching import selectors as matching_selectors
from execsponsor.program.matching.inputs import SELECTION_KEY
from execsponsor.program.models import (
    LIVE_STATUSES,
    MatchingRun,
    ProgramSetting,
    RebalanceBatch,
    RunStatus,
    Sponsorship,
    SponsorshipStatus,
)
from execsponsor.users.models import Executive, User

# How many rows each "needs attention" list shows; the heading gives the full count.
ATTENTION_ROWS = 8
# An account team's home lists this many accounts; the accounts page has the rest.
TEAM_ACCOUNT_ROWS = 25


def _last_counted_engagement(path: str) -> Max:
    """The newest engagement that counts (the quality rubric), through the relation at `path`."""
    return Max(f"{path}__occurred_at", filter=Q(**{f"{path}__counts": True}))


# The program at a glance: program owner, admin, viewer


@dataclass(frozen=True)
class ExecutiveLoad:
    executive: Executive
    capacity: LoadVsCapacity

    @property
    def state(self) -> str:
        return self.capacity.state


@dataclass(frozen=True)
class QuietSponsorship:
    """A live sponsorship whose sponsor has not had an engagement that counts within its cadence."""

    sponsorship: Sponsorship
    last_counted: dt.datetime | None
    days_quiet: int | None  # None: never


@dataclass(frozen=True)
class ProgramGlance:
    accounts_total: int
    arr_total: Decimal | None
    accounts_in_program: int
    arr_covered: Decimal | None
    executive_loads: list[ExecutiveLoad]
    unsponsored_shortlist: list[Account]
    unsponsored_shortlist_count: int
    shortlist_size: int
    quiet_sponsorships: list[QuietSponsorship]
    quiet_sponsorships_count: int

    @property
    def arr_covered_share(self) -> int | None:
        """Percent of the ARR we see that has a sponsor."""
        if not self.arr_total:
            return None
        return round(100 * (self.arr_covered or 0) / self.arr_total)

    @property
    def unsponsored_more(self) -> int:
        return self.unsponsored_shortlist_count - len(self.unsponsored_shortlist)

    @property
    def quiet_more(self) -> int:
        return self.quiet_sponsorships_count - len(self.quiet_sponsorships)

    @property
    def over_capacity(self) -> list[ExecutiveLoad]:
        return [load for load in self.executive_loads if load.state == "over"]

    @property
    def under_capacity(self) -> list[ExecutiveLoad]:
        return [load for load in self.executive_loads if load.state == "under"]

    @property
    def within_capacity(self) -> list[ExecutiveLoad]:
        return [load for load in self.executive_loads if load.state == "within"]

    @property
    def needs_attention(self) -> bool:
        return bool(self.unsponsored_shortlist_count or self.over_capacity or self.quiet_sponsorships_count)


def program_glance(*, user: User, today: dt.date | None = None) -> ProgramGlance:
    today = today or timezone.localdate()
    accounts = visible_accounts(user)
    totals = accounts.aggregate(count=Count("pk"), arr=Sum("arr"))
    in_program = accounts.filter(sponsorships__status__in=LIVE_STATUSES).distinct()
    covered = Account.objects.filter(pk__in=in_program.values("pk")).aggregate(count=Count("pk"), arr=Sum("arr"))
    unsponsored, unsponsored_count, shortlist_size = _unsponsored_shortlist(user=user)
    quiet = _quiet_sponsorships(user=user, today=today)
    return ProgramGlance(
        accounts_total=totals["count"],
        arr_total=totals["arr"],
        accounts_in_program=covered["count"],
        arr_covered=covered["arr"],
        executive_loads=executive_loads(user=user),
        unsponsored_shortlist=unsponsored,
        unsponsored_shortlist_count=unsponsored_count,
        shortlist_size=shortlist_size,
        quiet_sponsorships=quiet[:ATTENTION_ROWS],
        quiet_sponsorships_count=len(quiet),
    )


def executive_loads(*, user: User) -> list[ExecutiveLoad]:
    """Active executives with the live sponsorships they carry, the most loaded (against capacity) first."""
    visible = visible_accounts(user)
    executives = (
        Executive.objects.filter(is_active=True, user__is_active=True)
        .select_related("user")
        .annotate(
            load=Count(
                "sponsorships",
                filter=Q(sponsorships__status__in=LIVE_STATUSES, sponsorships__account__in=visible),
            )
        )
    )
    loads = [
        ExecutiveLoad(executive, LoadVsCapacity(executive.load, executive.capacity_min, executive.capacity_max))
        for executive in executives
    ]
    loads.sort(key=lambda row: (-(row.capacity.load - row.capacity.capacity_max), str(row.executive.user)))
    return loads


def _unsponsored_shortlist(*, user: User) -> tuple[list[Account], int, int]:
    """The first shortlisted accounts (saved selection) with no live sponsor, in rank order; how many in all;
    the shortlist's size."""
    ranking = matching_selectors.rank_accounts(user=user)
    ranked_ids = [int(account_id) for account_id in ranking.shortlist]
    sponsored = set(
        Sponsorship.objects.live().filter(account_id__in=ranked_ids).values_list("account_id", flat=True).distinct()
    )
    wanted = [pk for pk in ranked_ids if pk not in sponsored]
    by_id = visible_accounts(user).filter(pk__in=wanted[:ATTENTION_ROWS]).in_bulk()
    shown = [by_id[pk] for pk in wanted[:ATTENTION_ROWS] if pk in by_id]
    return shown, len(wanted), len(ranked_ids)


def _quiet_sponsorships(*, user: User, today: dt.date) -> list[QuietSponsorship]:
    """Introduced and active sponsorships with no engagement that counts within their cadence, longest first."""
    sponsorships = (
        Sponsorship.objects.filter(
            account__in=visible_accounts(user),
            status__in=(SponsorshipStatus.INTRODUCED, SponsorshipStatus.ACTIVE),
        )
        .select_related("account", "executive__user")
        .annotate(last_counted=_last_counted_engagement("engagements"))
    )
    quiet = []
    for sponsorship in sponsorships:
        if sponsorship.last_counted is None:
            quiet.append(QuietSponsorship(sponsorship, None, None))
            continue
        days = (today - timezone.localdate(sponsorship.last_counted)).days
        if days > sponsorship.cadence_days:
            quiet.append(QuietSponsorship(sponsorship, sponsorship.last_counted, days))
    # Never met first, then the longest silence.
    quiet.sort(key=lambda q: (q.days_quiet is not None, -(q.days_quiet or 0), q.sponsorship.account.name))
    return quiet


# The executive sponsor's home


@dataclass(frozen=True)
class NextStep:
    text: str
    urgency: str  # "due", "soon", "later" or "none": how the page colours it


def next_step(*, sponsorship: Sponsorship, last_counted: dt.datetime | None, today: dt.date) -> NextStep:
    """What the sponsor should do next on this account, from its status and the last engagement that counts."""
    if sponsorship.status == SponsorshipStatus.PAUSED:
        return NextStep("Paused: nothing due", "none")
    if sponsorship.status == SponsorshipStatus.APPROVED:
        who = sponsorship.introducer or sponsorship.account.owner
        text = f"Ask {who} for the introduction" if who else "Ask the account team for the introduction"
        return NextStep(text, "soon")
    if last_counted is None:
        return NextStep("Log your first meeting", "due")
    due_in = (timezone.localdate(last_counted) + dt.timedelta(days=sponsorship.cadence_days) - today).days
    if due_in < 0:
        late = -due_in
        return NextStep(f"Meet now: {_days(late)} past your {sponsorship.cadence_days}-day cadence", "due")
    if due_in == 0:
        return NextStep("Meet today", "due")
    return NextStep(f"Meet within {_days(due_in)}", "soon" if due_in <= 7 else "later")


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


@dataclass(frozen=True)
class SponsoredAccount:
    sponsorship: Sponsorship
    last_counted: dt.datetime | None
    next_step: NextStep
    next_meeting: Engagement | None = None  # the next one on the calendar, which its briefing pack is for

    @property
    def account(self) -> Account:
        return self.sponsorship.account


@dataclass(frozen=True)
class SponsorHome:
    executive: Executive | None
    accounts: list[SponsoredAccount]

    @property
    def arr_total(self) -> Decimal:
        return sum((row.account.arr or Decimal(0) for row in self.accounts), Decimal(0))

    @property
    def due_count(self) -> int:
        return sum(1 for row in self.accounts if row.next_step.urgency == "due")


def sponsor_home(*, user: User, today: dt.date | None = None) -> SponsorHome:
    today = today or timezone.localdate()
    executive = Executive.objects.filter(user=user).first()
    sponsorships = (
        Sponsorship.objects.live()
        .filter(executive__user=user, account__in=visible_accounts(user))
        .select_related("account__owner", "account__csm", "introducer")
        .annotate(last_counted=_last_counted_engagement("engagements"))
        .order_by("account__name", "pk")
    )
    sponsorships = list(sponsorships)
    upcoming = _next_meetings(user, [s.account_id for s in sponsorships])
    rows = [
        SponsoredAccount(
            s,
            s.last_counted,
            next_step(sponsorship=s, last_counted=s.last_counted, today=today),
            upcoming.get(s.account_id),
        )
        for s in sponsorships
    ]
    # What is due comes first; within the same urgency, by name.
    order = {"due": 0, "soon": 1, "later": 2, "none": 3}
    rows.sort(key=lambda row: order[row.next_step.urgency])
    return SponsorHome(executive=executive, accounts=rows)


def _next_meetings(user: User, account_ids: list[int]) -> dict[int, Engagement]:
    """The sponsor's next meeting with each account (logged on their sponsorship, or with them attending)."""
    theirs = Q(sponsorship__executive__user=user) | Q(attendees=user)
    upcoming = (
        Engagement.objects.filter(theirs, account_id__in=account_ids, occurred_at__gt=timezone.now())
        .distinct()
        .order_by("account_id", "occurred_at", "pk")
        .only("pk", "account_id", "subject", "kind", "occurred_at")
    )
    found: dict[int, Engagement] = {}
    for engagement in upcoming:
        found.setdefault(engagement.account_id, engagement)
    return found


# The AE's and the CSM's home


@dataclass(frozen=True)
class SponsorOfMine:
    executive: Executive
    accounts: list[Account] = field(default_factory=list)


@dataclass(frozen=True)
class AccountTeamHome:
    accounts: list[Account]  # the sponsored first, then by ARR; each with .live_sponsorships and .last_counted
    accounts_count: int
    in_program_count: int
    arr_total: Decimal | None
    sponsors: list[SponsorOfMine]

    @property
    def more(self) -> int:
        return self.accounts_count - len(self.accounts)


def account_team_home(*, user: User) -> AccountTeamHome:
    mine = visible_accounts(user).filter(Q(owner=user) | Q(csm=user))
    totals = mine.aggregate(count=Count("pk"), arr=Sum("arr"))
    in_program = mine.filter(sponsorships__status__in=LIVE_STATUSES).values("pk").distinct().count()
    accounts = list(
        mine.select_related("owner", "csm")
        .prefetch_related(
            Prefetch(
                "sponsorships",
                queryset=Sponsorship.objects.live().select_related("executive__user").order_by("proposed_at"),
                to_attr="live_sponsorships",
            )
        )
        .annotate(
            last_counted=_last_counted_engagement("engagements"),
            in_program=Exists(Sponsorship.objects.live().filter(account=OuterRef("pk"))),
        )
        # The sponsored accounts first: they are where the AE and CSM work with a sponsor.
        .order_by("-in_program", F("arr").desc(nulls_last=True), "name", "pk")[:TEAM_ACCOUNT_ROWS]
    )
    return AccountTeamHome(
        accounts=accounts,
        accounts_count=totals["count"],
        in_program_count=in_program,
        arr_total=totals["arr"],
        sponsors=_sponsors_of(accounts),
    )


def _sponsors_of(accounts: list[Account]) -> list[SponsorOfMine]:
    sponsors: dict[int, SponsorOfMine] = {}
    for account in accounts:
        for sponsorship in account.live_sponsorships:
            entry = sponsors.setdefault(sponsorship.executive_id, SponsorOfMine(sponsorship.executive))
            entry.accounts.append(account)
    return sorted(sponsors.values(), key=lambda s: str(s.executive.user))


# The Program page


@dataclass(frozen=True)
class ProgramStatus:
    selection: ProgramSetting | None
    shortlist_size: int
    latest_run: MatchingRun | None
    draft_runs: int
    latest_batch: RebalanceBatch | None
    live_sponsorships: int

    @property
    def latest_run_pairs(self) -> int | None:
        if self.latest_run is None:
            return None
        counted = (self.latest_run.changes or {}).get("pairs")
        if isinstance(counted, int):
            return counted
        result = self.latest_run.result  # a run stored before the count was: read its document (loaded only now)
        return len(result.get("pairs", [])) if isinstance(result, dict) else 0


def program_status(*, user: User) -> ProgramStatus:
    return ProgramStatus(
        selection=ProgramSetting.objects.select_related("updated_by").filter(key=SELECTION_KEY).first(),
        shortlist_size=len(matching_selectors.rank_accounts(user=user).shortlist),
        latest_run=MatchingRun.objects.select_related("created_by", "approved_by").defer("result").first(),
        draft_runs=MatchingRun.objects.filter(status=RunStatus.DRAFT).count(),
        latest_batch=RebalanceBatch.objects.select_related("created_by", "applied_by")
        .annotate(proposal_count=Count("proposals"))
        .first(),
        live_sponsorships=Sponsorship.objects.live().filter(account__in=visible_accounts(user)).count(),
    )
