"""The impact analysis over the database: the panel core/impact.py needs, a stored run, the latest run.

Treatment is an account's first sponsorship start (`Sponsorship.started_on`; approval and introduction come
before a sponsor starts meeting the customer, and the demo plants its lift from the start quarter). An
account whose started sponsorships have all ended is left out of both groups and counted.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from execsponsor.access.rules import require
from execsponsor.core.impact import ImpactNotEstimable, ImpactOptions, ImpactResult, estimate_impact
from execsponsor.customers.models import Account, QuarterlyRevenue
from execsponsor.insights.impact_experiment import experiment_document
from execsponsor.insights.models import ImpactAnalysis
from execsponsor.program.models import Sponsorship, SponsorshipStatus

ENDED_ONLY = "every sponsorship started has ended"


@dataclass(frozen=True)
class ImpactInputs:
    revenue: pd.DataFrame
    accounts: pd.DataFrame
    quarter_labels: list[str]
    excluded: dict[str, int]


def _period(year: int, quarter: int) -> int:
    return 4 * int(year) + int(quarter) - 1


def _period_of(day: dt.date) -> int:
    return _period(day.year, (day.month - 1) // 3 + 1)


def impact_inputs(*, today: dt.date | None = None) -> ImpactInputs:
    """Complete quarters of revenue before today's quarter, and each account's first sponsorship start."""
    today = today or timezone.localdate()
    current = _period_of(today)
    rows = np.array(
        list(QuarterlyRevenue.objects.values_list("account_id", "year", "quarter", "revenue")), dtype=object
    ).reshape(-1, 4)
    revenue = pd.DataFrame(
        {
            "account": rows[:, 0].astype(np.int64),
            "period": 4 * rows[:, 1].astype(np.int64) + rows[:, 2].astype(np.int64) - 1,
            "revenue": rows[:, 3].astype(float),
        }
    )
    revenue = revenue[revenue["period"] < current]
    started = dict(
        Sponsorship.objects.filter(started_on__isnull=False, started_on__lte=today)
        .values("account_id")
        .annotate(first=Min("started_on"))
        .values_list("account_id", "first")
    )
    running = set(
        Sponsorship.objects.filter(
            started_on__isnull=False, status__in=(SponsorshipStatus.ACTIVE, SponsorshipStatus.PAUSED)
        ).values_list("account_id", flat=True)
    )
    ended_only = {account for account in started if account not in running}
    accounts = pd.DataFrame(
        [
            (pk, float(_period_of(started[pk])) if pk in started else np.nan, segment or "unknown", industry or "—")
            for pk, segment, industry in Account.objects.values_list("pk", "segment", "industry")
            if pk not in ended_only
        ],
        columns=["account", "first_start", "segment", "industry"],
    )
    periods = sorted(int(p) for p in revenue["period"].unique())
    first = periods[0] if periods else 0
    labels = [f"{p // 4} Q{p % 4 + 1}" for p in range(first, (periods[-1] + 1) if periods else first)]
    excluded = {ENDED_ONLY: len(ended_only)} if ended_only else {}
    return ImpactInputs(revenue=revenue, accounts=accounts, quarter_labels=labels, excluded=excluded)


def analyse(*, today: dt.date | None = None, options: ImpactOptions | None = None) -> ImpactResult:
    """The analysis on today's data (raises ImpactNotEstimable with a reason when the data cannot support it)."""
    inputs = impact_inputs(today=today)
    if inputs.revenue.empty:
        raise ImpactNotEstimable("there is no quarterly revenue yet: import it (esp import … revenue)")
    return estimate_impact(
        inputs.revenue,
        inputs.accounts,
        options=options,
        quarter_labels=inputs.quarter_labels,
        excluded=inputs.excluded,
    )


def impact_analysis_record(*, by, today: dt.date | None = None) -> ImpactAnalysis:
    """Run the analysis and keep the result; `by` a program owner or admin (the nightly job: the system user)."""
    require(by, "execsponsor.run_program", to="run the impact analysis")
    today = today or timezone.localdate()
    began = time.perf_counter()
    try:
        result: dict[str, object] = analyse(today=today).as_dict()
    except ImpactNotEstimable as error:
        result = {"error": str(error)}
    except (ValueError, np.linalg.LinAlgError) as error:
        # The estimator gives up on too few or too alike accounts (e.g. more covariates than observations).
        result = {"error": f"The estimator could not run on these accounts: {error}"}
    result["experiment"] = experiment_document(today=today)
    return impact_analysis_store(result, by=by, today=today, seconds=time.perf_counter() - began)


def impact_analysis_request(*, by) -> None:
    """Queue a run on the worker for `by`, a program owner or admin; the page shows it when it is stored."""
    from execsponsor.insights.tasks import impact_analysis_requested

    require(by, "execsponsor.run_program", to="run the impact analysis")
    impact_analysis_requested(by.pk)


def impact_analysis_store(
    result: dict[str, object], *, by, today: dt.date | None = None, seconds: float = 0.0
) -> ImpactAnalysis:
    with transaction.atomic():
        return ImpactAnalysis.objects.create(
            as_of=today or timezone.localdate(), computed_by=by, seconds=round(seconds, 2), result=result
        )


def latest_impact_analysis() -> ImpactAnalysis | None:
    return ImpactAnalysis.objects.select_related("computed_by").first()


def impact_page() -> dict[str, object]:
    """What the impact page shows: the latest run, its result and the event study's chart data."""
    run = latest_impact_analysis()
    result = run.result if run else {}
    experiment = result.get("experiment")
    if not run or "error" in result:
        return {"run": run, "result": None, "error": result.get("error", ""), "experiment": experiment}
    events = result["event_study"]
    chart = {
        "labels": [f"{row['relative_quarter']:+d}" for row in events],
        "estimate": [row["estimate"] for row in events],
        "low": [row["ci_low"] for row in events],
        "high": [row["ci_high"] for row in events],
    }
    unbalanced = [row for row in result["balance"] if abs(row["smd_after"]) >= 0.1]
    controls = {"not_yet_treated": "not-yet-sponsored and never-sponsored", "never_treated": "never-sponsored"}
    return {
        "run": run,
        "result": result,
        "chart": chart,
        "unbalanced": unbalanced,
        "controls": controls.get(result["control_group"], result["control_group"]),
        "error": "",
        "experiment": experiment,
    }
