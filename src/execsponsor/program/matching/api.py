"""API v1: account selection and sponsor matching (program owner and admin)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Path, Router, Schema, Status
from pydantic import Field

from execsponsor.access.rules import require
from execsponsor.program.matching import selectors, services
from execsponsor.program.matching.inputs import MatchingOptions
from execsponsor.program.models import MatchingRun
from execsponsor.schemas import ERROR_RESPONSES, MAX_ID, Id, InputSchema

router = Router(tags=["matching"])
ERRORS = ERROR_RESPONSES


class ScoredAccountOut(Schema):
    account: str
    account_id: int
    name: str
    score: float
    breakdown: dict[str, float | None]
    in_program: bool
    shortlisted: bool


class BandMemberOut(Schema):
    account_id: int
    name: str
    score: float
    drawn_in: bool


class BoundaryDrawOut(Schema):
    seed: int
    tolerance: float
    cut_off: float
    slots: int
    band: list[BandMemberOut]
    already_in_program: list[int]


class SelectionOut(Schema):
    accounts: list[ScoredAccountOut]
    shortlist_size: int
    draw: BoundaryDrawOut | None = None  # null unless the saved settings draw the boundary at random


class CapacityIn(InputSchema):
    executive_id: Id
    capacity_min: int = Field(ge=0, le=25)
    capacity_max: int = Field(ge=0, le=25)


class PairIn(InputSchema):
    account_id: Id
    executive_id: Id


class MatchingRunIn(InputSchema):
    dry_run: bool = False
    label: str = Field("", max_length=100)
    shortlist_size: int | None = Field(None, ge=1, le=100_000)
    locked: list[PairIn] = Field(default_factory=list, max_length=10_000)
    forbidden: list[PairIn] = Field(default_factory=list, max_length=10_000)
    capacity: list[CapacityIn] = Field(default_factory=list, max_length=10_000)
    without_executives: list[Id] = Field(default_factory=list, max_length=10_000)
    extra_accounts: list[Id] = Field(default_factory=list, max_length=10_000)
    hard_minimum: bool | None = Field(None, description="Minimum capacity as a hard rule; default: the setting")
    enforce_rules_on_live: bool | None = Field(
        None, description="Reassign live sponsorships that break a hard rule instead of keeping them"
    )

    def options(self) -> MatchingOptions:
        return MatchingOptions(
            locked=[(p.account_id, p.executive_id) for p in self.locked],
            forbidden=[(p.account_id, p.executive_id) for p in self.forbidden],
            capacity={
                c.executive_id: (c.capacity_min, min(25, max(c.capacity_min, c.capacity_max))) for c in self.capacity
            },
            without_executives=list(self.without_executives),
            extra_accounts=list(self.extra_accounts),
            shortlist_size=self.shortlist_size,
            hard_minimum=self.hard_minimum,
            enforce_rules_on_live=self.enforce_rules_on_live,
        )


class MatchingRunOut(Schema):
    run: int | None
    run_status: str | None
    status: str
    objective: float
    pairs: list[dict[str, Any]]
    unassigned: list[dict[str, Any]]
    executives: list[dict[str, Any]]
    infeasible_because: list[str]
    # The run as a target state: a decision for every live sponsorship, and the counts of each kind.
    sponsorships: list[dict[str, Any]] = Field(default_factory=list)
    changes: dict[str, int] = Field(default_factory=dict)
    below_minimum: list[dict[str, Any]] = Field(default_factory=list)
    enforcing: list[dict[str, Any]] = Field(default_factory=list)
    stale: bool | None = None


def _run_out(run: MatchingRun) -> dict[str, Any]:
    stale = run.status == "draft" and services.run_is_stale(run)
    return {**run.result, "run": run.pk, "run_status": run.status, "stale": stale}


@router.get("/selection", response={200: SelectionOut, **ERRORS})
def selection(request):
    """Eligible accounts ranked by the saved selection settings, with the breakdown per criterion."""
    require(request.user, "execsponsor.run_program", to="run selection and matching")
    return selectors.selection_document(user=request.user)


@router.post("/matching/runs", response={200: MatchingRunOut, 201: MatchingRunOut, **ERRORS})
def matching_run_create(request, payload: MatchingRunIn):
    """Run the matcher. With dry_run nothing is kept; otherwise the proposal is a draft run to approve."""
    require(request.user, "execsponsor.run_program", to="run selection and matching")
    if payload.dry_run:
        return {
            **services.matching_run_preview(by=request.user, options=payload.options()),
            "run": None,
            "run_status": None,
        }
    run = services.matching_run_create(by=request.user, options=payload.options(), label=payload.label)
    return Status(201, _run_out(run))


@router.get("/matching/runs/{run_id}", response={200: MatchingRunOut, **ERRORS})
def matching_run_detail(request, run_id: int = Path(..., ge=1, le=MAX_ID)):
    require(request.user, "execsponsor.run_program", to="run selection and matching")
    return _run_out(get_object_or_404(MatchingRun, pk=run_id))


@router.post("/matching/runs/{run_id}/approve", response={200: MatchingRunOut, **ERRORS})
def matching_run_approve(request, run_id: int = Path(..., ge=1, le=MAX_ID)):
    """Apply the run's target state in one transaction: end, reassign and add exactly as the run says.

    A run whose inputs (live sponsorships, executives, capacities, settings) changed is refused: run it again."""
    require(request.user, "execsponsor.run_program", to="run selection and matching")
    run = get_object_or_404(MatchingRun, pk=run_id)
    services.matching_run_approve(run=run, by=request.user)
    run.refresh_from_db()
    return _run_out(run)
