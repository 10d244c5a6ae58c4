"""The program's impact on net revenue retention: sponsored accounts against comparable unsponsored ones.

Sponsorships start in different quarters, so the estimator is Callaway and Sant'Anna's staggered
difference-in-differences (doubly robust, from `diff-diff`): each start-quarter cohort is compared with
accounts not (yet) sponsored, from the quarter before its start, conditional on segment, ARR, industry and
the growth of the year before. The window is the last eight quarters: NRR is revenue in the last four over
revenue in the four before (docs/demo.md), and the cohorts are the accounts whose first sponsorship started
in the last four.

The outcome per quarter is the account's revenue index: 100 × revenue / its mean quarterly revenue of the
year before the window's last four. An account's NRR in points is the mean of its index over the last four
quarters, so the effect on NRR is the sum over those quarters of the effect on the index, divided by four.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd  # type: ignore[import-untyped]

from execsponsor.core.impact_diagnostics import Balance, Sensitivity, balance, common_support, sensitivity

WINDOW = 8  # quarters: four before, four after (the NRR definition)
POST = 4
PLACEBO_SHIFT = 4
MIN_INDUSTRY_TREATED = 10  # industries with fewer sponsored accounts share one "other" indicator
COVARIATES = ("segment", "arr", "industry", "pre_growth")
OUTSIDE_SUPPORT = "unsponsored accounts unlike every sponsored one (outside common support)"
COVARIATE_WORDS = {"segment": "segment", "arr": "ARR", "industry": "industry", "pre_growth": "pre-period growth"}
ControlGroup = Literal["not_yet_treated", "never_treated"]


@dataclass(frozen=True)
class ImpactOptions:
    control_group: ControlGroup = "not_yet_treated"
    covariates: tuple[str, ...] = COVARIATES
    bootstrap: int = 499  # multiplier-bootstrap draws for the intervals; 0: analytical standard errors
    seed: int = 11


@dataclass(frozen=True)
class Interval:
    estimate: float | None
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class EventTime:
    relative_quarter: int
    estimate: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class Cohort:
    start_quarter: str
    accounts: int


@dataclass(frozen=True)
class ImpactResult:
    outcome: str
    method: str
    control_group: str
    estimate: float
    ci_low: float
    ci_high: float
    naive_estimate: float
    placebo: Interval
    event_study: tuple[EventTime, ...]
    balance: tuple[Balance, ...]
    max_smd_after: float
    effective_controls: float  # Kish effective number of weighted controls
    sensitivity: tuple[Sensitivity, ...]
    treated: int
    controls: int
    cohorts: tuple[Cohort, ...]
    excluded: Mapping[str, int]
    quarters: tuple[str, ...]
    covariates: tuple[str, ...]
    summary: str
    assumptions: tuple[str, ...]
    cannot_prove: tuple[str, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class ImpactNotEstimable(ValueError):
    """The data cannot support the analysis; the message says why, for people."""


def pre_period_growth(revenue: np.ndarray) -> np.ndarray:
    """Annualised growth of each row of quarterly revenue (oldest first): the least-squares slope of log
    revenue per quarter, times four. 0.05 is about 5% a year."""
    logs = np.log(np.maximum(np.asarray(revenue, dtype=float), 1e-9))
    steps = np.arange(logs.shape[1], dtype=float)
    steps -= steps.mean()
    return np.asarray(4 * (logs @ steps) / float(steps @ steps))


def estimate_impact(
    revenue: pd.DataFrame,
    accounts: pd.DataFrame,
    *,
    options: ImpactOptions | None = None,
    quarter_labels: Sequence[str] | None = None,
    excluded: Mapping[str, int] | None = None,
) -> ImpactResult:
    """The effect of sponsorship on NRR, in points.

    `revenue`: one row per account and quarter — `account`, `period` (consecutive integers, later is larger),
    `revenue`. `accounts`: one row per account — `account`, `first_start` (the period its first sponsorship
    started; NaN when none has), `segment`, `industry`. `quarter_labels` name the periods (index = period −
    the first period). `excluded` counts accounts the caller left out, by reason.
    """
    options = options or ImpactOptions()
    unknown = set(options.covariates) - set(COVARIATES)
    if unknown:
        raise ImpactNotEstimable(f"unknown covariates: {', '.join(sorted(unknown))}")
    panel = _window(revenue, accounts, dict(excluded or {}))
    labels = _labels(revenue, quarter_labels)
    x_names = _covariate_columns(panel.frame, options.covariates)
    everyone = panel.frame
    naive = 100 * (everyone.loc[everyone.treated, "nrr"].mean() - everyone.loc[~everyone.treated, "nrr"].mean())
    panel = _kept(panel, common_support(panel.frame, x_names))
    frame = panel.frame
    long = _long(panel, frame)
    main = _fit(long, x_names, options)
    estimate, ci_low, ci_high = _nrr_effect(main, frame.loc[frame.treated, "cohort"], last=WINDOW - 1)
    event_study, event_container = _event_study(main)
    placebo = _placebo(panel, frame, x_names, options)
    balance_rows, effective_controls = balance(frame, x_names)
    bounds = sensitivity(event_container)
    counts = frame.loc[frame.treated, "cohort"].value_counts().sort_index()
    cohorts = tuple(Cohort(labels[int(g)], int(n)) for g, n in counts.items())
    treated, controls = int(frame.treated.sum()), int((~frame.treated).sum())
    max_after = max((abs(b.smd_after) for b in balance_rows), default=0.0)
    return ImpactResult(
        outcome="net revenue retention, points (revenue in the last 4 quarters / the 4 before, × 100)",
        method=(
            "Callaway–Sant'Anna staggered difference-in-differences, doubly robust "
            f"(diff-diff), {options.control_group.replace('_', '-')} controls, "
            f"{'multiplier bootstrap ' + str(options.bootstrap) + ' draws' if options.bootstrap else 'analytical SEs'}"
        ),
        control_group=options.control_group,
        estimate=round(estimate, 3),
        ci_low=round(ci_low, 3),
        ci_high=round(ci_high, 3),
        naive_estimate=round(float(naive), 3),
        placebo=placebo,
        event_study=event_study,
        balance=balance_rows,
        max_smd_after=round(max_after, 4),
        effective_controls=round(effective_controls, 1),
        sensitivity=bounds,
        treated=treated,
        controls=controls,
        cohorts=cohorts,
        excluded=panel.excluded,
        quarters=tuple(labels),
        covariates=options.covariates,
        summary=_summary(estimate, ci_low, ci_high, float(naive), treated, controls, cohorts, options),
        assumptions=_assumptions(options),
        cannot_prove=CANNOT_PROVE,
        notes=main.notes,
    )


@dataclass
class _Panel:
    frame: pd.DataFrame  # one row per account in the analysis
    index: np.ndarray  # (accounts, WINDOW) revenue index
    excluded: dict[str, int]


def _labels(revenue: pd.DataFrame, quarter_labels: Sequence[str] | None) -> list[str]:
    periods = sorted(int(p) for p in revenue["period"].unique())[-WINDOW:]
    if quarter_labels is not None:
        first = sorted(int(p) for p in revenue["period"].unique())[0]
        return [quarter_labels[p - first] for p in periods]
    return [f"quarter {p}" for p in periods]


def _window(revenue: pd.DataFrame, accounts: pd.DataFrame, excluded: dict[str, int]) -> _Panel:
    periods = sorted(int(p) for p in revenue["period"].unique())
    if len(periods) < WINDOW or periods[-1] - periods[-WINDOW] != WINDOW - 1:
        raise ImpactNotEstimable(
            f"the analysis needs revenue for {WINDOW} consecutive quarters; there are {len(periods)}"
        )
    first = periods[-WINDOW]
    wide = (
        revenue[revenue["period"] >= first]
        .pivot_table(index="account", columns="period", values="revenue", aggfunc="sum")
        .reindex(columns=range(first, first + WINDOW))
    )
    info = accounts.set_index("account")
    wide = wide[wide.index.isin(info.index)]
    complete = wide.notna().all(axis=1) & (wide.iloc[:, :POST].sum(axis=1) > 0) & (wide.min(axis=1) >= 0)
    _count(excluded, "revenue missing or zero in a quarter of the window", int((~complete).sum()))
    wide = wide[complete]
    start = info.loc[wide.index, "first_start"].astype(float) - first
    before = start < POST
    _count(excluded, "sponsored before the window's last four quarters", int(before.sum()))
    wide, start = wide[~before.to_numpy()], start[~before.to_numpy()]
    values = wide.to_numpy(dtype=float)
    index = 100 * values / values[:, :POST].mean(axis=1, keepdims=True)
    treated = start.notna() & (start < WINDOW)
    frame = pd.DataFrame(
        {
            "account": wide.index.to_numpy(),
            "treated": treated.to_numpy(),
            "cohort": np.where(treated, start.fillna(-1), -1).astype(int),
            "segment": info.loc[wide.index, "segment"].astype(str).to_numpy(),
            "industry": info.loc[wide.index, "industry"].astype(str).to_numpy(),
            "log_arr": np.log(np.maximum(values[:, :POST].sum(axis=1), 1.0)),
            "pre_growth": pre_period_growth(values[:, :POST]),
            "nrr": values[:, POST:].sum(axis=1) / values[:, :POST].sum(axis=1),
        }
    )
    if frame.treated.sum() < 2 or (~frame.treated).sum() < 2:
        raise ImpactNotEstimable(
            f"the analysis needs sponsored and unsponsored accounts with a full window of revenue; "
            f"there are {int(frame.treated.sum())} sponsored and {int((~frame.treated).sum())} unsponsored"
        )
    return _Panel(frame=frame, index=index, excluded=excluded)


def _kept(panel: _Panel, keep: np.ndarray) -> _Panel:
    _count(
        panel.excluded, "unsponsored accounts unlike every sponsored one (outside common support)", int((~keep).sum())
    )
    return _Panel(frame=panel.frame[keep].reset_index(drop=True), index=panel.index[keep], excluded=panel.excluded)


def _count(excluded: dict[str, int], reason: str, number: int) -> None:
    if number:
        excluded[reason] = excluded.get(reason, 0) + number


def _covariate_columns(frame: pd.DataFrame, covariates: Sequence[str]) -> list[str]:
    """Adds the design columns to `frame` and returns their names (categories as indicators)."""
    names: list[str] = []
    if "segment" in covariates:
        names += _indicators(frame, "segment", frame["segment"])
    if "industry" in covariates:
        counts = frame.loc[frame.treated, "industry"].value_counts()
        common = set(counts[counts >= MIN_INDUSTRY_TREATED].index)
        names += _indicators(frame, "industry", frame["industry"].where(frame["industry"].isin(common), "other"))
    if "arr" in covariates:
        names.append("log_arr")
    if "pre_growth" in covariates:
        names.append("pre_growth")
    return names


def _indicators(frame: pd.DataFrame, name: str, values: pd.Series) -> list[str]:
    levels = sorted(values.unique())
    out = []
    for level in levels[1:]:
        column = f"{name}={level}"
        frame[column] = (values == level).astype(float)
        out.append(column)
    return out


def _long(panel: _Panel, frame: pd.DataFrame, periods: int = WINDOW, shift: int = 0) -> pd.DataFrame:
    """Account × quarter rows for diff-diff: time 1.., first_treat 0 for never (within these quarters)."""
    n = len(frame)
    cohort = frame["cohort"].to_numpy() - shift
    first_treat = np.where(frame["treated"].to_numpy() & (cohort < periods), cohort + 1, 0)
    long = pd.DataFrame(
        {
            "unit": np.repeat(np.arange(n), periods),
            "time": np.tile(np.arange(1, periods + 1), n),
            "y": panel.index[:, :periods].reshape(-1),
            "first_treat": np.repeat(first_treat, periods),
        }
    )
    for column in frame.columns:
        if "=" in column or column in ("log_arr", "pre_growth"):
            long[column] = np.repeat(frame[column].to_numpy(), periods)
    return long


@dataclass
class _Fit:
    results: Any
    notes: tuple[str, ...]


def _fit(long: pd.DataFrame, covariates: list[str], options: ImpactOptions) -> _Fit:
    from diff_diff import CallawaySantAnna  # type: ignore[import-untyped]

    model = CallawaySantAnna(
        control_group=options.control_group,
        estimation_method="dr",
        n_bootstrap=options.bootstrap,
        seed=options.seed,
        rank_deficient_action="silent",
        pscore_fallback="unconditional",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = model.fit(
            long, outcome="y", unit="unit", time="time", first_treat="first_treat", covariates=covariates or None
        )
    notes = tuple(dict.fromkeys(str(w.message).split("\n")[0][:240] for w in caught))[:5]
    return _Fit(results=results, notes=notes)


def _nrr_effect(fit: _Fit, cohorts: pd.Series, *, last: int) -> tuple[float, float, float]:
    """The simple aggregate weights each post-start quarter of cohort g by its size n_g; the NRR effect sums
    each cohort's post-start quarters and divides by the four quarters of the window, so it is the simple
    aggregate times (Σ_g n_g × quarters after g's start) / (4 × Σ_g n_g)."""
    results = fit.results
    sizes = cohorts.value_counts()
    scale = sum(int(n) * (last - int(g) + 1) for g, n in sizes.items()) / (POST * int(sizes.sum()))
    low, high = results.overall_conf_int
    if not all(math.isfinite(v) for v in (results.overall_att, low, high)):
        raise ImpactNotEstimable("the estimator found no usable comparison for the sponsored accounts")
    return float(results.overall_att) * scale, float(low) * scale, float(high) * scale


def _event_study(fit: _Fit) -> tuple[tuple[EventTime, ...], Any]:
    """Effects by quarter relative to the start (leads below 0), in revenue index points."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        container = fit.results.aggregate("event_study")
    table = container.to_dataframe()
    rows = []
    for e, effect, low, high in table[["event_time", "att", "conf_int_lower", "conf_int_upper"]].itertuples(
        index=False
    ):
        if all(math.isfinite(float(v)) for v in (effect, low, high)):
            rows.append(EventTime(int(e), round(float(effect), 3), round(float(low), 3), round(float(high), 3)))
    return tuple(rows), container


def _placebo(panel: _Panel, frame: pd.DataFrame, covariates: list[str], options: ImpactOptions) -> Interval:
    """Every start moved four quarters earlier, on the four quarters before the window's last four (before any
    real start). The cohorts whose moved start has a quarter before it are estimable."""
    moved = frame["cohort"] - PLACEBO_SHIFT
    usable = frame["treated"] & (moved >= 1)
    if usable.sum() < 2:
        return Interval(None, None, None)
    keep = (~frame["treated"]) | usable
    sub_frame = frame[keep].reset_index(drop=True)
    sub = _Panel(frame=sub_frame, index=panel.index[keep.to_numpy()], excluded={})
    long = _long(sub, sub_frame, periods=POST, shift=PLACEBO_SHIFT)
    try:
        fit = _fit(long, covariates, options)
        estimate, low, high = _nrr_effect(fit, moved[usable], last=POST - 1)
    except (ImpactNotEstimable, ValueError, np.linalg.LinAlgError):
        return Interval(None, None, None)
    return Interval(round(estimate, 3), round(low, 3), round(high, 3))


def _in_words(covariates: Sequence[str]) -> str:
    words = [COVARIATE_WORDS[c] for c in covariates]
    if not words:
        return "nothing"
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _summary(
    estimate: float,
    low: float,
    high: float,
    naive: float,
    treated: int,
    controls: int,
    cohorts: Sequence[Cohort],
    options: ImpactOptions,
) -> str:
    starts = ", ".join(f"{c.accounts} in {c.start_quarter}" for c in cohorts)
    comparison = "not yet or never sponsored" if options.control_group == "not_yet_treated" else "never sponsored"
    return (
        f"Sponsorship changed net revenue retention by {estimate:+.1f} points (95% interval {low:+.1f} to "
        f"{high:+.1f}) at the {treated} accounts whose first sponsorship started in the window ({starts}), "
        f"against {controls} accounts {comparison} in it, compared like for like on "
        f"{_in_words(options.covariates)}. "
        f"The plain difference of mean NRR is {naive:+.1f} points; the gap is how much of that comes from which "
        "accounts were chosen."
    )


def _assumptions(options: ImpactOptions) -> tuple[str, ...]:
    return (
        "Sponsored accounts were chosen; this estimate assumes that, among accounts alike in "
        f"{_in_words(options.covariates)}, sponsored and unsponsored ones would have grown alike "
        "had there been no program (conditional parallel trends).",
        "Nothing changed at an account because it was about to be sponsored (no anticipation).",
        "Every sponsored account has comparable unsponsored ones (overlap): see the balance table.",
        "One account's sponsorship does not change another account's revenue.",
    )


CANNOT_PROVE = (
    "It cannot rule out a reason for choosing an account that is not among the covariates and also drives its "
    "growth (a champion's enthusiasm, a known expansion plan): the placebo and the leads only show that none "
    "showed up before the program.",
    "Pre-period growth is itself a covariate, so the leads and the placebo are partly fitted by it: they test "
    "for a break in trend, not for a steady difference.",
    "Accounts whose sponsorships all ended are left out; if sponsorships end because accounts do badly, the "
    "estimate is too high.",
    "It says nothing about accounts unlike the sponsored ones (mostly large, growing accounts).",
)
