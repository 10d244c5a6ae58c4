"""Rank accounts for the program: a weighted 0–100 score with its breakdown, after eligibility rules.

Money criteria (ARR, whitespace) are turned into percentile ranks among the eligible accounts, so one
$3B account cannot flatten everyone else; criteria already on a 0–100 scale are used as they are. A
criterion with no data for an account is left out of that account's weighted average rather than
counted as zero, and the breakdown says so (None).

Optionally the entry order among near-tied accounts at the shortlist boundary is drawn at random
(`randomise_boundary`): scores a point or two apart say nothing about which account needs a sponsor more,
and a random draw among them gives the program a small randomised cohort to measure itself against.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

CRITERIA = ("strategic_value", "revenue", "retention_risk", "growth_potential", "health_need", "c_level_access")

CRITERION_LABELS = {
    "strategic_value": "Strategic value",
    "revenue": "Current revenue (ARR)",
    "retention_risk": "Renewal / retention risk",
    "growth_potential": "Growth potential (whitespace)",
    "health_need": "Health (lower health, more need)",
    "c_level_access": "Existing C-level relationships",
}

CRITERION_SHORT_LABELS = {
    "strategic_value": "Strategic",
    "revenue": "ARR",
    "retention_risk": "Renewal",
    "growth_potential": "Growth",
    "health_need": "Health",
    "c_level_access": "C-level",
}

DEFAULT_WEIGHTS: Mapping[str, float] = {
    "strategic_value": 25,
    "revenue": 25,
    "retention_risk": 15,
    "growth_potential": 15,
    "health_need": 10,
    "c_level_access": 10,
}

RENEWAL_HORIZON_DAYS = 365
# Accounts within this many points of the cut-off score are near-tied: on a 0–100 weighted score, two points
# is about what moving one weight by five changes, well inside what the inputs (strategic value, renewal
# dates) can tell apart.
DEFAULT_TIE_TOLERANCE = 2.0
MAX_TIE_TOLERANCE = 20.0
MAX_SEED = 2**63 - 1
_SCORE_EPSILON = 1e-9  # scores are rounded to 2 decimals; the band's edges are inclusive
C_LEVEL_THREADS_FOR_FULL_MARKS = 3


@dataclass(frozen=True)
class AccountFacts:
    id: str
    name: str
    segment: str = ""
    arr: float | None = None
    strategic_value: float | None = None
    days_to_renewal: int | None = None
    growth_potential: float | None = None
    health_score: float | None = None
    c_level_threads: int | None = None
    in_churn: bool = False
    in_program: bool = False


@dataclass(frozen=True)
class EligibilityRules:
    segments: frozenset[str] = frozenset({"enterprise"})  # empty: every segment
    exclude_in_churn: bool = True
    min_arr: float | None = None

    def reason_to_exclude(self, account: AccountFacts) -> str | None:
        if self.segments and account.segment not in self.segments:
            return f"segment {account.segment or 'unknown'} is not in {', '.join(sorted(self.segments))}"
        if self.exclude_in_churn and account.in_churn:
            return "the customer is churning"
        if self.min_arr is not None and (account.arr or 0) < self.min_arr:
            return f"ARR below {self.min_arr:,.0f}"
        return None


@dataclass(frozen=True)
class ScoredAccount:
    account: str
    name: str
    score: float
    breakdown: dict[str, float | None]
    in_program: bool = False


@dataclass(frozen=True)
class Excluded:
    account: str
    name: str
    reason: str


@dataclass(frozen=True)
class BoundaryRandomisation:
    tolerance: float = DEFAULT_TIE_TOLERANCE
    seed: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.tolerance <= MAX_TIE_TOLERANCE:
            raise ValueError(f"the tie tolerance must be between 0 and {MAX_TIE_TOLERANCE:g} points")
        if not 0 <= self.seed <= MAX_SEED:
            raise ValueError("the seed must be a whole number from 0 to 2^63 − 1")


@dataclass(frozen=True)
class BandMember:
    account: str
    name: str
    score: float
    drawn_in: bool


@dataclass(frozen=True)
class BoundaryDraw:
    """The near-tied accounts at the shortlist boundary and which of them the seeded draw let in."""

    seed: int
    tolerance: float
    cut_off: float  # the score of the last account the plain ranking shortlists
    slots: int  # shortlist places the draw filled
    band: tuple[BandMember, ...]  # the accounts drawn among, in rank order
    already_in_program: tuple[str, ...] = ()  # in the band but sponsored already: they keep their place, undrawn

    @property
    def drawn_in(self) -> tuple[str, ...]:
        return tuple(m.account for m in self.band if m.drawn_in)

    @property
    def drawn_out(self) -> tuple[str, ...]:
        return tuple(m.account for m in self.band if not m.drawn_in)


@dataclass(frozen=True)
class SelectionResult:
    ranked: tuple[ScoredAccount, ...]
    shortlist: tuple[str, ...]
    excluded: tuple[Excluded, ...] = field(default_factory=tuple)
    draw: BoundaryDraw | None = None  # None: the shortlist is the plain ranking's

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def percentile_scores(values: Sequence[float | None]) -> list[float | None]:
    """0–100 by rank among the values present (ties share a rank): robust to outliers by construction."""
    present = [i for i, v in enumerate(values) if v is not None]
    result: list[float | None] = [None] * len(values)
    if not present:
        return result
    if len(present) == 1:
        result[present[0]] = 100.0
        return result
    ranks = average_ranks(np.array([values[i] for i in present], dtype=float))
    scaled = (ranks - 1) / (len(present) - 1) * 100
    for i, score in zip(present, scaled, strict=True):
        result[i] = float(score)
    return result


def average_ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks with ties sharing their average rank (what scipy.stats.rankdata calls "average").

    Written with NumPy because importing scipy.stats costs over a second at every CLI start."""
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    last = np.cumsum(counts)
    return ((last - counts + 1 + last) / 2.0)[inverse]


def renewal_urgency(days_to_renewal: int | None) -> float | None:
    """100 for a renewal due now (or overdue), falling to 0 a year out."""
    if days_to_renewal is None:
        return None
    return float(np.clip(100 * (1 - days_to_renewal / RENEWAL_HORIZON_DAYS), 0, 100))


def criterion_scores(accounts: Sequence[AccountFacts]) -> dict[str, list[float | None]]:
    def clamp(value: float | None) -> float | None:
        return None if value is None else float(min(100.0, max(0.0, value)))

    return {
        "strategic_value": [clamp(a.strategic_value) for a in accounts],
        "revenue": percentile_scores([a.arr for a in accounts]),
        "retention_risk": [renewal_urgency(a.days_to_renewal) for a in accounts],
        "growth_potential": percentile_scores([a.growth_potential for a in accounts]),
        "health_need": [None if a.health_score is None else clamp(100 - a.health_score) for a in accounts],
        "c_level_access": [
            None if a.c_level_threads is None else clamp(100 * a.c_level_threads / C_LEVEL_THREADS_FOR_FULL_MARKS)
            for a in accounts
        ],
    }


def weighted_total(breakdown: Mapping[str, float | None], weights: Mapping[str, float]) -> float:
    used = [(weights.get(name, 0.0), value) for name, value in breakdown.items() if value is not None]
    total_weight = sum(w for w, _ in used)
    if total_weight <= 0:
        return 0.0
    return round(sum(w * v for w, v in used) / total_weight, 2)


def rank_accounts(
    accounts: Sequence[AccountFacts],
    *,
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
    rules: EligibilityRules | None = None,
    shortlist_size: int | None = None,
    boundary: BoundaryRandomisation | None = None,
) -> SelectionResult:
    """Score the eligible accounts, best first (ties broken by name, then id), and cut the shortlist; with
    `boundary`, the near-tied accounts at the cut are let in by a seeded random draw."""
    unknown = set(weights) - set(CRITERIA)
    if unknown:
        raise ValueError(f"unknown selection criteria: {', '.join(sorted(unknown))}")
    if any(w < 0 for w in weights.values()):
        raise ValueError("selection weights cannot be negative")
    rules = rules or EligibilityRules()
    eligible: list[AccountFacts] = []
    excluded: list[Excluded] = []
    for account in accounts:
        reason = rules.reason_to_exclude(account)
        if reason is None:
            eligible.append(account)
        else:
            excluded.append(Excluded(account.id, account.name, reason))

    scores = criterion_scores(eligible)
    ranked = []
    for i, account in enumerate(eligible):
        breakdown = {name: (None if scores[name][i] is None else round(scores[name][i] or 0.0, 2)) for name in CRITERIA}
        ranked.append(
            ScoredAccount(account.id, account.name, weighted_total(breakdown, weights), breakdown, account.in_program)
        )
    ranked.sort(key=lambda s: (-s.score, s.name, s.account))
    size = len(ranked) if shortlist_size is None else max(0, shortlist_size)
    result = SelectionResult(
        ranked=tuple(ranked),
        shortlist=tuple(s.account for s in ranked[:size]),
        excluded=tuple(sorted(excluded, key=lambda e: (e.name, e.account))),
    )
    return result if boundary is None else randomise_boundary(result, boundary)


def draw_seed() -> int:
    """A fresh seed for a boundary draw, from the operating system's randomness (recorded with the draw)."""
    return secrets.randbelow(2**32)


def randomise_boundary(result: SelectionResult, boundary: BoundaryRandomisation) -> SelectionResult:
    """The result with the shortlist's last places drawn at random among the accounts scoring within
    `boundary.tolerance` points (inclusive) of the cut-off score.

    Accounts above the band keep their places and those below stay out. Band accounts already in the program
    are sponsored whatever the draw says, so they keep their place and are not drawn. The rest of the band's
    places go to a random subset (numpy's Generator seeded with `boundary.seed`, over the band in rank order:
    the same seed and the same ranking give the same draw). When nothing is left to chance (no account
    below the cut within the band, or no place left for the draw) the result is returned unchanged.
    """
    size = len(result.shortlist)
    ranked = result.ranked
    if size == 0 or size >= len(ranked):
        return result
    cut_off = ranked[size - 1].score
    reach = boundary.tolerance + _SCORE_EPSILON
    above = [s for s in ranked if s.score > cut_off + reach]
    band = [s for s in ranked if abs(s.score - cut_off) <= reach]
    sponsored = [s.account for s in band if s.in_program]
    pool = [s for s in band if not s.in_program]
    slots = size - len(above) - len(sponsored)
    if slots <= 0 or slots >= len(pool):
        return result
    order = np.random.default_rng(boundary.seed).permutation(len(pool))
    chosen = {pool[int(i)].account for i in order[:slots]}
    members = tuple(BandMember(s.account, s.name, s.score, s.account in chosen) for s in pool)
    shortlisted = {s.account for s in above} | set(sponsored) | chosen
    return SelectionResult(
        ranked=ranked,
        shortlist=tuple(s.account for s in ranked if s.account in shortlisted),
        excluded=result.excluded,
        draw=BoundaryDraw(
            seed=boundary.seed,
            tolerance=boundary.tolerance,
            cut_off=cut_off,
            slots=slots,
            band=members,
            already_in_program=tuple(sponsored),
        ),
    )
