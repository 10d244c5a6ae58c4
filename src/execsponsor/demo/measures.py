"""The inputs health is computed from — monthly product usage and support tickets, CSAT/NPS answers — and the
product's own health computation over them, replayed month by month as it would have run.

The demo writes no health: each account has an underlying condition (0–1, never written) that its usage and
survey answers follow; the planted health drops are planted as inputs (satisfied survey answers throughout, then
usage falls and support tickets spike in the last two months, and the account's CEO — its sponsor counterpart —
went quiet three months ago, see effects.plan_quiet_champions). `compute_health` then has `insights.health`
score every account at each month end of the history and today, so every score and driver a user sees is the
product's.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from execsponsor.demo.plan import LINEAR_ENGAGEMENTS_UP_TO, Company
from execsponsor.demo.storage import insert_rows
from execsponsor.users.services import system_user

MONTHS = 24  # monthly usage for the two years the engagement history covers
REPLAY_MONTHS = 18  # month ends of health replayed before today's (the product keeps 18 months of snapshots)
REPLAY_MONTHS_LARGE = 3  # above LINEAR_ENGAGEMENTS_UP_TO accounts: each replay costs ~0.6 s per 1,000 accounts
# The planted drops: the share of seats still in use in the month before this one and in this one, and the
# support tickets as a multiple of the account's usual rate.
DROP_ADOPTION = (0.5, 0.05)
DROP_TICKETS = (3.0, 6.0)


def usage_months(as_of: dt.date) -> list[dt.date]:
    """The first day of the last `MONTHS` months, oldest first, ending with the month of `as_of`."""
    months, year, month = [], as_of.year, as_of.month
    for _ in range(MONTHS):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def replay_days(as_of: dt.date, months: int) -> list[dt.date]:
    """The last day of each of the `months` months before the month of `as_of`, oldest first, then `as_of`."""
    first = as_of.replace(day=1)
    ends = []
    for _ in range(months):
        end = first - dt.timedelta(days=1)
        ends.append(end)
        first = end.replace(day=1)
    return [*ends[::-1], as_of]


def plan_condition(company: Company) -> None:
    """Each account's underlying condition per month, 0–1: a stable level with a small monthly walk.

    55% are doing well (0.80–0.95), most others middling (0.58–0.78), the rest poorly (0.30–0.55), as are the
    accounts that are churning; the planted drops were doing well until their inputs fell."""
    a = company.arrays
    rng = company.rng("condition")
    n = company.size.accounts
    level = np.select(
        [rng.random(n) < 0.55, rng.random(n) < 0.67], [rng.uniform(0.80, 0.95, n), rng.uniform(0.58, 0.78, n)],
        default=rng.uniform(0.30, 0.55, n),
    )  # fmt: skip
    churn = np.flatnonzero(a["in_churn"])
    level[churn] = rng.uniform(0.30, 0.55, churn.size)
    drops = a["health_drop_accounts"]
    level[drops] = rng.uniform(0.88, 0.95, drops.size)
    walk = np.cumsum(rng.normal(0, 0.015, (n, MONTHS)), 1)
    a["condition"] = np.clip(level[:, None] + walk - walk.mean(1, keepdims=True), 0.05, 1.0)


def write_usage(company: Company) -> None:
    """Seats, active users, logins and support tickets per month; the planted drops' last two months fall."""
    a = company.arrays
    rng = company.rng("usage")
    n = company.size.accounts
    months = [m.isoformat() for m in usage_months(company.as_of)]
    seats = np.round(np.array([2000.0, 300.0, 40.0])[a["segment"]] * rng.lognormal(0, 0.5, n)).astype(np.int64) + 5
    in_use = np.clip(0.15 + 0.7 * a["condition"] + rng.normal(0, 0.03, (n, MONTHS)), 0.02, 1.0)
    usual_tickets = seats / 100 + 1
    tickets = rng.poisson(np.repeat(usual_tickets[:, None], MONTHS, 1))
    drops = a["health_drop_accounts"]
    in_use[drops, -2:] *= np.array(DROP_ADOPTION)
    tickets[drops, -2:] = rng.poisson(usual_tickets[drops, None] * np.array(DROP_TICKETS)) + 2
    active = np.maximum(np.round(seats[:, None] * in_use).astype(np.int64), 1)
    logins = np.round(active * rng.uniform(8, 20, (n, MONTHS))).astype(np.int64)
    pct = np.round(100 * active / seats[:, None], 2)
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
    """CSAT (1–5) in most quarters and NPS (0–10) twice a year, following each account's condition."""
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
    condition = a["condition"][account, month]
    score = np.where(
        is_nps,
        np.clip(np.round(0.5 + 10 * condition + rng.normal(0, 1.5, account.size)), 0, 10),
        np.clip(np.round(1 + 4 * condition + rng.normal(0, 0.6, account.size)), 1, 5),
    ).astype(np.int64)
    contact = a["contact_start"][account] + rng.integers(0, 1 << 30, account.size) % a["contact_count"][account]
    comment = rng.integers(0, len(COMMENTS), account.size)
    # The planted drops were doing well: their answers are replaced by a satisfied customer's (drawn apart, so
    # every other account's answers stay as they were).
    drop_csat = np.isin(csat_acc, a["health_drop_accounts"])
    drop_nps = np.isin(nps_acc, a["health_drop_accounts"]) & nps_keep
    satisfied = _satisfied_answers(company, csat_acc[drop_csat], csat_day[drop_csat], nps_acc[drop_nps],
                                   nps_day[drop_nps])  # fmt: skip
    others = ~np.isin(account, a["health_drop_accounts"])
    account, day, is_nps, score, contact, comment = (
        np.concatenate([column[others], extra])
        for column, extra in zip((account, day, is_nps, score, contact, comment), satisfied, strict=True)
    )
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


def _satisfied_answers(
    company: Company, csat_account: np.ndarray, csat_day: np.ndarray, nps_account: np.ndarray, nps_day: np.ndarray
) -> tuple[np.ndarray, ...]:
    """The planted drops' answers: a CSAT of 5 every quarter and an NPS of 9 or 10 (a promoter) when asked.

    An account doing well still gives the odd 7 (a passive) or 6 (a detractor) when its answers are drawn from
    its condition, and with one NPS answer in the 180-day window that alone takes CSAT/NPS to 50 or 0 and the
    account out of green; a CSAT answer every quarter keeps the measure present on every day scored, so it
    neither adds to nor takes from the planted fall. Returns account, day, is-NPS, score, contact, comment."""
    a = company.arrays
    rng = company.rng("satisfaction-drops")
    account = np.concatenate([csat_account, nps_account])
    is_nps = np.concatenate([np.zeros(csat_account.size, bool), np.ones(nps_account.size, bool)])
    score = np.where(is_nps, rng.integers(9, 11, account.size), 5)
    contact = a["contact_start"][account] + rng.integers(0, 1 << 30, account.size) % a["contact_count"][account]
    comment = rng.choice([0, 3, 5], account.size)  # none, or a kind word
    return account, np.concatenate([csat_day, nps_day]), is_nps, score, contact, comment


def compute_health(company: Company) -> list[dt.date]:
    """Have the product score every account at each month end of the history, oldest first, then today.

    `health_recompute` is replayed as of each day, so every snapshot holds that day's measures and the drivers
    of the change from the snapshot before; the last run also sets each account's score and band. Returns the
    days scored."""
    from execsponsor.insights.health import health_recompute

    large = company.size.accounts > LINEAR_ENGAGEMENTS_UP_TO
    days = replay_days(company.as_of, REPLAY_MONTHS_LARGE if large else REPLAY_MONTHS)
    for day in days[:-1]:
        health_recompute(today=day, update_accounts=False, by=system_user())
    health_recompute(today=days[-1], by=system_user())
    company.truth["health_scored_on"] = [d.isoformat() for d in days]
    return days
