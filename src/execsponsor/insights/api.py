"""API v1: the impact analysis (program owners, admins and viewers read it; owners and admins run it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from ninja import Router, Schema, Status

from execsponsor.access.rules import require
from execsponsor.insights.impact import impact_analysis_request, latest_impact_analysis
from execsponsor.schemas import ERROR_RESPONSES

router = Router(tags=["impact"])


class ImpactAnalysisOut(Schema):
    computed_at: dt.datetime
    as_of: dt.date
    seconds: float
    result: dict[str, Any]


def _out(run) -> dict[str, Any]:
    result = {**run.result, "experiment": run.result.get("experiment")}  # runs stored before it hold no key
    return {"computed_at": run.computed_at, "as_of": run.as_of, "seconds": run.seconds, "result": result}


@router.get("/program/impact", response={200: ImpactAnalysisOut, **ERROR_RESPONSES})
def impact_latest(request):
    """The latest impact analysis (see docs/impact.md); `result` holds the fields of `esp report impact --json`,
    or `error` when the data could not support it, and `experiment` (null when no randomised cohort exists)."""
    require(
        request.user,
        "execsponsor.view_program_results",
        message="Only program owners, admins and viewers may read the impact analysis",
    )
    run = latest_impact_analysis()
    if run is None:
        raise Http404("The impact analysis has not run yet: POST /api/v1/program/impact/runs, or wait for tonight")
    return _out(run)


class QueuedOut(Schema):
    queued: bool


@router.post("/program/impact/runs", response={202: QueuedOut, **ERROR_RESPONSES})
def impact_run(request):
    """Run the impact analysis now, on the worker (seconds on 2,000 accounts, minutes on 100,000); GET
    /program/impact shows it when it is stored."""
    impact_analysis_request(by=request.user)
    return Status(202, {"queued": True})
