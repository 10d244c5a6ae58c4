"""Writes that change who sponsors an account: create an approved sponsorship, reassign one, end one.

Approving a matching run and applying a quarterly rebalance both go through these three, so a new sponsor
gets the same introducer and the same audit trail whichever way they were chosen.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from execsponsor.access.rules import require
from execsponsor.common.errors import InvalidInput
from execsponsor.program import lifecycle
from execsponsor.program.models import MatchingRun, Sponsorship, SponsorshipStatus
from execsponsor.users.models import LEVEL_RANK, Executive, ExecutiveLevel


def introducer_for(executive: Executive):
    """The most senior available person above the sponsor; None when the sponsor is at the top."""
    best, seen, boss = None, set(), executive.reports_to
    while boss is not None and boss.pk not in seen:
        seen.add(boss.pk)
        if (
            boss.is_active
            and boss.user.is_active
            and (best is None or LEVEL_RANK[ExecutiveLevel(boss.level)] >= LEVEL_RANK[ExecutiveLevel(best.level)])
        ):
            best = boss
        boss = boss.reports_to
    return best.user if best else None


@transaction.atomic
def sponsorship_end(*, sponsorship: Sponsorship, by, reason: str, today: dt.date | None = None) -> Sponsorship:
    """End a live sponsorship, saying why (the lifecycle's end step, without a version: the caller holds the run)."""
    require(by, "execsponsor.run_program", to="change who sponsors an account")
    if sponsorship.status == SponsorshipStatus.ENDED:
        raise InvalidInput(f"The sponsorship of {sponsorship.account} by {sponsorship.executive.user} already ended")
    lifecycle.enter(sponsorship, lifecycle.Step.END, by=by, reason=reason[: lifecycle.END_REASON_LENGTH], today=today)
    sponsorship.save()
    return sponsorship


@transaction.atomic
def sponsorship_create_approved(
    *, account_id: int, executive: Executive, by, matching_run: MatchingRun | None = None
) -> Sponsorship:
    """An approved sponsorship of `account_id` by `executive`, with its introducer planned.

    A proposal of the same pair that is still open becomes the approved sponsorship (one open per pair)."""
    require(by, "execsponsor.run_program", to="change who sponsors an account")
    sponsorship = (
        Sponsorship.objects.select_for_update()
        .filter(account_id=account_id, executive=executive)
        .exclude(status=SponsorshipStatus.ENDED)
        .first()
    )
    if sponsorship is not None and sponsorship.status != SponsorshipStatus.PROPOSED:
        return sponsorship  # already live: nothing to create
    sponsorship = sponsorship or Sponsorship(account_id=account_id, executive=executive)
    lifecycle.enter(sponsorship, lifecycle.Step.APPROVE, by=by)
    sponsorship.matching_run = matching_run
    sponsorship.introducer = introducer_for(executive)  # planned afresh from today's reporting lines
    sponsorship.save()
    return sponsorship


@transaction.atomic
def sponsorship_reassign(
    *, sponsorship: Sponsorship, to_executive: Executive, by, reason: str, matching_run: MatchingRun | None = None
) -> Sponsorship:
    """End `sponsorship` and hand its account to `to_executive`; returns the new sponsorship."""
    if to_executive.pk == sponsorship.executive_id:
        raise InvalidInput("A sponsorship cannot be reassigned to the executive who already has it")
    sponsorship_end(sponsorship=sponsorship, by=by, reason=reason)
    return sponsorship_create_approved(
        account_id=sponsorship.account_id, executive=to_executive, by=by, matching_run=matching_run
    )
