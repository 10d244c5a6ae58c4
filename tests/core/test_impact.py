"""core/impact.py against hand computations: on one start quarter for everyone, Callaway–Sant'Anna without
covariates is the plain 2×2 difference-in-differences, which we compute here from means, by hand."""

from __future__ import annotations

import math
from statistics import mean

import numpy as np
import pandas as pd
import pytest

from execsponsor.core.impact import ImpactNotEstimable, ImpactOptions, estimate_impact, pre_period_growth

QUARTERS = 8
START = 4  # every sponsored account starts in the window's fifth quarter


def _fixture(accounts: int = 80, seed: int = 3):
    """Revenue for `accounts` accounts over 8 quarters; the first half sponsored from quarter 4 with a lift."""
    rng = np.random.default_rng(seed)
    rows, info = [], []
    for k in range(accounts):
        treated = k < accounts // 2
        base = float(rng.lognormal(11, 0.5))
        growth = 1 + float(rng.normal(0.015 if treated else 0.01, 0.01))
        for q in range(QUARTERS):
            value = base * growth**q * (1 + float(rng.normal(0, 0.02)))
            if treated and q >= START:
                value *= 1.05 + 0.01 * (q - START)
            rows.append({"account": k, "period": 100 + q, "revenue": value})
        info.append(
            {
                "account": k,
                "first_start": 100.0 + START if treated else math.nan,
                "segment": "enterprise",
                "industry": "Retail",
            }
        )
    return pd.DataFrame(rows), pd.DataFrame(info)


def _by_hand(revenue: pd.DataFrame, accounts: pd.DataFrame):
    """Per account: the index (100 × revenue / mean revenue of quarters 0–3) and NRR, from plain lists."""
    series: dict[int, list[float]] = {}
    for row in revenue.sort_values(["account", "period"]).itertuples():
        series.setdefault(int(row.account), []).append(float(row.revenue))
    treated = {int(r.account) for r in accounts.itertuples() if not math.isnan(r.first_start)}
    index = {a: [100 * v / (sum(s[:4]) / 4) for v in s] for a, s in series.items()}
    nrr = {a: sum(s[4:]) / sum(s[:4]) for a, s in series.items()}
    return index, nrr, treated


def test_without_covariates_it_is_the_two_by_two_difference_in_differences():
    revenue, accounts = _fixture()
    index, nrr, treated = _by_hand(revenue, accounts)
    t = [a for a in index if a in treated]
    c = [a for a in index if a not in treated]
    # NRR × 100 is the mean index over the last four quarters; the 2×2 DiD from the quarter before the start.
    change = {a: 100 * nrr[a] - index[a][START - 1] for a in index}
    expected = mean(change[a] for a in t) - mean(change[a] for a in c)

    result = estimate_impact(revenue, accounts, options=ImpactOptions(covariates=(), bootstrap=0))

    assert result.estimate == pytest.approx(expected, abs=1e-3)
    assert result.ci_low < expected < result.ci_high
    assert result.treated == len(t) and result.controls == len(c)


def test_the_event_study_quarter_by_quarter_is_the_2x2_of_that_quarter():
    revenue, accounts = _fixture()
    index, _, treated = _by_hand(revenue, accounts)
    t = [a for a in index if a in treated]
    c = [a for a in index if a not in treated]

    result = estimate_impact(revenue, accounts, options=ImpactOptions(covariates=(), bootstrap=0))

    by_quarter = {row.relative_quarter: row.estimate for row in result.event_study}
    for e in range(QUARTERS - START):
        q = START + e
        expected = mean(index[a][q] - index[a][START - 1] for a in t) - mean(
            index[a][q] - index[a][START - 1] for a in c
        )
        assert by_quarter[e] == pytest.approx(expected, abs=1e-3)
    # leads compare each quarter with the one before it (varying base period)
    expected_lead = mean(index[a][START - 1] - index[a][START - 2] for a in t) - mean(
        index[a][START - 1] - index[a][START - 2] for a in c
    )
    assert by_quarter[-1] == pytest.approx(expected_lead, abs=1e-3)


def test_the_naive_estimate_is_the_difference_of_mean_nrr_in_points():
    revenue, accounts = _fixture()
    _, nrr, treated = _by_hand(revenue, accounts)
    sponsored = [v for a, v in nrr.items() if a in treated]
    others = [v for a, v in nrr.items() if a not in treated]
    expected = 100 * (mean(sponsored) - mean(others))

    result = estimate_impact(revenue, accounts, options=ImpactOptions(covariates=(), bootstrap=0))

    assert result.naive_estimate == pytest.approx(expected, abs=1e-3)


def test_the_placebo_needs_a_quarter_before_the_moved_start():
    revenue, accounts = _fixture()
    result = estimate_impact(revenue, accounts, options=ImpactOptions(covariates=(), bootstrap=0))
    assert result.placebo.estimate is None  # everyone started in the window's first quarter: moved to quarter 0
    assert result.cohorts[0].accounts == 40


def test_growth_is_the_annualised_log_slope():
    quarterly = 1.02
    revenue = np.array([[100 * quarterly**q for q in range(4)]])
    assert pre_period_growth(revenue)[0] == pytest.approx(4 * math.log(quarterly))


def test_accounts_sponsored_before_the_window_and_incomplete_revenue_are_left_out_and_counted():
    revenue, accounts = _fixture()
    accounts.loc[0, "first_start"] = 101.0
    revenue = revenue[~((revenue.account == 1) & (revenue.period == 103))]
    result = estimate_impact(revenue, accounts, options=ImpactOptions(covariates=(), bootstrap=0))
    assert result.treated == 38
    assert result.excluded == {
        "revenue missing or zero in a quarter of the window": 1,
        "sponsored before the window's last four quarters": 1,
    }


def test_too_few_quarters_is_a_clear_error():
    revenue, accounts = _fixture()
    with pytest.raises(ImpactNotEstimable, match="8 consecutive quarters"):
        estimate_impact(revenue[revenue.period < 105], accounts)


def test_no_sponsored_account_is_a_clear_error():
    revenue, accounts = _fixture()
    accounts["first_start"] = math.nan
    with pytest.raises(ImpactNotEstimable, match="0 sponsored"):
        estimate_impact(revenue, accounts)


def test_unknown_covariates_are_refused():
    revenue, accounts = _fixture()
    with pytest.raises(ImpactNotEstimable, match="unknown covariates: mood"):
        estimate_impact(revenue, accounts, options=ImpactOptions(covariates=("mood",)))
