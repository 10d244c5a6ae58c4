"""The quarterly rebalance: propose, apply as one audited batch, revert."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from execsponsor.access.rules import require
from execsponsor.common.errors import InvalidInput
from execsponsor.core.rebalance import ExecutiveState, SponsorshipState, plan_rebalance
from execsponsor.core.sponsor_fit import candidates_for
from execsponsor.engagements.models import Engagement
from execsponsor.insights.models import HealthSnapshot
from execsponsor.program.assignment_services import sponsorship_create_approved, sponsorship_end
from execsponsor.program.matching import inputs
from execsponsor.program.matching.selectors import rank_accounts, total_capacity
from execsponsor.program.models import (
    LIVE_STATUSES,
    Objective,
    ObjectiveStatus,
    RebalanceBatch,
    RebalanceBatchStatus,
    RebalanceProposal,
    RebalanceProposalAction,
    Sponsorship,
    SponsorshipStatus,
)
from execsponsor.users.models import Executive

QUARTER_DAYS = 91


def quarter_label(day: dt.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def _health_bands(account_ids: list[int], today: dt.date) -> dict[int, tuple[str, ...]]:
    """The last band seen in each of the two most recent quarters, oldest first."""
    since = today - dt.timedelta(days=2 * QUARTER_DAYS)
    by_quarter: dict[int, dict[str, str]] = defaultdict(dict)
    for account_id, taken_on, band in (
        HealthSnapshot.objects.filter(account_id__in=account_ids, taken_on__gt=since)
        .order_by("taken_on")
        .values_list("account_id", "taken_on", "band")
    ):
        by_quarter[account_id][quarter_label(taken_on)] = band
    return {a: tuple(quarters[q] for q in sorted(quarters)) for a, quarters in by_quarter.items()}


def sponsorship_states(*, today: dt.date) -> list[SponsorshipState]:
    sponsorships = list(Sponsorship.objects.filter(status__in=LIVE_STATUSES).select_related("account", "executive"))
    account_ids = [s.account_id for s in sponsorships]
    quarter_ago = today - dt.timedelta(days=QUARTER_DAYS)
    since = timezone.make_aware(dt.datetime.combine(quarter_ago, dt.time()))
    bands = _health_bands(account_ids, today)
    objectives = {
        row["account_id"]: row
        for row in Objective.objects.filter(account_id__in=account_ids)
        .values("account_id")
        .annotate(
            total=Count("id"),
            met=Count("id", filter=Q(status=ObjectiveStatus.ACHIEVED)),
            moving=Count("id", filter=Q(status_changed_on__gte=quarter_ago)),
        )
    }
    counting = dict(
        Engagement.objects.filter(account_id__in=account_ids, counts=True, occurred_at__gte=since)
        .values("account_id")
        .annotate(n=Count("id"))
        .values_list("account_id", "n")
    )
    states = []
    for s in sponsorships:
        numbers = objectives.get(s.account_id, {"total": 0, "met": 0, "moving": 0})
        states.append(
            SponsorshipState(
                sponsorship=str(s.pk),
                account=str(s.account_id),
                account_name=s.account.name,
                executive=str(s.executive_id),
                started_on=(s.started_on or s.proposed_at.date()).isoformat(),
                health_bands=bands.get(s.account_id, ()),
                objectives_total=numbers["total"],
                objectives_met=numbers["met"],
                objectives_moving=numbers["moving"] > 0,
                counting_engagements_last_quarter=counting.get(s.account_id, 0),
            )
        )
    return states


@transaction.atomic
def rebalance_propose(*, by, today: dt.date | None = None) -> RebalanceBatch:
    """Work out this quarter's proposals and keep them as a batch to review; nothing else changes."""
    require(by, "execsponsor.run_program", to="run the quarterly rebalance")
    today = today or timezone.localdate()
    states = sponsorship_states(today=today)
    executives = [
        ExecutiveState(str(e.pk), str(e.user), e.capacity_max, e.is_active and e.user.is_active and not e.departed_on)
        for e in Executive.objects.select_related("user")
        .filter(Q(is_active=True) | Q(sponsorships__status__in=LIVE_STATUSES))
        .distinct()
    ]
    ranking = rank_accounts(user=by, shortlist_size=total_capacity(options=inputs.MatchingOptions()))
    outside = [s.account for s in ranking.ranked if not s.in_program][: len(ranking.shortlist)]
    settings = inputs.matching_settings()
    wanted = sorted({int(s.account) for s in states} | {int(a) for a in outside})
    profiles, _capacities = inputs.executive_profiles(options=inputs.MatchingOptions())
    found = candidates_for(
        inputs.account_profiles(wanted),
        profiles,
        rules=inputs.hard_rules(settings=settings, options=inputs.MatchingOptions()),
        weights=settings.fit_weights,
        max_per_account=settings.candidates_per_account,
    )
    plan = plan_rebalance(states, executives, outside, found.candidates)
    batch = RebalanceBatch.objects.create(quarter_label=quarter_label(today), created_by=by)
    RebalanceProposal.objects.bulk_create(
        RebalanceProposal(
            batch=batch,
            action=p.action,
            account_id=int(p.account),
            from_sponsorship_id=int(p.sponsorship) if p.sponsorship else None,
            to_executive_id=int(p.to_executive) if p.to_executive else None,
            reason=p.reason[:500],
        )
        for p in plan.proposals
    )
    return batch


@transaction.atomic
def rebalance_apply(*, batch: RebalanceBatch, by, accepted_ids: list[int] | None = None) -> RebalanceBatch:
    """Apply the accepted proposals together. Each change is recorded so the batch can be reverted."""
    require(by, "execsponsor.run_program", to="run the quarterly rebalance")
    batch = RebalanceBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != RebalanceBatchStatus.PROPOSED:
        raise InvalidInput(f"This batch is already {batch.get_status_display().lower()}")
    today = timezone.localdate()
    proposals = list(
        batch.proposals.select_related(
            "from_sponsorship__account",
            "from_sponsorship__executive__user",
            "to_executive__user",
            "to_executive__reports_to__user",
            "to_executive__reports_to__reports_to__user",
        )
    )
    for proposal in proposals:
        proposal.accepted = accepted_ids is None or proposal.pk in accepted_ids
        if proposal.action == RebalanceProposalAction.REASSIGN and proposal.to_executive_id is None:
            proposal.accepted = False  # nobody with room is eligible: the account keeps its sponsor for now
        if not proposal.accepted:
            proposal.save(update_fields=["accepted"])
            continue
        old = proposal.from_sponsorship
        if old is not None:
            proposal.previous_status = old.status
            reason = f"Quarterly rebalance {batch.quarter_label}: {proposal.reason}"
            sponsorship_end(sponsorship=old, by=by, reason=reason, today=today)
        if proposal.action in (RebalanceProposalAction.ADD, RebalanceProposalAction.REASSIGN) and (
            proposal.to_executive is not None
        ):
            # The same service as an approved matching run: approved, with the introducer planned.
            proposal.created_sponsorship = sponsorship_create_approved(
                account_id=proposal.account_id, executive=proposal.to_executive, by=by
            )
        proposal.save()
    batch.status = RebalanceBatchStatus.APPLIED
    batch.applied_by = by
    batch.applied_at = timezone.now()
    batch.save()
    return batch


@transaction.atomic
def rebalance_revert(*, batch: RebalanceBatch, by) -> RebalanceBatch:
    """Undo an applied batch: end what it created and reopen what it ended, as they were."""
    require(by, "execsponsor.run_program", to="run the quarterly rebalance")
    batch = RebalanceBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != RebalanceBatchStatus.APPLIED:
        raise InvalidInput("Only an applied batch can be reverted")
    today = timezone.localdate()
    for proposal in batch.proposals.filter(accepted=True).select_related("from_sponsorship", "created_sponsorship"):
        if proposal.created_sponsorship is not None and proposal.created_sponsorship.is_live:
            reason = f"Rebalance {batch.quarter_label} reverted"
            sponsorship_end(sponsorship=proposal.created_sponsorship, by=by, reason=reason, today=today)
        old = proposal.from_sponsorship
        if old is not None and old.status == SponsorshipStatus.ENDED and proposal.previous_status:
            old.status = proposal.previous_status
            old.ended_on = None
            old.end_reason = ""
            old._history_user = by
            old.save()
    batch.status = RebalanceBatchStatus.REVERTED
    batch.reverted_at = timezone.now()
    batch.save()
    return batch
