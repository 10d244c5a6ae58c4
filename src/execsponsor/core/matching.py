"""Assign executives to accounts, maximising total fit under hard constraints, as a min-cost flow.

The model (what "provably optimal" refers to):

* every account gets at most one sponsor from its candidate executives (pairs that passed the hard
  constraints), or stays unassigned;
* every executive ends with at most ``capacity_max`` accounts, counting the sponsorships they keep outside
  this problem (``kept_load``);
* the minimum capacity is soft by default: every account an executive is short of ``capacity_min`` costs
  ``MINIMUM_PENALTY`` points, more than any fit, so minimums are met whenever the hard rules allow and a
  proposal exists even when they cannot all be met. With ``hard_minimum`` it is a constraint instead;
* locked pairs are assigned; forbidden pairs are never candidates;
* the objective is the total fit of the chosen pairs, minus a load-balance cost that rises by
  ``load_balance`` for every further account an executive carries (convex, so it spreads work), minus the
  shortfall penalty;
* among assignments of equal objective, the one keeping most ``preferred`` pairs wins, so a what-if
  changes only what it must.

Source → account (1) → executive (one arc per candidate, cost −fit) → sink through one unit arc per
capacity slot with rising cost (slots below the minimum carry the penalty as a bonus); an account → sink
arc of cost 0 lets an account stay unassigned. Costs are integers (fit × SCALE), multiplied by more than
the number of accounts when there is a tie-break, so the flow's integral optimum is the exact optimum of
this model.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow

SCALE = 1000  # fit points are kept to 1/1000 when turned into integer costs
MINIMUM_PENALTY = 1000.0  # points per account an executive is short of their minimum: more than any fit


@dataclass(frozen=True)
class Executive:
    id: str
    capacity_min: int = 3
    capacity_max: int = 5
    kept_load: int = 0
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass(frozen=True)
class Candidate:
    """A pair that passed the hard constraints, with its fit (0–100) and the reasons behind it, in words."""

    account: str
    executive: str
    fit: float
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatchingProblem:
    accounts: Sequence[str]
    executives: Sequence[Executive]
    candidates: Sequence[Candidate]
    locked: Sequence[tuple[str, str]] = ()
    load_balance: float = 0.0
    enforce_minimum: bool = True  # False: the minimum capacity plays no part (the quarterly rebalance)
    hard_minimum: bool = False  # True: a run that cannot meet every minimum is infeasible
    # Pairs to keep when that costs nothing: the run a what-if starts from, or today's sponsorships.
    preferred: Collection[tuple[str, str]] = frozenset()
    # Why each account lost executives to the hard constraints, e.g. {"acc-7": ["no executive speaks ja"]}.
    exclusions: Mapping[str, Sequence[str]] = field(default_factory=dict)
    account_names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Pair:
    account: str
    executive: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Unassigned:
    account: str
    reason: str


@dataclass(frozen=True)
class Load:
    executive: str
    capacity_min: int
    capacity_max: int
    load: int


@dataclass(frozen=True)
class BelowMinimum:
    executive: str
    load: int
    capacity_min: int
    reason: str


@dataclass(frozen=True)
class MatchingResult:
    status: str  # "optimal" or "infeasible"
    objective: float
    pairs: tuple[Pair, ...]
    unassigned: tuple[Unassigned, ...]
    executives: tuple[Load, ...]
    infeasible_because: tuple[str, ...] = ()
    below_minimum: tuple[BelowMinimum, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def slot_costs(executive: Executive, load_balance: float) -> list[int]:
    """Integer cost of the 1st, 2nd, … account this problem may add to `executive` (rising, convex)."""
    step = round(load_balance * SCALE)
    first = executive.kept_load
    return [step * (first + j) for j in range(max(0, executive.capacity_max - executive.kept_load))]


def minimum_to_add(executive: Executive, enforce_minimum: bool) -> int:
    if not enforce_minimum:
        return 0
    return max(0, min(executive.capacity_min, executive.capacity_max) - executive.kept_load)


def integer_fit(fit: float) -> int:
    return round(fit * SCALE)


def match(problem: MatchingProblem) -> MatchingResult:
    """Solve the problem exactly. Same input, same output."""
    accounts = sorted(set(problem.accounts))
    executives = sorted({e.id: e for e in problem.executives}.values(), key=lambda e: e.id)
    candidates = _usable_candidates(problem, set(accounts), {e.id for e in executives})

    problems = _obvious_infeasibility(problem, accounts, executives, candidates)
    if problems:
        return _infeasible(problem, executives, problems)

    account_index = {a: i for i, a in enumerate(accounts)}
    executive_index = {e.id: i for i, e in enumerate(executives)}
    n_accounts, n_executives = len(accounts), len(executives)
    source, sink = 0, 1
    account_node = 2 + np.arange(n_accounts)
    executive_node = 2 + n_accounts + np.arange(n_executives)

    locked_accounts = {a for a, _ in problem.locked}
    free_accounts = np.array([account_index[a] for a in accounts if a not in locked_accounts], dtype=np.int64)

    preferred = set(problem.preferred)
    # Every real cost is multiplied by more than the number of preferred pairs that can be chosen, and each
    # preferred pair is one unit cheaper: ties go to the preferred pairs, and nothing else changes.
    tie = n_accounts + 1 if preferred else 1
    cand_account = np.array([account_index[c.account] for c in candidates], dtype=np.int64)
    cand_executive = np.array([executive_index[c.executive] for c in candidates], dtype=np.int64)
    cand_fit = np.array([integer_fit(c.fit) for c in candidates], dtype=np.int64)
    cand_preferred = np.array([(c.account, c.executive) in preferred for c in candidates], dtype=np.int64)
    cand_cost = -cand_fit * tie - cand_preferred

    hard = problem.hard_minimum and problem.enforce_minimum
    penalty = integer_fit(MINIMUM_PENALTY)
    slot_executive: list[int] = []
    slot_cost: list[int] = []
    minimums = np.zeros(n_executives, dtype=np.int64)
    for k, executive in enumerate(executives):
        slots = slot_costs(executive, problem.load_balance)
        minimum = minimum_to_add(executive, problem.enforce_minimum)
        if hard:
            minimums[k] = minimum  # a demand on the executive node, served first by the cheapest slots
            slots = slots[minimum:]
        else:
            slots = [cost - penalty if j < minimum else cost for j, cost in enumerate(slots)]
        slot_executive.extend([k] * len(slots))
        slot_cost.extend(slots)

    tails = np.concatenate(
        [
            np.full(n_accounts, source),
            account_node[free_accounts],
            account_node[cand_account],
            executive_node[np.array(slot_executive, dtype=np.int64)],
        ]
    ).astype(np.int64)
    heads = np.concatenate(
        [
            account_node,
            np.full(len(free_accounts), sink),
            executive_node[cand_executive],
            np.full(len(slot_executive), sink),
        ]
    ).astype(np.int64)
    costs = np.concatenate(
        [
            np.zeros(n_accounts + len(free_accounts), dtype=np.int64),
            cand_cost,
            np.array(slot_cost, dtype=np.int64) * tie,
        ]
    )
    capacities = np.ones(len(tails), dtype=np.int64)

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    supplies = np.zeros(2 + n_accounts + n_executives, dtype=np.int64)
    supplies[source] = n_accounts
    supplies[sink] = -(n_accounts - int(minimums.sum()))
    supplies[executive_node] = -minimums
    flow.set_nodes_supplies(np.arange(len(supplies), dtype=np.int64), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        return _infeasible(problem, executives, _deeper_infeasibility(problem, executives, candidates))

    first_candidate_arc = n_accounts + len(free_accounts)
    chosen_arcs = first_candidate_arc + np.arange(len(candidates))
    chosen = np.asarray(flow.flows(chosen_arcs)) > 0
    pairs = tuple(
        Pair(c.account, c.executive, round(c.fit, 3), c.reasons) for c, on in zip(candidates, chosen, strict=True) if on
    )
    loads = _loads(executives, pairs)
    return MatchingResult(
        status="optimal",
        objective=_objective(problem, executives, int(cand_fit[chosen].sum()), loads),
        pairs=pairs,
        unassigned=_explain_unassigned(problem, accounts, executives, candidates, pairs),
        executives=loads,
        below_minimum=_explain_below_minimum(problem, executives, candidates, loads),
    )


def _objective(problem: MatchingProblem, executives: list[Executive], total_fit: int, loads: Sequence[Load]) -> float:
    """Total fit minus the load-balance cost and the minimum shortfall, from the chosen pairs."""
    total = total_fit
    for executive, load in zip(executives, loads, strict=True):
        added = load.load - executive.kept_load
        total -= sum(slot_costs(executive, problem.load_balance)[:added])
        total -= integer_fit(MINIMUM_PENALTY) * max(0, minimum_to_add(executive, problem.enforce_minimum) - added)
    return round(total / SCALE, 3)


def _usable_candidates(problem: MatchingProblem, accounts: set[str], executives: set[str]) -> list[Candidate]:
    """Candidates of known accounts and executives, one per pair; a locked account keeps only its lock."""
    locked = dict(problem.locked)
    by_pair: dict[tuple[str, str], Candidate] = {}
    for candidate in problem.candidates:
        if candidate.account not in accounts or candidate.executive not in executives:
            continue
        if candidate.account in locked and locked[candidate.account] != candidate.executive:
            continue
        by_pair.setdefault((candidate.account, candidate.executive), candidate)
    for account, executive in problem.locked:
        if (account, executive) not in by_pair and account in accounts and executive in executives:
            by_pair[(account, executive)] = Candidate(account, executive, 0.0, ("locked by the program owner",))
    return [by_pair[key] for key in sorted(by_pair)]


def _obvious_infeasibility(
    problem: MatchingProblem, accounts: list[str], executives: list[Executive], candidates: list[Candidate]
) -> list[str]:
    reasons: list[str] = []
    known_accounts, known_executives = set(accounts), {e.id for e in executives}
    locks_per_executive: dict[str, int] = defaultdict(int)
    locked_seen: dict[str, str] = {}
    for account_id, executive_id in problem.locked:
        if account_id not in known_accounts:
            reasons.append(f"the locked account {_name(problem, account_id)} is not among the selected accounts")
        if executive_id not in known_executives:
            reasons.append(f"the locked executive {executive_id} is not available")
        if account_id in locked_seen and locked_seen[account_id] != executive_id:
            reasons.append(f"{_name(problem, account_id)} is locked to two executives")
        locked_seen[account_id] = executive_id
        locks_per_executive[executive_id] += 1
    for executive in executives:
        room = max(0, executive.capacity_max - executive.kept_load)
        if locks_per_executive[executive.id] > room:
            reasons.append(
                f"{executive.label} has {locks_per_executive[executive.id]} locked accounts but room for {max(room, 0)}"
                f" (capacity {executive.capacity_max}, keeps {executive.kept_load})"
            )
    if reasons or not (problem.hard_minimum and problem.enforce_minimum):
        return reasons
    needed = sum(minimum_to_add(e, problem.enforce_minimum) for e in executives)
    if needed > len(accounts):
        reasons.append(
            f"the executives' minimum capacities need {needed} accounts but only {len(accounts)} are selected"
        )
    eligible: dict[str, set[str]] = defaultdict(set)
    for candidate in candidates:
        eligible[candidate.executive].add(candidate.account)
    for executive in executives:
        minimum = minimum_to_add(executive, problem.enforce_minimum)
        if len(eligible[executive.id]) < minimum:
            reasons.append(
                f"{executive.label} needs at least {_accounts(minimum)} more but only "
                f"{_accounts(len(eligible[executive.id]))} among those selected are eligible for them"
            )
    return reasons


def _deeper_infeasibility(
    problem: MatchingProblem, executives: list[Executive], candidates: list[Candidate]
) -> list[str]:
    """The flow found no solution though each executive alone could be served: the minimums compete."""
    short = [e for e in executives if minimum_to_add(e, problem.enforce_minimum) > 0]
    names = ", ".join(e.label for e in short[:5]) + (" …" if len(short) > 5 else "")
    return [
        "the minimum capacities cannot all be met at once: the executives who need accounts "
        f"({names}) compete for the same few eligible accounts; lower their minimum, add accounts, "
        "or let the minimum bend (the default)"
    ]


def _infeasible(problem: MatchingProblem, executives: list[Executive], reasons: list[str]) -> MatchingResult:
    return MatchingResult(
        status="infeasible",
        objective=0.0,
        pairs=(),
        unassigned=(),
        executives=_loads(executives, ()),
        infeasible_because=tuple(reasons),
    )


def _loads(executives: list[Executive], pairs: Sequence[Pair]) -> tuple[Load, ...]:
    added: dict[str, int] = defaultdict(int)
    for pair in pairs:
        added[pair.executive] += 1
    return tuple(Load(e.id, e.capacity_min, e.capacity_max, e.kept_load + added[e.id]) for e in executives)


def _explain_below_minimum(
    problem: MatchingProblem, executives: list[Executive], candidates: list[Candidate], loads: Sequence[Load]
) -> tuple[BelowMinimum, ...]:
    """Who ends below their minimum capacity, and why: too few eligible accounts, or others need them."""
    if not problem.enforce_minimum:
        return ()
    eligible: dict[str, int] = defaultdict(int)
    for candidate in candidates:
        eligible[candidate.executive] += 1
    result = []
    for executive, load in zip(executives, loads, strict=True):
        minimum = min(executive.capacity_min, executive.capacity_max)
        if load.load >= minimum:
            continue
        room = eligible[executive.id] + executive.kept_load
        if room < minimum:
            reason = (
                f"only {_accounts(eligible[executive.id])} among those selected pass the hard rules for them "
                "(seniority, language, time zone, conflicts)"
            )
        else:
            reason = (
                "the accounts eligible for them go to executives who also need them to reach their minimum, "
                "or who are locked to them"
            )
        result.append(BelowMinimum(executive.id, load.load, minimum, reason))
    return tuple(result)


def _explain_unassigned(
    problem: MatchingProblem,
    accounts: list[str],
    executives: list[Executive],
    candidates: list[Candidate],
    pairs: Sequence[Pair],
) -> tuple[Unassigned, ...]:
    assigned = {p.account for p in pairs}
    loads = {load.executive: load for load in _loads(executives, pairs)}
    labels = {e.id: e.label for e in executives}
    eligible: dict[str, list[str]] = defaultdict(list)
    for candidate in candidates:
        eligible[candidate.account].append(candidate.executive)
    result = []
    for account in accounts:
        if account in assigned:
            continue
        if not eligible[account]:
            excluded = "; ".join(problem.exclusions.get(account, ())) or "no executive passes the hard constraints"
            result.append(Unassigned(account, f"no eligible executive: {excluded}"))
            continue
        full = [labels[e] for e in eligible[account] if loads[e].load >= loads[e].capacity_max]
        if len(full) == len(eligible[account]):
            names = ", ".join(full[:3]) + (" …" if len(full) > 3 else "")
            reason = f"every eligible executive ({names}) is at capacity with accounts where they fit better"
        else:
            reason = "its fit is lower than the load-balance cost of one more account for any eligible executive"
        result.append(Unassigned(account, reason))
    return tuple(result)


def _accounts(count: int) -> str:
    return f"{count} account" if count == 1 else f"{count} accounts"


def _name(problem: MatchingProblem, account: str) -> str:
    return problem.account_names.get(account, account)
