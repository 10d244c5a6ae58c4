"""Reads of an account's health for the pages: its score and band, the measures and drivers of the newest snapshot
against the one before, and the recent trend (the account page, the briefing pack)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from execsponsor.customers.models import Account
from execsponsor.insights.models import HealthSnapshot

HEALTH_HISTORY_POINTS = 12
# Measure names that do not read well as their key with spaces.
MEASURE_LABELS = {"csat_nps": "CSAT / NPS"}


@dataclass(frozen=True)
class HealthMeasure:
    name: str
    score: float
    change: float | None  # against the previous snapshot


@dataclass(frozen=True)
class HealthTrend:
    score: int | None
    band: str
    change: int | None  # against the previous snapshot
    previous_taken_on: dt.date | None
    drivers: list
    measures: list[HealthMeasure] = field(default_factory=list)
    history: list[tuple[dt.date, int]] = field(default_factory=list)  # oldest first, for the trend line

    @property
    def chart(self) -> dict:
        return {"labels": [d.isoformat() for d, _ in self.history], "scores": [s for _, s in self.history]}


def account_health(account: Account) -> HealthTrend:
    """The account's health, its measures and drivers, and its recent trend (the account page, the briefing)."""
    recent = list(
        HealthSnapshot.objects.filter(account=account)
        .order_by("-taken_on")
        .only("taken_on", "score", "band", "measures", "drivers")[:HEALTH_HISTORY_POINTS]
    )
    if not recent:
        return HealthTrend(account.health_score, account.health_band, None, None, [])
    latest = recent[0]
    previous = recent[1] if len(recent) > 1 else None
    return HealthTrend(
        score=account.health_score if account.health_score is not None else latest.score,
        band=account.health_band or latest.band,
        change=latest.score - previous.score if previous else None,
        previous_taken_on=previous.taken_on if previous else None,
        drivers=latest.drivers if isinstance(latest.drivers, list) else [],
        measures=_health_measures(latest.measures, previous.measures if previous else None),
        history=[(snapshot.taken_on, snapshot.score) for snapshot in reversed(recent)],
    )


def _health_measures(latest: dict, previous: dict | None) -> list[HealthMeasure]:
    if not isinstance(latest, dict):
        return []
    previous = previous if isinstance(previous, dict) else {}
    measures = []
    for name, score in sorted(latest.items()):
        if not isinstance(score, int | float):
            continue
        before = previous.get(name)
        change = score - before if isinstance(before, int | float) else None
        measures.append(HealthMeasure(MEASURE_LABELS.get(name) or name.replace("_", " ").capitalize(), score, change))
    return measures
