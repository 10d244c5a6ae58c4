"""Diagnostics of the impact analysis (core/impact.py): the propensity of being sponsored, common support,
covariate balance before and after weighting, and HonestDiD sensitivity bounds."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]

HONEST_M = (0.5, 1.0, 2.0)


@dataclass(frozen=True)
class Balance:
    covariate: str
    smd_before: float
    smd_after: float


@dataclass(frozen=True)
class Sensitivity:
    m: float  # post-program trend breaks up to M × the largest pre-program one
    ci_low: float
    ci_high: float


def propensity(frame: pd.DataFrame, covariates: list[str]) -> np.ndarray:
    """P(sponsored | covariates), a logit over all accounts of the window."""
    from diff_diff.linalg import solve_logit  # type: ignore[import-untyped]

    x = frame[covariates].to_numpy(dtype=float)
    scaled = (x - x.mean(axis=0)) / np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, score = solve_logit(scaled, frame["treated"].to_numpy(dtype=float), rank_deficient_action="silent")
    return np.asarray(score, dtype=float)


def common_support(frame: pd.DataFrame, covariates: list[str]) -> np.ndarray:
    """Which accounts to keep: every sponsored one, and the unsponsored ones at least as likely to be sponsored
    as some sponsored account. The others are unlike every sponsored account, so they say nothing about them
    (the effect is on the sponsored accounts)."""
    treated = frame["treated"].to_numpy()
    if not covariates:
        return np.ones(treated.size, dtype=bool)
    score = propensity(frame, covariates)
    return np.asarray(treated | (score >= score[treated].min()))


def balance(frame: pd.DataFrame, covariates: list[str]) -> tuple[tuple[Balance, ...], float]:
    """Standardised mean differences (sponsored minus unsponsored, over the pooled standard deviation) before
    and after weighting the unsponsored by entropy-balancing weights (Hainmueller 2012; the odds weights of a
    propensity score fitted to balance the covariates' means). The means are balanced by construction when
    the weights exist; the squares of the continuous covariates are not constrained and show whether their
    spread matches too. Also returns the weighted controls' effective number (Kish)."""
    if not covariates:
        return (), 0.0
    from diff_diff.balancing import BalanceError, entropy_balance  # type: ignore[import-untyped]

    x = frame[covariates].to_numpy(dtype=float)
    treated = frame["treated"].to_numpy()
    try:
        weight, _ = entropy_balance(x[~treated], x[treated].mean(axis=0))
    except BalanceError:  # no weights balance them: fall back to the odds of the likelihood-fitted propensity
        score = np.clip(propensity(frame, covariates), 0.01, 0.99)[~treated]
        weight = score / (1 - score)
    names = list(covariates)
    columns = [x]
    for name in ("log_arr", "pre_growth"):
        if name in covariates:
            names.append(f"{name}²")
            columns.append((frame[name].to_numpy(dtype=float) - frame[name].mean())[:, None] ** 2)
    x = np.hstack(columns)
    rows = []
    for k, name in enumerate(names):
        t, c = x[treated, k], x[~treated, k]
        spread = math.sqrt((t.var() + c.var()) / 2) or 1.0
        after = np.average(c, weights=weight)
        rows.append(
            Balance(name, round(float((t.mean() - c.mean()) / spread), 4), round(float((t.mean() - after) / spread), 4))
        )
    effective = float(weight.sum() ** 2 / (weight**2).sum())
    return tuple(rows), effective


def sensitivity(container: Any) -> tuple[Sensitivity, ...]:
    """HonestDiD relative-magnitude bounds on the average post-start effect (revenue index points)."""
    from diff_diff import HonestDiD  # type: ignore[import-untyped]

    rows = []
    for m in HONEST_M:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                bounds = HonestDiD(method="relative_magnitude", M=m).fit(container)
        except (ValueError, np.linalg.LinAlgError, KeyError, TypeError):
            continue
        if math.isfinite(bounds.ci_lb) and math.isfinite(bounds.ci_ub):
            rows.append(Sensitivity(m, round(float(bounds.ci_lb), 3), round(float(bounds.ci_ub), 3)))
    return tuple(rows)
