"""The experimental estimate: accounts a seeded draw let into the program against those it left out.

At the shortlist boundary, near-tied accounts were let in by a random draw (core/selection.py), so within each
draw's band the drawn-in and the drawn-out differ only by chance. The estimate is the difference in mean NRR
between them (averaged over bands by their size when there are several draws); its p-value and interval come
from randomisation inference, which uses only the draw itself: re-draw the assignment within each band, as the
draw could have fallen, and see how often the difference is as large as the one observed. Every possible
re-draw is enumerated when there are few enough, otherwise `redraws` are sampled with a recorded seed.

The interval inverts that test under a constant additive effect τ: it holds every τ the test does not reject
at 5% (the accounts' outcomes shifted by −τ where drawn in). Its ends are found by bisection.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

PRE_QUARTERS = 4
POST_QUARTERS = 4
EXACT_UP_TO = 20_000  # enumerate every re-draw when there are at most this many
BISECTION_STEPS = 60


@dataclass(frozen=True)
class ExperimentOptions:
    redraws: int = 2000  # sampled re-draws when enumerating them all would be too many
    seed: int = 11
    alpha: float = 0.05
    exact_up_to: int = EXACT_UP_TO


@dataclass(frozen=True)
class BandOutcomes:
    """One draw's band: each account's outcome (NRR points) and whether the draw let it in."""

    label: str
    outcomes: Mapping[str, float]
    drawn_in: frozenset[str]


@dataclass(frozen=True)
class ExperimentResult:
    outcome: str
    method: str
    interval_method: str
    estimate: float
    ci_low: float | None  # None: the draw is too small for any 95% bound on this side
    ci_high: float | None
    p_value: float
    smallest_p_value: float
    exact: bool
    redraws: int  # assignments the p-value is computed over
    seed: int
    drawn_in: int
    drawn_out: int
    mean_in: float
    mean_out: float
    bands: int
    summary: str
    estimates_what: str
    limits: tuple[str, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class ExperimentNotEstimable(ValueError):
    """The cohort cannot support the estimate yet; the message says why, for people."""


def nrr_after_draw(revenue: Mapping[int, float], *, draw_period: int, last_complete: int) -> float | None:
    """NRR in points measured from the draw: mean quarterly revenue over the (up to four) complete quarters
    after the draw's quarter against the four before it, × 100. The draw's own quarter, while sponsors are being
    introduced, is left out. None when a baseline quarter is missing, it is zero, or no quarter after is
    complete. Periods are consecutive integers (later is larger)."""
    before = [revenue.get(p) for p in range(draw_period - PRE_QUARTERS, draw_period)]
    after_periods = range(draw_period + 1, min(draw_period + POST_QUARTERS, last_complete) + 1)
    after = [revenue.get(p) for p in after_periods]
    if not after or any(v is None for v in before) or any(v is None for v in after):
        return None
    baseline = sum(v for v in before if v is not None) / PRE_QUARTERS
    if baseline <= 0:
        return None
    return 100 * (sum(v for v in after if v is not None) / len(after)) / baseline


@dataclass(frozen=True)
class _Design:
    y: np.ndarray  # outcomes
    z: np.ndarray  # observed assignment (bool)
    strata: tuple[np.ndarray, ...]  # positions of each band's accounts
    weights: np.ndarray  # each band's share of the accounts


def _design(bands: Sequence[BandOutcomes]) -> _Design:
    usable = [b for b in bands if 0 < len(b.drawn_in & set(b.outcomes)) < len(b.outcomes)]
    if not usable:
        raise ExperimentNotEstimable(
            "no draw has both a drawn-in and a drawn-out account with an outcome yet: it needs at least one "
            "complete quarter after the draw's quarter, and four quarters of revenue before it"
        )
    y: list[float] = []
    z: list[bool] = []
    strata = []
    for band in usable:
        start = len(y)
        for account in sorted(band.outcomes):
            y.append(float(band.outcomes[account]))
            z.append(account in band.drawn_in)
        strata.append(np.arange(start, len(y)))
    sizes = np.array([s.size for s in strata], dtype=float)
    return _Design(np.array(y), np.array(z, dtype=bool), tuple(strata), sizes / sizes.sum())


def difference_in_means(assignments: np.ndarray, y: np.ndarray, design: _Design) -> np.ndarray:
    """The statistic for each row of `assignments` (bool, one column per account): within each band the mean
    of the drawn-in minus the mean of the drawn-out, averaged over bands weighted by their size."""
    total = np.zeros(assignments.shape[0])
    for weight, members in zip(design.weights, design.strata, strict=True):
        a = assignments[:, members].astype(float)
        values = y[members]
        n_in = a.sum(axis=1)
        n_out = members.size - n_in
        total += weight * (a @ values / n_in - (1 - a) @ values / n_out)
    return total


def _band_redraws(members: int, drawn: int) -> list[np.ndarray]:
    rows = []
    for chosen in itertools.combinations(range(members), drawn):
        row = np.zeros(members, dtype=bool)
        row[list(chosen)] = True
        rows.append(row)
    return rows


def redraw_matrix(design: _Design, options: ExperimentOptions) -> tuple[np.ndarray, bool]:
    """Every assignment the draws could have made (exact) or `options.redraws` sampled ones plus the observed
    one, as a bool matrix (one row per assignment, one column per account)."""
    counts = [(s.size, int(design.z[s].sum())) for s in design.strata]
    possible = math.prod(math.comb(n, k) for n, k in counts)
    n = design.y.size
    if possible <= options.exact_up_to:
        per_band = [_band_redraws(members, drawn) for members, drawn in counts]
        rows = []
        for combination in itertools.product(*per_band):
            row = np.zeros(n, dtype=bool)
            for members, part in zip(design.strata, combination, strict=True):
                row[members] = part
            rows.append(row)
        return np.array(rows), True
    rng = np.random.default_rng(options.seed)
    matrix = np.zeros((options.redraws + 1, n), dtype=bool)
    matrix[0] = design.z
    for members in design.strata:
        for r in range(1, options.redraws + 1):
            matrix[r, members] = rng.permutation(design.z[members])
    return matrix, False


def p_value_for(tau: float, design: _Design, matrix: np.ndarray, observed: float) -> float:
    """Two-sided p-value of 'the effect is τ at every account': the share of re-draws whose difference, on the
    outcomes with τ taken off the drawn-in, is at least as far from 0 as the observed one less τ."""
    adjusted = design.y - tau * design.z
    statistics = difference_in_means(matrix, adjusted, design)
    as_extreme = np.abs(statistics) >= abs(observed - tau) - 1e-9
    return float(as_extreme.mean())


def _bound(design: _Design, matrix: np.ndarray, observed: float, direction: int, alpha: float) -> float | None:
    """The end of the interval on one side: the τ where the test starts to reject, by bisection."""
    spread = float(np.ptp(design.y)) or 1.0
    inside, step = observed, spread
    outside = None
    for _ in range(BISECTION_STEPS):
        candidate = observed + direction * step
        if p_value_for(candidate, design, matrix, observed) <= alpha:
            outside = candidate
            break
        inside, step = candidate, step * 2
    if outside is None:
        return None
    for _ in range(BISECTION_STEPS):
        middle = (inside + outside) / 2
        if p_value_for(middle, design, matrix, observed) > alpha:
            inside = middle
        else:
            outside = middle
    return inside


def estimate_experiment(bands: Sequence[BandOutcomes], *, options: ExperimentOptions | None = None) -> ExperimentResult:
    """The difference in mean NRR between drawn-in and drawn-out band accounts, with randomisation inference."""
    options = options or ExperimentOptions()
    design = _design(bands)
    matrix, exact = redraw_matrix(design, options)
    observed = float(difference_in_means(design.z[None, :], design.y, design)[0])
    p_value = p_value_for(0.0, design, matrix, observed)
    smallest = _smallest_p_value(design, matrix)
    low = _bound(design, matrix, observed, -1, options.alpha)
    high = _bound(design, matrix, observed, +1, options.alpha)
    n_in, n_out = int(design.z.sum()), int((~design.z).sum())
    return ExperimentResult(
        outcome="net revenue retention, points: revenue in the (up to four) complete quarters after the draw's "
        "quarter against the four before it, × 100",
        method=_method(exact, options.redraws),
        interval_method="the set of constant effects the randomisation test does not reject at 5% (test inversion, "
        "ends found by bisection)",
        estimate=round(observed, 2),
        ci_low=None if low is None else round(low, 2),
        ci_high=None if high is None else round(high, 2),
        p_value=round(p_value, 4),
        smallest_p_value=round(smallest, 4),
        exact=exact,
        redraws=int(matrix.shape[0]),
        seed=options.seed,
        drawn_in=n_in,
        drawn_out=n_out,
        mean_in=round(float(design.y[design.z].mean()), 2),
        mean_out=round(float(design.y[~design.z].mean()), 2),
        bands=len(design.strata),
        summary=_summary(observed, low, high, p_value, n_in, n_out),
        estimates_what=(
            "The effect of being drawn into the program on NRR, for accounts whose selection scores were near-tied "
            "at the shortlist boundary, only: not for the program's other accounts, which were chosen for "
            "higher scores. It compares accounts by the draw (intent to treat): a drawn-in account the matcher "
            "could not pair, or a drawn-out one sponsored later, still counts as drawn."
        ),
        limits=_limits(n_in, n_out, smallest, options.alpha),
    )


def _method(exact: bool, redraws: int) -> str:
    over = "every possible re-draw" if exact else f"{redraws:,} sampled re-draws (seeded)"
    return f"difference in means between the drawn-in and drawn-out accounts of the boundary band; randomisation \
inference over {over} within each band"


def _smallest_p_value(design: _Design, matrix: np.ndarray) -> float:
    """The smallest p-value these draws can give at all: the share of re-draws as extreme as the observed one
    under an effect so large only the draw itself (and its mirror image) matches."""
    statistics = difference_in_means(matrix, design.z.astype(float), design)
    return float((np.abs(statistics) >= 1 - 1e-9).mean())


def _summary(estimate: float, low: float | None, high: float | None, p: float, n_in: int, n_out: int) -> str:
    if low is None or high is None:
        interval = "the draw is too small for a 95% interval on " + (
            "either side" if low is None and high is None else "one side"
        )
    else:
        interval = f"95% interval {low:+.1f} to {high:+.1f}"
    return (
        f"Drawn-in accounts' NRR was {estimate:+.1f} points against the drawn-out ({interval}; p = {p:.3f}), "
        f"{n_in} drawn in, {n_out} drawn out."
    )


def _limits(n_in: int, n_out: int, smallest: float, alpha: float) -> tuple[str, ...]:
    limits = [
        f"Small numbers: {n_in + n_out} accounts. The interval is honest about it and wide; one unusual account "
        "moves the estimate.",
        "It holds for near-tied boundary accounts only; accounts well above the cut may gain more or less.",
        "The interval assumes the effect is about the same at every account (a constant shift).",
    ]
    if smallest > alpha:
        limits.insert(
            0,
            f"Too few accounts for the test to reach 5%: even the largest effect gives p = {smallest:.2f} at "
            "least, so no result here can be called significant.",
        )
    return tuple(limits)
