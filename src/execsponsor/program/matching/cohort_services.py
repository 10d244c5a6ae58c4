"""The randomised cohort: the boundary draw a matching run used, recorded when the run is approved."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from execsponsor.core.selection import BoundaryDraw
from execsponsor.program.matching import inputs
from execsponsor.program.models import MatchingRun, RandomisedCohort, SelectionRun


def draw_document(draw: BoundaryDraw | None) -> dict[str, Any] | None:
    """The draw as JSON for a matching run's result (account ids as integers)."""
    if draw is None:
        return None
    return {
        "seed": draw.seed,
        "tolerance": draw.tolerance,
        "cut_off": draw.cut_off,
        "slots": draw.slots,
        "band": [
            {"account_id": int(m.account), "name": m.name, "score": m.score, "drawn_in": m.drawn_in} for m in draw.band
        ],
        "already_in_program": [int(a) for a in draw.already_in_program],
    }


def randomised_cohort_record(*, run: MatchingRun, by) -> RandomisedCohort | None:
    """Keep the selection an approved run applied and, when its shortlist ended in a draw, the cohort.

    Called inside `matching_run_approve`'s transaction, after its permission check."""
    draw = run.typed_result.selection_draw
    if not draw:
        return None
    settings = inputs.selection_settings()
    selection_run = SelectionRun.objects.create(
        created_by=by,
        options={**settings.as_dict(), "matching_run": run.pk, "shortlist_size": run.options.get("shortlist_size")},
        result={"draw": draw},
    )
    band = draw["band"]
    return RandomisedCohort.objects.create(
        selection_run=selection_run,
        matching_run=run,
        drawn_on=timezone.localdate(),
        seed=draw["seed"],
        tolerance=draw["tolerance"],
        cut_off_score=draw["cut_off"],
        slots=draw["slots"],
        band=band,
        drawn_in=[m["account_id"] for m in band if m["drawn_in"]],
        drawn_out=[m["account_id"] for m in band if not m["drawn_in"]],
        created_by=by,
    )


def randomised_cohorts():
    return RandomisedCohort.objects.select_related("created_by", "matching_run")
