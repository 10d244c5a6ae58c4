"""Does our health score predict trouble? Score every account as it stood a year ago, from the data of that
day, and see how well the scores ranked the accounts that churned or contracted in the two quarters after.

The measures are computed once per day looked at; weighting them is cheap, so a program owner can try new
weights and see the back-test move before saving them. The baseline is product usage alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from execsponsor.core import health as core_health
from execsponsor.customers.models import Account, Contact, QuarterlyRevenue, SatisfactionResponse, UsageFigure
from execsponsor.engagements.models import Engagement
from execsponsor.insights.health import account_measures

CONTRACTION = 0.9  # revenue in the next two quarters below 90% of the quarter scored: contracted
CACHE_SECONDS = 6 * 3600


@dataclass(frozen=True)
class BacktestReport:
    as_of: dt.date
    horizon: str  # "2026 Q1–Q2", the quarters whose outcome was predicted
    health: core_health.Backtest
    baseline: core_health.Backtest  # usage (adoption) alone
    scored: int  # accounts with a score and a known outcome


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _next_quarters(year: int, quarter: int, count: int) -> list[tuple[int, int]]:
    found = []
    for _ in range(count):
        year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
        found.append((year, quarter))
    return found


def outcomes(account_ids: list[int], *, as_of: dt.date, quarters: int = 2) -> dict[int, bool]:
    """True for accounts that churned or contracted in the `quarters` after the one containing `as_of`; accounts
    without revenue for the scored quarter are left out (there is nothing to contract from)."""
    start = quarter_of(as_of)
    after = _next_quarters(*start, quarters)
    wanted = {start, *after}
    revenue: dict[int, dict[tuple[int, int], float]] = defaultdict(dict)
    for account_id, year, quarter, amount in QuarterlyRevenue.objects.filter(
        account_id__in=account_ids, year__in={y for y, _ in wanted}
    ).values_list("account_id", "year", "quarter", "revenue"):
        if (year, quarter) in wanted:
            revenue[account_id][(year, quarter)] = float(amount)
    result = {}
    for account_id, by_quarter in revenue.items():
        base = by_quarter.get(start)
        if not base:
            continue
        later = [by_quarter.get(q, 0.0) for q in after]  # no revenue recorded later: churned
        result[account_id] = min(later) < CONTRACTION * base
    return result


def _measures_as_of(account_ids: list[int], as_of: dt.date) -> dict[int, dict[str, float | None]]:
    key = f"health-backtest-measures:{as_of.isoformat()}:{_fingerprint(account_ids)}"
    found = cache.get(key)
    if found is None:
        found = account_measures(account_ids, today=as_of)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _fingerprint(account_ids: list[int]) -> str:
    """Changes whenever the inputs of the measures change, so a cached day is never stale."""
    parts = [",".join(map(str, account_ids))]
    for model in (Engagement, UsageFigure, SatisfactionResponse, Contact):
        figures = model.objects.aggregate(count=Count("pk"), last=Max("pk"))
        parts.append(f"{figures['count']}:{figures['last']}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


def health_backtest(
    *, policy: core_health.HealthPolicy | None = None, as_of: dt.date | None = None, quarters: int = 2
) -> BacktestReport:
    """The back-test of `policy`'s weights, scoring accounts as of a year ago (or `as_of`)."""
    as_of = as_of or timezone.localdate() - dt.timedelta(days=365)
    policy = policy or core_health.HealthPolicy()
    account_ids = list(Account.objects.order_by("pk").values_list("pk", flat=True))
    segments = dict(Account.objects.values_list("pk", "segment"))
    known = outcomes(account_ids, as_of=as_of, quarters=quarters)
    measures = _measures_as_of(sorted(known), as_of) if known else {}
    scores, bad, usage_scores, usage_bad = [], [], [], []
    for account_id, outcome in known.items():
        values = measures.get(account_id, {})
        score = core_health.health_score(values, segment=segments.get(account_id, ""), policy=policy).value
        if score is not None:
            scores.append(score)
            bad.append(outcome)
        if values.get("adoption") is not None:
            usage_scores.append(float(values["adoption"]))
            usage_bad.append(outcome)
    after = _next_quarters(*quarter_of(as_of), quarters)
    horizon = f"{after[0][0]} Q{after[0][1]}–{after[-1][0]} Q{after[-1][1]}"
    return BacktestReport(
        as_of=as_of,
        horizon=horizon,
        health=core_health.backtest(scores, bad),
        baseline=core_health.backtest(usage_scores, usage_bad),
        scored=len(scores),
    )
