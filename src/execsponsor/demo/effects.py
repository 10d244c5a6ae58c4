"""The planted effects: which accounts carry which known truth, the signals that hint at it, and the record
of it all (ProgramSetting "demo_truth") that tests and analytics check against. docs/demo.md explains each."""

from __future__ import annotations

import numpy as np

from execsponsor.demo import experiment
from execsponsor.demo.accounts import account_external_ids
from execsponsor.demo.measures import DROP_ADOPTION, DROP_TICKETS, usage_months
from execsponsor.demo.plan import Company
from execsponsor.demo.program import AT_RISK, OVERDUE
from execsponsor.demo.revenue import NRR_LIFT
from execsponsor.demo.storage import insert_rows

TRUTH_KEY = "demo_truth"


def plan_effects(company: Company) -> None:
    """Pick the accounts for single threading, champion departures, followed champions and health drops.

    They are drawn from accounts outside the NRR comparison (neither sponsored nor matched controls), except
    that a third of the departures happen at sponsored accounts, where they hurt most. The health drops are
    enterprise or mid-market accounts where there are enough (see `_larger_first`).
    """
    a, size = company.arrays, company.size
    rng = company.rng("effects")
    n = size.accounts
    busy = np.zeros(n, dtype=bool)
    for name in ("live", "ended_only", "controls", "experiment_band"):
        busy[a[name]] = True
    free = rng.permutation(np.flatnonzero(~busy))
    at_sponsored = size.champion_departures // 3
    take = [size.single_threaded, size.champion_departures - at_sponsored, size.followed_champions,
            size.health_drops, max(1, n // 100)]  # fmt: skip
    if sum(take) > free.size:
        raise ValueError(f"{n} accounts are too few for the planted effects; use at least 60")
    cuts = np.cumsum([0, *take])
    single, departures, follow, drops, churn = (free[cuts[i] : cuts[i + 1]] for i in range(5))
    drops = _larger_first(a["segment"], np.concatenate([drops, free[cuts[5] :]]), size.health_drops)
    running = np.setdiff1d(a["running"], a["paused"])
    departures = np.concatenate([rng.choice(running, at_sponsored, replace=False), departures])
    a.update(
        single_threaded=single,
        departure_accounts=departures,
        follow_accounts=follow,
        health_drop_accounts=drops,
    )
    a["in_churn"][churn] = True


def _larger_first(segment: np.ndarray, candidates: np.ndarray, k: int) -> np.ndarray:
    """The first `k` candidates that are enterprise or mid-market accounts, topped up in order with small ones.

    A small account files a ticket or two a month, so its support load swings between 25 and 100 from one
    month to the next and a planted ticket spike can hide in that noise; at a larger account it stands out
    against the account's own median, and the planted fall is 30 points or more."""
    larger = candidates[segment[candidates] < 2]
    return np.concatenate([larger, candidates[segment[candidates] == 2]])[:k]


def plan_threads(company: Company) -> None:
    """The one contact each single-threaded account still talks to: an active manager-or-above, not its CEO."""
    a = company.arrays
    thread = np.full(company.size.accounts, -1)
    for account in a["single_threaded"].tolist():
        rows = np.arange(a["contact_start"][account] + 1, a["contact_start"][account] + a["contact_count"][account])
        ok = rows[(a["contact_status"][rows] == 0) & (a["contact_level"][rows] <= 3)]
        thread[account] = int(ok[0] if ok.size else rows[0])
    a["thread_of"] = thread


def plan_counterparts(company: Company) -> None:
    """Each account's sponsor counterpart: one of its C-level contacts (they come first in each account)."""
    a = company.arrays
    rng = company.rng("counterparts")
    original = a["contact_account"][: a["contact_start"][-1] + a["contact_count"][-1]]
    c_levels = np.bincount(original[a["contact_level"][: original.size] == 0], minlength=company.size.accounts)
    a["counterpart_of"] = a["contact_start"] + (rng.random(company.size.accounts) * c_levels).astype(np.int64)


def plan_quiet_champions(company: Company) -> None:
    """At each planted health drop the CEO — the account's sponsor counterpart and its only CEO/COO — was met
    every two to four weeks and then went quiet 95–100 days ago: they are still there, nobody talks to them."""
    a = company.arrays
    rng = company.rng("quiet-champions")
    drops = a["health_drop_accounts"]
    ceo = a["contact_start"][drops]
    a["counterpart_of"][drops] = ceo
    a["contact_silent_after"][ceo] = rng.integers(95, 101, drops.size)
    a["quiet_champions"] = ceo


def write_signals(company: Company) -> None:
    """Evidence a departure detector can find: bounces and auto-replies for departed champions and job changes
    (from an enrichment feed) for the followed ones. Health drops leave no signal here: the product computes
    health from the usage, tickets and engagements the demo writes."""
    a, lists = company.arrays, company.lists
    rows = []
    followed = set(a["departed_contacts"][: company.size.followed_champions].tolist())
    follow_targets = dict(zip(a["departed_contacts"].tolist(), a["follow_accounts"].tolist(), strict=False))
    for k, contact in enumerate(a["departed_contacts"].tolist()):
        account = int(a["contact_account"][contact])
        email = lists["contact_email"][contact]
        seen = max(1, int(a["contact_status_days"][contact]) - 2)
        external = f"DEMO-CON-{contact + 1:07d}"
        if k % 3 != 2:
            detail = '{"status": "5.1.1", "diagnostic": "550 5.1.1 <%s>: Recipient address rejected: User unknown"}'
            rows.append(("hard_bounce", "email", account, contact, email, detail % email, 0.9, seen, external))
        else:
            detail = '{"text": "I have left the company. Please contact our procurement team instead."}'
            rows.append(("departure_notice", "email", account, contact, email, detail, 1.0, seen, external))
        if contact in followed:
            target = follow_targets[contact]
            new_company = lists["account_name"][target]
            detail = '{{"new_company": "{}", "new_domain": "{}", "new_title": "Vice President"}}'.format(
                new_company.replace('"', ""),
                lists["account_domain"][target],
            )
            rows.append(("job_change", "enrichment", account, contact, email, detail, 1.0, max(1, seen - 3), external))
    stamp = company.as_of.isoformat()
    insert_rows(
        "signals_signal",
        (
            "id",
            "kind",
            "source",
            "account_id",
            "contact_id",
            "email",
            "detail",
            "weight",
            "observed_at",
            "dedupe_key",
            "created_at",
        ),  # fmt: skip
        (
            (
                i + 1,
                kind,
                source,
                account + 1,
                None if contact is None else contact + 1,
                email,
                detail,
                weight,
                f"{company.iso(days)} 07:00:00",
                f"demo:{kind}:{key}",
                f"{stamp} 06:00:00",
            )
            for i, (kind, source, account, contact, email, detail, weight, days, key) in enumerate(rows)
        ),  # fmt: skip
    )


def contact_external_id(position: int) -> str:
    return f"DEMO-CON-{int(position) + 1:07d}"


def _nrr_truth(company: Company) -> dict[str, object]:
    """The causal lift planted (+6 points at every sponsored account) and what the plain comparisons show: the
    program chose fast-growing, larger accounts, so they overstate it."""
    a = company.arrays
    revenue = a["revenue"]
    nrr = 100 * revenue[:, 4:].sum(1) / revenue[:, :4].sum(1)
    unsponsored = np.ones(company.size.accounts, dtype=bool)
    unsponsored[a["running"]] = False
    unsponsored[a["ended_only"]] = False  # the impact analysis leaves them out of both groups
    quarters = company.truth["quarters"]
    starts = a["sponsorship_start_quarter"][a["running"]]
    return {
        "lift_points": round(NRR_LIFT * 100),
        "sponsored": account_external_ids(a["running"]),
        "controls": account_external_ids(a["controls"]),
        "start_quarters": {quarters[q]: int((starts == q).sum()) for q in sorted(set(starts.tolist()))},
        "naive_points_vs_controls": round(float(nrr[a["running"]].mean() - nrr[a["controls"]].mean()), 2),
        "naive_points_vs_unsponsored": round(float(nrr[a["running"]].mean() - nrr[unsponsored].mean()), 2),
        "pre_growth_points": {
            "sponsored": round(float(100 * a["pre_growth"][a["running"]].mean()), 2),
            "controls": round(float(100 * a["pre_growth"][a["controls"]].mean()), 2),
        },
    }


def record_truth(company: Company) -> dict[str, object]:
    """Machine-readable truth, by external id, saved as the ProgramSetting "demo_truth"."""
    from execsponsor.program.models import ProgramSetting

    a, size = company.arrays, company.size
    executive_username = company.lists["executive_usernames"]
    sponsorships = company.sponsorships
    state_accounts = {state: np.flatnonzero(a["cadence_state"] == state) for state in (OVERDUE, AT_RISK)}
    truth = {
        **company.truth,
        "seed": company.seed,
        "accounts": size.accounts,
        "as_of": company.as_of.isoformat(),
        "sign_in": company.sign_in,
        "counts": {k: int(v) for k, v in company.truth.get("counts", {}).items()},
        "nrr": _nrr_truth(company),
        "experiment": experiment.truth(company),
        "champion_departures": [
            {
                "contact": contact_external_id(c),
                "account": account_external_ids([a["contact_account"][c]])[0],
                "left_on": company.iso(int(a["contact_status_days"][c])),
                "silent_since": company.iso(int(a["contact_silent_after"][c])),
            }
            for c in a["departed_contacts"].tolist()
        ],
        "followed_champions": [
            {
                "contact": contact_external_id(old),
                "new_contact": contact_external_id(new),
                "new_account": account_external_ids([a["contact_account"][new]])[0],
            }
            for old, new in zip(a["departed_contacts"].tolist(), a["followed_new_contacts"].tolist(), strict=False)
        ],
        "single_threaded": account_external_ids(a["single_threaded"]),
        "overloaded_executives": [
            {
                "username": executive_username[e],
                "live_sponsorships": int(a["executive_load"][e]),
                "capacity_max": int(a["executive_capacity_max"][e]),
            }
            for e in a["overloaded"].tolist()
        ],
        "cadence_overdue": account_external_ids(state_accounts[OVERDUE]),
        "cadence_at_risk": account_external_ids(state_accounts[AT_RISK]),
        "health_drops": account_external_ids(a["health_drop_accounts"]),
        "health_drop_inputs": [
            {
                "account": account_external_ids([account])[0],
                "quiet_contact": contact_external_id(ceo),
                "quiet_since": company.iso(int(a["contact_silent_after"][ceo])),
                "usage_falls_from": usage_months(company.as_of)[-2].isoformat(),
                "seats_in_use_factor": list(DROP_ADOPTION),
                "tickets_factor": list(DROP_TICKETS),
            }
            for account, ceo in zip(a["health_drop_accounts"].tolist(), a["quiet_champions"].tolist(), strict=True)
        ],
        "in_churn": account_external_ids(np.flatnonzero(a["in_churn"])),
        "sponsorships": len(sponsorships),
    }
    ProgramSetting.objects.update_or_create(key=TRUTH_KEY, defaults={"value": truth})
    return truth
