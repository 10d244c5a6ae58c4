"""A matcher result in words: the pairs with their points and reasons, a decision for every live sponsorship.

`explain` writes the JSON document a MatchingRun keeps as its `result`."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from execsponsor.core import matching
from execsponsor.program.matching import cohort_services, inputs
from execsponsor.program.matching.problem import MatchingInputs
from execsponsor.users.models import Executive


def _labels(account_ids: set[int], executive_ids: set[int]) -> tuple[dict[str, dict], dict[str, dict]]:
    from execsponsor.customers.models import Account

    accounts = {
        str(pk): {"id": pk, "name": name, "external_id": ext or str(pk)}
        for pk, name, ext in Account.objects.filter(pk__in=account_ids).values_list("pk", "name", "external_id")
    }
    executives = {
        str(e.pk): {"id": e.pk, "name": str(e.user), "external_id": e.user.external_id or str(e.pk)}
        for e in Executive.objects.filter(pk__in=executive_ids).select_related("user")
    }
    return accounts, executives


CHANGE_ORDER = {"reassign": 0, "add": 1, "keep": 2}


@dataclass
class _Today:
    """What explaining a change from today needs, computed once per run."""

    executives: dict[str, matching.Executive]
    candidate_pairs: set[tuple[str, str]]  # (account, executive) candidates of accounts sponsored today
    loads: dict[str, matching.Load]
    live_load: Counter[str]


def _why_not_today(data: MatchingInputs, today: _Today, account: str, current: str, name: str, to: str | None) -> str:
    """Why the account moves away from (or loses) today's sponsor, in words."""
    executive = today.executives.get(current)
    if executive is None:
        return f"today's sponsor {name} is not available for this run"
    if (account, current) not in today.candidate_pairs:
        if (account, current) in data.forbidden:
            return f"today's sponsor {name} is forbidden for this account (conflict of interest)"
        return f"today's sponsor {name} does not meet the hard rules for this account (enforced on live sponsorships)"
    if today.live_load[current] > executive.capacity_max:
        return (
            f"{name} sponsors {today.live_load[current]} accounts today against a capacity of {executive.capacity_max}"
        )
    new = today.loads.get(to) if to else None
    if new is not None and new.load <= new.capacity_min:
        return f"the new sponsor needs it to reach their minimum capacity of {new.capacity_min}"
    load = today.loads.get(current)
    if load is not None and load.load >= load.capacity_max:
        return f"today's sponsor {name} is at capacity with accounts where they fit better"
    return f"a better total fit across the program than keeping {name}"


def explain(result: matching.MatchingResult, data: MatchingInputs) -> dict[str, Any]:
    """The run as JSON: the pairs with their points and reasons, and a decision for every live sponsorship."""
    live_by_account: dict[str, list[inputs.LiveSponsorship]] = defaultdict(list)
    live_load: Counter[str] = Counter()
    for sponsorship in data.live:
        live_by_account[str(sponsorship.account_id)].append(sponsorship)
        live_load[str(sponsorship.executive_id)] += 1
    account_labels, executive_labels = _labels(
        {int(a) for a in data.accounts},
        {int(e.id) for e in data.problem.executives} | {s.executive_id for s in data.live},
    )
    grandfathered = data.found.grandfathered
    sponsored_today = set(live_by_account)
    known = _Today(
        executives={e.id: e for e in data.problem.executives},
        candidate_pairs=matching.CandidateTable.of(data.problem.candidates).pairs_of(sponsored_today),
        loads={load.executive: load for load in result.executives},
        live_load=live_load,
    )
    pairs, decisions = [], []
    paired = {p.account: p for p in result.pairs}
    for pair in result.pairs:
        account = data.accounts[pair.account]
        today = [str(s.executive_id) for s in live_by_account.get(pair.account, [])]
        change = "keep" if pair.executive in today else ("reassign" if today else "add")
        reasons = list(data.fit.reasons(account, pair.executive))
        breaks = grandfathered.get((pair.account, pair.executive), ())
        if breaks:
            reasons.append(f"kept though it breaks a rule introduced since it began: {', '.join(breaks)}")
        pairs.append(
            {
                "account": account_labels[pair.account]["external_id"],
                "account_id": int(pair.account),
                "account_name": account_labels[pair.account]["name"],
                "executive": executive_labels[pair.executive]["external_id"],
                "executive_id": int(pair.executive),
                "executive_name": executive_labels[pair.executive]["name"],
                "score": pair.score,
                "points": data.fit.breakdown(account, pair.executive),
                "reasons": reasons,
                "change": change,
                "grandfathered": list(breaks),
                "current_executive_name": (
                    None if not today or change == "keep" else executive_labels[today[0]]["name"]
                ),
            }
        )
    unassigned = {u.account: u.reason for u in result.unassigned}
    for account_id, sponsorships in sorted(live_by_account.items(), key=lambda item: item[1][0].id):
        pair = paired.get(account_id)
        keeper = next((s for s in sponsorships if pair and str(s.executive_id) == pair.executive), None)
        handed_over = False
        for sponsorship in sponsorships:
            executive_id = str(sponsorship.executive_id)
            name = executive_labels[executive_id]["name"]
            entry: dict[str, Any] = {
                "sponsorship_id": sponsorship.id,
                "account_id": sponsorship.account_id,
                "account_name": account_labels[account_id]["name"],
                "executive_id": sponsorship.executive_id,
                "executive_name": name,
                "to_executive_id": None,
                "to_executive_name": None,
            }
            if sponsorship is keeper:
                breaks = grandfathered.get((account_id, executive_id), ())
                entry["change"] = "keep"
                entry["reason"] = (
                    f"kept: breaks {', '.join(breaks)}, a rule introduced since it began"
                    if breaks
                    else f"{name} sponsors it today and stays the best choice"
                )
            elif pair is not None and keeper is None and not handed_over:
                handed_over = True
                entry["change"] = "reassign"
                entry["to_executive_id"] = int(pair.executive)
                entry["to_executive_name"] = executive_labels[pair.executive]["name"]
                entry["reason"] = _why_not_today(data, known, account_id, executive_id, name, pair.executive)
            elif pair is not None:
                entry["change"] = "end"
                entry["reason"] = (
                    f"an account has one sponsor: {executive_labels[pair.executive]['name']} sponsors it in this run"
                )
            else:
                entry["change"] = "end"
                why = _why_not_today(data, known, account_id, executive_id, name, None)
                entry["reason"] = f"no sponsor in this run: {why}; {unassigned.get(account_id, 'left unassigned')}"
            decisions.append(entry)
    pairs.sort(key=lambda p: (CHANGE_ORDER[p["change"]], -p["score"], p["account_name"]))
    changes = Counter(d["change"] for d in decisions) + Counter(p["change"] for p in pairs if p["change"] == "add")
    return {
        "status": result.status,
        "objective": result.objective,
        "pairs": pairs,
        "unassigned": [
            {
                "account": account_labels[u.account]["external_id"],
                "account_id": int(u.account),
                "account_name": account_labels[u.account]["name"],
                "reason": u.reason,
            }
            for u in result.unassigned
        ],
        "executives": [
            {
                "executive": executive_labels[load.executive]["external_id"],
                "executive_id": int(load.executive),
                "executive_name": executive_labels[load.executive]["name"],
                "capacity_min": load.capacity_min,
                "capacity_max": load.capacity_max,
                "load": load.load,
                "live_today": live_load[load.executive],
            }
            for load in result.executives
        ],
        "below_minimum": [
            {
                "executive": executive_labels[b.executive]["external_id"],
                "executive_id": int(b.executive),
                "executive_name": executive_labels[b.executive]["name"],
                "load": b.load,
                "capacity_min": b.capacity_min,
                "reason": b.reason,
            }
            for b in result.below_minimum
        ],
        "sponsorships": decisions if result.status == "optimal" else [],
        "changes": {kind: changes.get(kind, 0) for kind in ("keep", "reassign", "end", "add")},
        "enforcing": _what_enforcing_would_do(decisions, data) if result.status == "optimal" else [],
        "enforced_on_live": data.enforcing,
        "infeasible_because": list(result.infeasible_because),
        "selection_draw": cohort_services.draw_document(data.draw),
    }


def _what_enforcing_would_do(decisions: list[dict], data: MatchingInputs) -> list[dict[str, Any]]:
    """For each hard rule some kept sponsorships break: how many enforcing it would reassign or end."""
    per_rule: Counter[str] = Counter()
    for decision in decisions:
        if decision["change"] == "keep":
            for rule in data.found.grandfathered.get((str(decision["account_id"]), str(decision["executive_id"])), ()):
                per_rule[rule] += 1
    return [
        {
            "rule": rule,
            "sponsorships": count,
            "text": f"enforcing {rule} would reassign or end {count} sponsorship{'s' if count != 1 else ''}",
        }
        for rule, count in sorted(per_rule.items(), key=lambda item: (-item[1], item[0]))
    ]
