"""The experimental estimate over the database: the randomised cohorts the selection recorded, each account's
NRR measured from its draw, and core/impact_experiment.py on top (docs/impact.md, "The experiment")."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.utils import timezone

from execsponsor.core.impact_experiment import (
    BandOutcomes,
    ExperimentNotEstimable,
    ExperimentOptions,
    estimate_experiment,
    nrr_after_draw,
)
from execsponsor.customers.models import QuarterlyRevenue
from execsponsor.program.models import RandomisedCohort, Sponsorship


def _period_of(day: dt.date) -> int:
    return 4 * day.year + (day.month - 1) // 3


def _label(period: int) -> str:
    return f"{period // 4} Q{period % 4 + 1}"


def _quarter_end(period: int) -> dt.date:
    year, quarter = divmod(period, 4)
    following = dt.date(year + (quarter == 3), 1 if quarter == 3 else 3 * quarter + 4, 1)
    return following - dt.timedelta(days=1)


def experiment_document(*, today: dt.date | None = None, options: ExperimentOptions | None = None) -> dict | None:
    """The experiment beside the observational estimate: None when no randomised cohort was ever recorded;
    otherwise the cohorts, and the estimate (`estimate` None with a `reason` when none is ready yet)."""
    today = today or timezone.localdate()
    cohorts = list(RandomisedCohort.objects.filter(drawn_on__lte=today).order_by("drawn_on", "pk"))
    if not cohorts:
        return None
    last_complete = _period_of(today) - 1
    accounts = {a for c in cohorts for a in (*c.drawn_in, *c.drawn_out)}
    revenue: dict[int, dict[int, float]] = defaultdict(dict)
    for account_id, year, quarter, amount in QuarterlyRevenue.objects.filter(account_id__in=accounts).values_list(
        "account_id", "year", "quarter", "revenue"
    ):
        revenue[account_id][4 * year + quarter - 1] = float(amount)
    sponsored = set(
        Sponsorship.objects.filter(account_id__in=accounts, started_on__isnull=False, started_on__lte=today)
        .values_list("account_id", flat=True)
        .distinct()
    )
    bands, rows, missing = [], [], 0
    for cohort in cohorts:
        period = _period_of(cohort.drawn_on)
        ready = last_complete > period
        outcomes = {}
        for account in (*cohort.drawn_in, *cohort.drawn_out):
            value = nrr_after_draw(revenue.get(account, {}), draw_period=period, last_complete=last_complete)
            if value is not None:
                outcomes[str(account)] = value
        if ready:
            missing += len(cohort.drawn_in) + len(cohort.drawn_out) - len(outcomes)
            bands.append(BandOutcomes(_label(period), outcomes, frozenset(str(a) for a in cohort.drawn_in)))
        rows.append(_cohort_row(cohort, period, ready, sponsored))
    document: dict[str, Any] = {"cohorts": rows, "left_out_without_revenue": missing}
    try:
        result = estimate_experiment(bands, options=options)
    except ExperimentNotEstimable as error:
        first = min(_period_of(c.drawn_on) for c in cohorts) + 1
        return {
            **document,
            "estimate": None,
            "reason": f"{error}; the first draw's outcome is ready after {_day(_quarter_end(first))}",
        }
    return {**document, **result.as_dict(), "reason": ""}


def _cohort_row(cohort: RandomisedCohort, period: int, ready: bool, sponsored: set[int]) -> dict[str, Any]:
    return {
        "drawn_on": cohort.drawn_on.isoformat(),
        "quarter": _label(period),
        "seed": cohort.seed,
        "tolerance": cohort.tolerance,
        "cut_off_score": cohort.cut_off_score,
        "drawn_in": len(cohort.drawn_in),
        "drawn_out": len(cohort.drawn_out),
        "drawn_in_sponsored": sum(a in sponsored for a in cohort.drawn_in),
        "drawn_out_sponsored": sum(a in sponsored for a in cohort.drawn_out),
        "ready": ready,
        "ready_after": _quarter_end(period + 1).isoformat(),
    }


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"
