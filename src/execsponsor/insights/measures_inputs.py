"""Database rows → core.measures inputs, for the sponsorships of the accounts a user may see.

Only sponsored accounts are read (every measure is about a sponsorship or its account), so the cost follows
the size of the program, not of the customer base: at 100,000 accounts the program holds a few thousand.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from types import SimpleNamespace

from django.db.models import Q
from django.utils import timezone

from execsponsor.access.visibility import visible_accounts
from execsponsor.core.measures import (
    ContactRow,
    EngagementRow,
    MeasureInputs,
    OpportunityRow,
    Quarter,
    RevenueRow,
    SponsorshipRow,
    SurveyRow,
    TouchRow,
)
from execsponsor.customers.models import (
    Account,
    Contact,
    ContactStatus,
    Opportunity,
    QuarterlyRevenue,
    SatisfactionResponse,
    Seniority,
)
from execsponsor.engagements.cadence import clock_start
from execsponsor.engagements.models import Engagement, EngagementAttendee, EngagementContact
from execsponsor.program.models import Sponsorship, SponsorshipStatus
from execsponsor.users.models import Executive

HISTORY_DAYS = 366  # engagements read before the first quarter: the cadence clock and relationship recency


def sponsorships_for(*, by, executive_id: int | None = None):
    """Sponsorships past the proposal, at the accounts `by` may see (one executive's, when given)."""
    queryset = Sponsorship.objects.filter(account__in=visible_accounts(by).values("pk")).exclude(
        status=SponsorshipStatus.PROPOSED
    )
    if executive_id is not None:
        queryset = queryset.filter(executive_id=executive_id)
    return queryset


def measure_inputs(*, sponsorships, as_of: dt.date, first_quarter: Quarter) -> MeasureInputs:
    rows = list(
        sponsorships.values(
            "id", "account_id", "executive_id", "status", "proposed_at", "approved_at", "introduced_on", "started_on",
            "ended_on", "cadence_days",
        )
    )  # fmt: skip
    # The ids as a subquery, not a list: a program of thousands would pass the database's parameter limit.
    accounts = sponsorships.values("account_id")
    since = first_quarter.start - dt.timedelta(days=HISTORY_DAYS)
    paused = _paused_spans(sponsorships.values("id"))
    plans = _plans_at_start(rows, accounts)
    engagements, touches = _engagements(accounts, since=since, until=as_of)
    return MeasureInputs(
        as_of=as_of,
        sponsorships=[_sponsorship(r, paused.get(r["id"], ()), plans.get(r["id"], frozenset())) for r in rows],
        engagements=engagements,
        opportunities=_opportunities(accounts),
        revenue=[
            RevenueRow(a, Quarter(y, q), float(v))
            for a, y, q, v in QuarterlyRevenue.objects.filter(account_id__in=accounts).values_list(
                "account_id", "year", "quarter", "revenue"
            )
        ],
        surveys=[
            SurveyRow(a, k, s, d)
            for a, k, s, d in SatisfactionResponse.objects.filter(
                account_id__in=accounts, responded_on__gte=first_quarter.start, responded_on__lte=as_of
            ).values_list("account_id", "kind", "score", "responded_on")
        ],
        contacts=[
            ContactRow(i, a, s, p, f"{f} {n}".strip())
            for i, a, s, p, f, n in Contact.objects.filter(account_id__in=accounts)
            .exclude(status=ContactStatus.LEFT)
            .values_list("id", "account_id", "seniority", "persona", "first_name", "last_name")
        ],
        touches=touches,
    )


def narrowed_inputs(inputs: MeasureInputs, *, first_quarter: Quarter) -> MeasureInputs:
    """What measure_inputs() would read for a later `first_quarter`, from what it read for an earlier one: the
    engagements (and their touches) and the survey answers it reads by date, the rest as it is."""
    since = first_quarter.start - dt.timedelta(days=HISTORY_DAYS)
    if all(e.day >= since for e in inputs.engagements) and all(r.day >= first_quarter.start for r in inputs.surveys):
        return inputs
    return replace(
        inputs,
        engagements=[e for e in inputs.engagements if e.day >= since],
        touches=[t for t in inputs.touches if t.day >= since],
        surveys=[r for r in inputs.surveys if r.day >= first_quarter.start],
    )


def _sponsorship(row: dict, paused: tuple, plan: frozenset[str]) -> SponsorshipRow:
    approved = timezone.localdate(row["approved_at"]) if row["approved_at"] else None
    steps = [d for d in (approved, row["introduced_on"], row["started_on"]) if d is not None]
    # A sponsorship past the proposal whose steps were never dated (entered by hand) is live from its proposal.
    live_from = min(steps) if steps else timezone.localdate(row["proposed_at"])
    ended = row["status"] == SponsorshipStatus.ENDED
    live_until = (row["ended_on"] or live_from) if ended else None
    return SponsorshipRow(
        id=row["id"],
        account=row["account_id"],
        executive=row["executive_id"],
        live_from=live_from,
        live_until=live_until,
        clock_start=clock_start(SimpleNamespace(**row)),
        started_on=row["started_on"] or live_from,
        cadence_days=row["cadence_days"],
        paused=paused,
        plan_at_start=plan,
    )


def _paused_spans(ids) -> dict[int, tuple[tuple[dt.date, dt.date | None], ...]]:
    """From the sponsorships' history: the spans each spent paused (first day, last day or None: still)."""
    history = Sponsorship.history.model.objects.filter(id__in=ids).order_by("id", "history_date", "history_id")
    spans: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    since: dict[int, dt.date | None] = {}
    for pk, status, when in history.values_list("id", "status", "history_date"):
        day = timezone.localdate(when)
        if status == SponsorshipStatus.PAUSED and since.get(pk) is None:
            since[pk] = day
        elif status != SponsorshipStatus.PAUSED and since.get(pk) is not None:
            start = since.pop(pk)
            assert start is not None
            spans[pk].append((start, max(start, day - dt.timedelta(days=1))))
    for pk, start in since.items():
        if start is not None:
            spans[pk].append((start, None))
    return {pk: tuple(v) for pk, v in spans.items()}


def _plans_at_start(rows: list[dict], accounts) -> dict[int, frozenset[str]]:
    """The account plan (capability areas in use or planned) on each sponsorship's start, from the account's
    history: the newest version recorded by the end of that day; when the history holds none that old (rows
    written in bulk, as the demo and imports of new accounts do), the oldest version; else the account now."""
    versions: dict[int, list[tuple[dt.date, list, list]]] = defaultdict(list)
    history = Account.history.model.objects.filter(id__in=accounts).order_by("id", "history_date", "history_id")
    for pk, when, in_use, planned in history.values_list(
        "id", "history_date", "capability_areas_in_use", "capability_areas_planned"
    ):
        versions[pk].append((timezone.localdate(when), in_use or [], planned or []))
    now = {
        pk: (in_use or [], planned or [])
        for pk, in_use, planned in Account.objects.filter(pk__in=accounts).values_list(
            "pk", "capability_areas_in_use", "capability_areas_planned"
        )
    }
    out = {}
    for r in rows:
        start = r["started_on"] or (timezone.localdate(r["approved_at"]) if r["approved_at"] else None)
        known = versions.get(r["account_id"], [])
        before = [v for v in known if start is not None and v[0] <= start]
        if before:
            _, in_use, planned = before[-1]
        elif known:
            _, in_use, planned = known[0]
        else:
            in_use, planned = now.get(r["account_id"], ([], []))
        out[r["id"]] = frozenset(str(a) for a in [*in_use, *planned])
    return out


def _engagements(accounts, *, since: dt.date, until: dt.date) -> tuple[list[EngagementRow], list[TouchRow]]:
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
    base = Engagement.objects.filter(account_id__in=accounts, occurred_at__gte=start, occurred_at__lt=end)
    rows = list(
        base.values_list("id", "account_id", "sponsorship_id", "occurred_at", "counts", "owner_id", "kind", "two_way")
    )
    executive_of = dict(Executive.objects.values_list("user_id", "id"))
    people: dict[int, set[int]] = defaultdict(set)
    for engagement, user in EngagementAttendee.objects.filter(engagement__in=base.values("pk")).values_list(
        "engagement_id", "user_id"
    ):
        if user in executive_of:
            people[engagement].add(executive_of[user])
    c_level: dict[int, list[int]] = defaultdict(list)
    contact_pairs = EngagementContact.objects.filter(engagement__in=base.values("pk")).values_list(
        "engagement_id", "contact_id", "contact__seniority"
    )
    touches_of: dict[int, list[int]] = defaultdict(list)
    for engagement, contact, seniority in contact_pairs:
        touches_of[engagement].append(contact)
        if seniority == Seniority.C_LEVEL:
            c_level[engagement].append(contact)
    engagements, touches = [], []
    zone = timezone.get_current_timezone()
    for pk, account, sponsorship, occurred, counts, owner, kind, two_way in rows:
        day = occurred.astimezone(zone).date()
        ours = people[pk] | ({executive_of[owner]} if owner in executive_of else set())
        engagements.append(
            EngagementRow(pk, account, day, counts, sponsorship, frozenset(ours), tuple(sorted(c_level[pk])))
        )
        touches.extend(TouchRow(contact, day, kind, two_way) for contact in touches_of[pk])
    return engagements, touches


def _opportunities(accounts) -> list[OpportunityRow]:
    fields = (
        "id", "account_id", "opened_on", "amount", "stage", "opened_stage", "is_closed", "is_won", "close_date",
        "kind", "capability_area", "began_in_executive_conversation", "earlier_access_override",
    )  # fmt: skip
    queryset = Opportunity.objects.filter(account_id__in=accounts).filter(
        Q(opened_on__isnull=False) | Q(is_closed=False)
    )
    return [
        OpportunityRow(
            id=r[0],
            account=r[1],
            opened_on=r[2],
            amount=float(r[3] or 0),
            stage=r[4],
            opened_stage=r[5],
            is_closed=r[6],
            is_won=r[7],
            close_date=r[8],
            kind=r[9],
            capability_area=r[10],
            manual_flag=r[11],
            override=r[12],
        )  # fmt: skip
        for r in queryset.values_list(*fields)
    ]
