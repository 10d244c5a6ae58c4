"""Quarterly revenue with the planted sponsorship lift, and opportunities."""

from __future__ import annotations

import json

import numpy as np

from execsponsor.core.impact import pre_period_growth
from execsponsor.demo import vocabulary as words
from execsponsor.demo.plan import Company, quarter_start, quarters_before
from execsponsor.demo.storage import insert_rows

NRR_LIFT = 0.06  # sponsored accounts: +6 NRR points against their own unsponsored path
MEAN_NRR = np.array([1.08, 1.05, 1.01])  # by segment, annual


def plan_paths(company: Company) -> None:
    """Eight quarters per account as they would be without the program, drawn before the program chooses its
    accounts: the program sees the first four (the year before it started) when it chooses. Also records what
    it sees: that year's revenue (its ARR) and growth (`core.impact.pre_period_growth`)."""
    a = company.arrays
    rng = company.rng("revenue")
    n = company.size.accounts
    a["annual_growth"] = MEAN_NRR[a["segment"]] + rng.normal(0, 0.03, n)
    a["revenue_noise"] = 1 + rng.normal(0, 0.01, (n, 8))
    revenue = _paths(a["arr_drawn"], a["annual_growth"], a["revenue_noise"])
    a["revenue_without_program"] = revenue
    a["pre_arr"] = revenue[:, :4].sum(1)
    a["pre_growth"] = pre_period_growth(revenue[:, :4])


def _paths(arr: np.ndarray, annual: np.ndarray, noise: np.ndarray) -> np.ndarray:
    steps = np.arange(8) - 7
    return (arr / 4)[:, None] * (annual ** (1 / 4))[:, None] ** steps[None, :] * noise


def plan_revenue(company: Company) -> None:
    """The revenue written: churning accounts (chosen after the program, among accounts it did not choose) decline
    at 60–80% a year; sponsored accounts get revenue added from their sponsorship's start quarter, sized so that
    their NRR (last 4 quarters / the 4 before) is exactly 6 points above their own path without it.
    """
    a = company.arrays
    rng = company.rng("churn")
    churn = a["in_churn"]
    revenue = a["revenue_without_program"].copy()
    annual = a["annual_growth"].copy()
    annual[churn] = rng.uniform(0.6, 0.8, churn.sum())
    revenue[churn] = _paths(a["arr_drawn"][churn], annual[churn], a["revenue_noise"][churn])
    a["nrr_without_program"] = revenue[:, 4:].sum(1) / revenue[:, :4].sum(1)
    start = a["sponsorship_start_quarter"]
    treated = np.flatnonzero(start >= 0)
    affected = np.arange(8)[None, :] >= start[treated][:, None]
    added = NRR_LIFT * revenue[treated, :4].sum(1)
    lift = added / (revenue[treated] * affected).sum(1)
    revenue[treated] *= 1 + lift[:, None] * affected
    revenue = np.round(revenue, 2)
    a["revenue"] = revenue
    a["arr"] = np.round(revenue[:, 7] * 4, 2)


def write_revenue(company: Company) -> None:
    a = company.arrays
    n = company.size.accounts
    quarters = quarters_before(company.as_of, 8)
    revenue = a["revenue"].reshape(-1)
    rows = zip(
        range(1, n * 8 + 1),
        np.repeat(np.arange(1, n + 1), 8).tolist(),
        [y for _ in range(n) for y, _ in quarters],
        [q for _ in range(n) for _, q in quarters],
        revenue.tolist(),
        np.round(revenue * 4, 2).tolist(),
        ["demo"] * (n * 8),
        strict=True,
    )
    insert_rows(
        "customers_quarterlyrevenue", ("id", "account_id", "year", "quarter", "revenue", "arr_end", "source"), rows
    )


STAGE_OPEN_SHARES = (0.25, 0.3, 0.25, 0.2)


def write_opportunities(company: Company) -> None:
    """About 3.6 opportunities per account over two years, each in a capability area of its account's plan.

    These are the ordinary ones: at the accounts in the program they were first recorded at Proposal (they came
    through a request for proposal), elsewhere at Prospecting; none is flagged as begun in an executive
    conversation. The opportunities that did begin with a sponsor, and those outside the plan, are planted later
    (demo/success.py), once the sponsors' engagements exist."""
    a = company.arrays
    rng = company.rng("opportunities")
    per_account = rng.poisson(np.array([8.0, 4.0, 2.0])[a["segment"]])
    account = np.repeat(np.arange(company.size.accounts), per_account)
    count = account.size
    opened = rng.integers(1, 720, count)
    closed = (opened > 120) | (rng.random(count) < 0.15)
    won = closed & (rng.random(count) < 0.45)
    close_days = np.where(closed, opened - rng.integers(20, 120, count), -rng.integers(10, 200, count))
    close_days = np.where(closed, np.maximum(close_days, 1), close_days)
    open_stage = rng.choice(4, count, p=STAGE_OPEN_SHARES)
    stage = np.where(closed, np.where(won, 4, 5), open_stage)
    kind = rng.choice(3, count, p=[0.25, 0.5, 0.25])
    area = rng.integers(0, len(words.CAPABILITY_AREAS), count)
    amount = np.round(a["arr"][account] * rng.lognormal(-1.2, 0.6, count), -2)
    in_program = np.zeros(company.size.accounts, dtype=bool)
    in_program[[row["account"] for row in company.sponsorships]] = True
    plans = account_plans(company)
    a["opportunity_account"] = account
    names = company.lists["account_short_name"]
    owner = a["owner"][account].tolist()
    close_on = [company.iso(d) for d in close_days.tolist()]
    opened_on = [company.iso(d) for d in opened.tolist()]
    updated_days = np.where(closed, np.maximum(close_days, 0), 1).tolist()
    area_names = [plans[acc][k % len(plans[acc])] for acc, k in zip(account.tolist(), area.tolist(), strict=True)]
    opened_stage = np.where(in_program[account], "Proposal", "Prospecting").tolist()
    kind_names = [words.OPPORTUNITY_KINDS[k] for k in kind.tolist()]
    rows = zip(
        range(1, count + 1),
        (account + 1).tolist(),
        ["demo"] * count,
        [f"DEMO-OPP-{i:07d}" for i in range(1, count + 1)],
        [
            f"{names[acc]} – {ar} {kd}" for acc, ar, kd in zip(account.tolist(), area_names, kind_names, strict=True)
        ],  # fmt: skip
        [words.OPPORTUNITY_STAGES[k] for k in stage.tolist()],
        closed.tolist(),
        won.tolist(),
        amount.tolist(),
        ["USD"] * count,
        close_on,
        opened_on,
        kind_names,
        area_names,
        opened_stage,
        [False] * count,
        owner,
        [f"{d} 11:00:00" for d in opened_on],
        [f"{company.iso(d)} 11:00:00" for d in updated_days],
        strict=True,
    )
    insert_rows(
        "customers_opportunity",
        (
            "id",
            "account_id",
            "source",
            "external_id",
            "name",
            "stage",
            "is_closed",
            "is_won",
            "amount",
            "currency",
            "close_date",
            "opened_on",
            "kind",
            "capability_area",
            "opened_stage",
            "began_in_executive_conversation",
            "owner_id",
            "created_at",
            "updated_at",
        ),  # fmt: skip
        rows,
    )


def account_plans(company: Company) -> list[list[str]]:
    """Each account's plan: the capability areas in use, then those planned (never empty: one is in use)."""
    in_use, planned = company.lists["capability_areas_in_use"], company.lists["capability_areas_planned"]
    return [json.loads(u) + json.loads(p) for u, p in zip(in_use, planned, strict=True)]


def quarter_start_days_ago(company: Company, index: int) -> int:
    year, quarter = quarters_before(company.as_of, 8)[index]
    return (company.as_of - quarter_start(year, quarter)).days
