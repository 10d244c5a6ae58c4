"""Monthly health snapshots and usage, CSAT/NPS answers; a few accounts' health drops sharply."""

from __future__ import annotations

import datetime as dt

import numpy as np

from execsponsor.demo.plan import Company
from execsponsor.demo.storage import insert_rows

MONTHS = 12
DROP_DRIVERS = '["Product logins fell by half in two months", "Two escalated support tickets", "Champion went quiet"]'


def band_of(score: np.ndarray) -> np.ndarray:
    """0–50 red, 51–75 yellow, 76–100 green."""
    return np.where(score <= 50, "red", np.where(score <= 75, "yellow", "green"))


def snapshot_months(as_of: dt.date) -> list[dt.date]:
    """The first day of the last twelve months, oldest first, ending with the month of `as_of`."""
    months, year, month = [], as_of.year, as_of.month
    for _ in range(MONTHS):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def plan_health(company: Company) -> None:
    """Scores per account and month: a stable level with a small monthly walk; planted drops fall 30+ points."""
    a = company.arrays
    rng = company.rng("health")
    n = company.size.accounts
    level = np.select(
        [rng.random(n) < 0.55, rng.random(n) < 0.67], [rng.uniform(78, 95, n), rng.uniform(55, 75, n)],
        default=rng.uniform(25, 50, n),
    )  # fmt: skip
    drops = a["health_drop_accounts"]
    level[drops] = rng.uniform(82, 92, drops.size)
    walk = np.cumsum(rng.normal(0, 2.5, (n, MONTHS)), 1)
    score = np.clip(np.round(level[:, None] + walk - walk.mean(1, keepdims=True)), 0, 100)
    score[drops, :-2] = np.clip(score[drops, :-2], 78, 100)
    score[drops, -2] = score[drops, -3] - rng.integers(12, 18, drops.size)
    score[drops, -1] = score[drops, -3] - rng.integers(35, 45, drops.size)
    a["health"] = score.astype(np.int64)
    a["health_score"] = a["health"][:, -1]
    company.lists["health_band"] = band_of(a["health_score"]).tolist()


def write_health(company: Company) -> None:
    a = company.arrays
    rng = company.rng("health-measures")
    health = a["health"]
    n = company.size.accounts
    months = [m.isoformat() for m in snapshot_months(company.as_of)]
    is_drop = np.zeros(n, dtype=bool)
    is_drop[a["health_drop_accounts"]] = True
    noise = rng.normal(0, 6, (n, MONTHS, 4))
    parts = np.clip(np.round(health[:, :, None] + noise), 0, 100).astype(np.int64).reshape(-1, 4).tolist()
    dropping = np.zeros((n, MONTHS), dtype=bool)
    dropping[is_drop, -2:] = True
    rows = zip(
        range(1, n * MONTHS + 1),
        np.repeat(np.arange(1, n + 1), MONTHS).tolist(),
        months * n,
        health.reshape(-1).tolist(),
        band_of(health).reshape(-1).tolist(),
        [f'{{"usage": {u}, "satisfaction": {s}, "engagement": {e}, "support": {t}}}' for u, s, e, t in parts],
        [DROP_DRIVERS if d else "[]" for d in dropping.reshape(-1).tolist()],
        strict=True,
    )
    insert_rows(
        "insights_healthsnapshot", ("id", "account_id", "taken_on", "score", "band", "measures", "drivers"), rows
    )


def write_usage(company: Company) -> None:
    a = company.arrays
    rng = company.rng("usage")
    n = company.size.accounts
    months = [m.isoformat() for m in snapshot_months(company.as_of)]
    seats = np.round(np.array([2000.0, 300.0, 40.0])[a["segment"]] * rng.lognormal(0, 0.5, n)).astype(np.int64) + 5
    adoption = np.clip(0.25 + 0.6 * a["health"] / 100 + rng.normal(0, 0.05, (n, MONTHS)), 0.02, 1.0)
    active = np.round(seats[:, None] * adoption).astype(np.int64)
    logins = np.round(active * rng.uniform(8, 20, (n, MONTHS))).astype(np.int64)
    drops = a["health_drop_accounts"]
    logins[drops, -2:] = (logins[drops, -3:-2] * np.array([0.6, 0.45])).astype(np.int64)
    tickets = rng.poisson(seats[:, None] / 100 + 1, (n, MONTHS))
    pct = np.round(adoption * 100, 2)
    rows = zip(
        range(1, n * MONTHS + 1),
        np.repeat(np.arange(1, n + 1), MONTHS).tolist(),
        months * n,
        np.repeat(seats, MONTHS).tolist(),
        active.reshape(-1).tolist(),
        logins.reshape(-1).tolist(),
        tickets.reshape(-1).tolist(),
        pct.reshape(-1).tolist(),
        strict=True,
    )
    insert_rows(
        "customers_usagefigure",
        ("id", "account_id", "month", "licensed_seats", "active_users", "logins", "support_tickets", "adoption_pct"),
        rows,
    )


COMMENTS = ("", "", "", "Great support team.", "Reporting is still too slow.", "The new release helped a lot.",
            "Onboarding took longer than promised.")  # fmt: skip


def write_satisfaction(company: Company) -> None:
    """CSAT (1–5) in most quarters and NPS (0–10) twice a year, tracking each account's health."""
    a = company.arrays
    rng = company.rng("satisfaction")
    n = company.size.accounts
    csat_acc = np.repeat(np.arange(n), 8)
    csat_day = np.tile(np.arange(8), n) * 91 + rng.integers(5, 85, csat_acc.size)
    csat_keep = rng.random(csat_acc.size) < 0.6
    nps_acc = np.repeat(np.arange(n), 4)
    nps_day = np.tile(np.arange(4), n) * 182 + rng.integers(5, 170, nps_acc.size)
    nps_keep = rng.random(nps_acc.size) < 0.7
    account = np.concatenate([csat_acc[csat_keep], nps_acc[nps_keep]])
    day = np.concatenate([csat_day[csat_keep], nps_day[nps_keep]])
    is_nps = np.concatenate([np.zeros(csat_keep.sum(), bool), np.ones(nps_keep.sum(), bool)])
    month = np.clip(MONTHS - 1 - day // 30, 0, MONTHS - 1)
    health = a["health"][account, month]
    score = np.where(
        is_nps,
        np.clip(np.round(health / 10 + rng.normal(0, 1.5, account.size)), 0, 10),
        np.clip(np.round(1 + 4 * health / 100 + rng.normal(0, 0.6, account.size)), 1, 5),
    ).astype(np.int64)
    contact = a["contact_start"][account] + rng.integers(0, 1 << 30, account.size) % a["contact_count"][account]
    comment = rng.integers(0, len(COMMENTS), account.size)
    rows = zip(
        range(1, account.size + 1),
        (account + 1).tolist(),
        (contact + 1).tolist(),
        np.where(is_nps, "nps", "csat").tolist(),
        score.tolist(),
        [company.iso(d) for d in day.tolist()],
        [COMMENTS[k] for k in comment.tolist()],
        ["demo"] * account.size,
        [""] * account.size,
        strict=True,
    )
    insert_rows(
        "customers_satisfactionresponse",
        ("id", "account_id", "contact_id", "kind", "score", "responded_on", "comment", "source", "external_id"),
        rows,
    )
