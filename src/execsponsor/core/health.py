"""Account health: a weighted average of measure scores, explained, and a back-test that shows whether it
predicted churn.

Each measure is scored 0–100 from the account's data (relationship breadth, executive cadence, sponsor
relationship strength, CSAT/NPS, product adoption, support load, the CSM's own rating). A measure without
data is left out of the average, never counted as zero. Weights can differ per segment. Bands: 0–50 red,
51–75 yellow, 76–100 green. The change between two scores is split into the measures that moved it, and
those parts add up exactly to the change.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from execsponsor.core.selection import average_ranks

MEASURES = (
    "relationship_breadth",
    "executive_cadence",
    "sponsor_strength",
    "csat_nps",
    "adoption",
    "support_load",
    "csm_rating",
)

MEASURE_NAMES: Mapping[str, str] = {
    "relationship_breadth": "Relationship breadth",
    "executive_cadence": "Executive cadence",
    "sponsor_strength": "Sponsor relationship strength",
    "csat_nps": "CSAT / NPS",
    "adoption": "Product adoption",
    "support_load": "Support load",
    "csm_rating": "CSM's rating",
}

DEFAULT_WEIGHTS: Mapping[str, float] = {
    "relationship_breadth": 15,
    "executive_cadence": 15,
    "sponsor_strength": 15,
    "csat_nps": 15,
    "adoption": 20,
    "support_load": 10,
    "csm_rating": 10,
}

BANDS = (("red", 0, 50), ("yellow", 51, 75), ("green", 76, 100))


@dataclass(frozen=True)
class HealthPolicy:
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    segment_weights: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    csm_rating_max_age_days: int = 180  # an older rating is stale and left out

    def weights_for(self, segment: str) -> Mapping[str, float]:
        return {**self.weights, **self.segment_weights.get(segment, {})}


@dataclass(frozen=True)
class Health:
    score: int | None  # None when no measure has data
    band: str | None
    measures: Mapping[str, float]  # the measures that had data, 0–100 each
    contributions: Mapping[str, float]  # each measure's points in the score; they add up to it
    weights: Mapping[str, float] = field(default_factory=dict)  # the weights of the measures that had data

    @property
    def value(self) -> float | None:
        """The score before rounding."""
        return sum(self.contributions.values()) if self.score is not None else None


def band_of(score: float | None) -> str | None:
    if score is None:
        return None
    rounded = round(score)
    return next(name for name, low, high in BANDS if low <= rounded <= high)


def health_score(
    measures: Mapping[str, float | None], *, segment: str = "", policy: HealthPolicy | None = None
) -> Health:
    """The weighted average of the measures that have data."""
    policy = policy or HealthPolicy()
    weights = policy.weights_for(segment)
    present = {m: float(v) for m, v in measures.items() if v is not None and weights.get(m, 0) > 0}
    total_weight = sum(weights[m] for m in present)
    if not present or total_weight <= 0:
        return Health(None, None, {}, {})
    contributions = {m: weights[m] * v / total_weight for m, v in present.items()}
    score = sum(contributions.values())
    return Health(round(score), band_of(score), present, contributions, {m: weights[m] for m in present})


@dataclass(frozen=True)
class Driver:
    measure: str
    points: float  # this measure's share of the change; the drivers add up to the change
    sentence: str


def explain_change(previous: Health, current: Health) -> tuple[Driver, ...]:
    """What moved the score from `previous` to `current`, largest first, in words.

    Measured against the previous score S: a measure's part is (w_now × (s_now − S) − w_then × (s_then − S))
    / W_now. A measure that held still moves nothing; one that gained data moves the score by how far it sits
    from S; the parts add up exactly to the change of the unrounded score, because the weighted deviations
    from an average sum to zero."""
    if current.value is None or previous.value is None:
        return ()
    base, total_now = previous.value, sum(current.weights.values())
    drivers = []
    for measure in MEASURES:
        now = current.weights.get(measure, 0.0) * (current.measures.get(measure, base) - base)
        then = previous.weights.get(measure, 0.0) * (previous.measures.get(measure, base) - base)
        points = (now - then) / total_now
        if abs(points) < 1e-9:
            continue
        drivers.append(Driver(measure, points, _sentence(measure, previous, current, points)))
    return tuple(sorted(drivers, key=lambda d: (-abs(d.points), d.measure)))


def _sentence(measure: str, previous: Health, current: Health, points: float) -> str:
    name = MEASURE_NAMES[measure]
    signed = f"{points:+.1f} points"
    if measure not in previous.measures:
        return f"{name} now has data ({current.measures[measure]:.0f}): {signed}"
    if measure not in current.measures:
        return f"{name} has no recent data and is left out: {signed}"
    before, after = previous.measures[measure], current.measures[measure]
    if abs(after - before) < 0.5:
        return f"{name} held at {after:.0f} but weighs differently now: {signed}"
    verb = "rose" if after > before else "fell"
    return f"{name} {verb} from {before:.0f} to {after:.0f}: {signed}"


# Measure scores from raw figures. Each returns None when there is no data.


def csat_nps_score(*, csat: float | None = None, nps: float | None = None) -> float | None:
    """CSAT on 1–5 and NPS on −100…100 onto 0–100; both present, their mean."""
    parts = []
    if csat is not None:
        parts.append((min(5.0, max(1.0, csat)) - 1) / 4 * 100)
    if nps is not None:
        parts.append((min(100.0, max(-100.0, nps)) + 100) / 2)
    return sum(parts) / len(parts) if parts else None


def adoption_score(*, active_users: float | None, licensed_users: float | None) -> float | None:
    """Share of licences in use: 80% or more is full marks."""
    if active_users is None or not licensed_users:
        return None
    return min(100.0, 100 * (active_users / licensed_users) / 0.8)


def support_load_score(*, tickets_per_month: float | None, escalations: int = 0, baseline: float = 4.0) -> float | None:
    """100 at no tickets, 50 at the baseline rate, falling towards 0 above it; each escalation costs 15."""
    if tickets_per_month is None:
        return None
    load = 100 * baseline / (baseline + max(0.0, tickets_per_month))
    return max(0.0, load - 15 * escalations)


def csm_rating_score(*, rating: str | None, age_days: int | None, policy: HealthPolicy | None = None) -> float | None:
    """The CSM's red/yellow/green call; older than the policy allows, it is stale and left out."""
    policy = policy or HealthPolicy()
    if rating is None or age_days is None or age_days > policy.csm_rating_max_age_days:
        return None
    return {"green": 90.0, "yellow": 60.0, "red": 25.0}.get(rating)


# The back-test: did last year's scores rank the accounts that churned or contracted?


@dataclass(frozen=True)
class BandCalibration:
    band: str
    accounts: int
    bad_outcomes: int
    rate: float | None


@dataclass(frozen=True)
class Backtest:
    accounts: int
    bad_outcomes: int
    auc: float | None  # probability a bad-outcome account scored lower than a good one
    ci_low: float | None
    ci_high: float | None
    calibration: tuple[BandCalibration, ...]


def backtest(scores: Sequence[float], bad_outcome: Sequence[bool]) -> Backtest:
    """How well `scores` (higher = healthier) ranked the accounts with a bad outcome after them.

    AUC by the Mann–Whitney statistic (ties count half), with the Hanley–McNeil 95% interval."""
    values = np.asarray(scores, dtype=float)
    bad = np.asarray(bad_outcome, dtype=bool)
    n_bad, n_good = int(bad.sum()), int((~bad).sum())
    calibration = tuple(_calibration(values, bad))
    if n_bad == 0 or n_good == 0:
        return Backtest(len(values), n_bad, None, None, None, calibration)
    # Risk is the opposite of health: rank by −score, so AUC is P(risk of a bad account > risk of a good one).
    ranks = average_ranks(-values)
    auc = (ranks[bad].sum() - n_bad * (n_bad + 1) / 2) / (n_bad * n_good)
    q1, q2 = auc / (2 - auc), 2 * auc**2 / (1 + auc)
    variance = (auc * (1 - auc) + (n_bad - 1) * (q1 - auc**2) + (n_good - 1) * (q2 - auc**2)) / (n_bad * n_good)
    half = 1.96 * math.sqrt(max(variance, 0.0))
    return Backtest(len(values), n_bad, float(auc), max(0.0, auc - half), min(1.0, auc + half), calibration)


def _calibration(values: np.ndarray, bad: np.ndarray) -> list[BandCalibration]:
    bands = [band_of(float(v)) for v in values]
    result = []
    for name, _, _ in BANDS:
        members = [i for i, b in enumerate(bands) if b == name]
        hits = int(sum(bad[i] for i in members))
        result.append(BandCalibration(name, len(members), hits, hits / len(members) if members else None))
    return result
