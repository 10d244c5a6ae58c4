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
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, overload

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


class CandidateTable(Sequence[Candidate]):
    """Candidates as columns, the form a large run takes: one row per pair, no object per pair.

    `accounts` and `executives` name the ids the rows refer to; row i is the pair
    (accounts[account[i]], executives[executive[i]]) with fit fit[i]. `reasons` holds the words of the rows
    that have any. It reads as a sequence of Candidate, so code that iterates candidates takes either form."""

    __slots__ = ("accounts", "executives", "account", "executive", "fit", "reasons")

    def __init__(
        self,
        accounts: Sequence[str],
        executives: Sequence[str],
        account: np.ndarray | Sequence[int],
        executive: np.ndarray | Sequence[int],
        fit: np.ndarray | Sequence[float],
        reasons: Mapping[int, tuple[str, ...]] | None = None,
    ):
        self.accounts = tuple(accounts)
        self.executives = tuple(executives)
        self.account = np.asarray(account, dtype=np.int64)
        self.executive = np.asarray(executive, dtype=np.int64)
        self.fit = np.asarray(fit, dtype=float)
        self.reasons = dict(reasons or {})
        if not (len(self.account) == len(self.executive) == len(self.fit)):
            raise ValueError("the candidate columns differ in length")

    @classmethod
    def of(cls, candidates: Iterable[Candidate]) -> CandidateTable:
        """The table of a list of Candidate (ids in order of first appearance)."""
        if isinstance(candidates, CandidateTable):
            return candidates
        rows = list(candidates)
        account_ids: dict[str, int] = {}
        executive_ids: dict[str, int] = {}
        account = [account_ids.setdefault(c.account, len(account_ids)) for c in rows]
        executive = [executive_ids.setdefault(c.executive, len(executive_ids)) for c in rows]
        fit = [c.fit for c in rows]
        reasons = {i: c.reasons for i, c in enumerate(rows) if c.reasons}
        return cls(list(account_ids), list(executive_ids), np.array(account), np.array(executive), fit, reasons)

    @classmethod
    def concatenate(cls, parts: Sequence[CandidateTable]) -> CandidateTable:
        """One table of several that share their account and executive ids."""
        if not parts:
            return cls((), (), np.zeros(0), np.zeros(0), np.zeros(0))
        first = parts[0]
        if any(p.accounts != first.accounts or p.executives != first.executives for p in parts[1:]):
            raise ValueError("tables to concatenate must name the same accounts and executives")
        reasons: dict[int, tuple[str, ...]] = {}
        offset = 0
        for part in parts:
            reasons.update({offset + i: words for i, words in part.reasons.items()})
            offset += len(part)
        return cls(
            first.accounts,
            first.executives,
            np.concatenate([p.account for p in parts]),
            np.concatenate([p.executive for p in parts]),
            np.concatenate([p.fit for p in parts]),
            reasons,
        )

    def __len__(self) -> int:
        return len(self.fit)

    def pairs_of(self, accounts: Collection[str]) -> set[tuple[str, str]]:
        """The (account, executive) pairs of the rows of these accounts."""
        wanted = np.array([i for i, a in enumerate(self.accounts) if a in accounts], dtype=np.int64)
        rows = np.flatnonzero(np.isin(self.account, wanted))
        return {
            (self.accounts[a], self.executives[e])
            for a, e in zip(self.account[rows].tolist(), self.executive[rows].tolist(), strict=True)
        }

    @overload
    def __getitem__(self, index: int) -> Candidate: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Candidate]: ...
    def __getitem__(self, index: int | slice) -> Candidate | Sequence[Candidate]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return Candidate(
            self.accounts[int(self.account[index])],
            self.executives[int(self.executive[index])],
            float(self.fit[index]),
            self.reasons.get(index, ()),
        )

    def __iter__(self) -> Iterator[Candidate]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"CandidateTable({len(self)} rows, {len(self.accounts)} accounts, {len(self.executives)} executives)"


@dataclass(frozen=True)
class MatchingProblem:
    accounts: Sequence[str]
    executives: Sequence[Executive]
    candidates: Sequence[Candidate]  # a list of Candidate or, for a large run, a CandidateTable
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


@dataclass(frozen=True)
class _Usable:
    """The usable candidates as arrays, one per pair, sorted by (account, executive)."""

    account: np.ndarray  # index into the sorted accounts
    executive: np.ndarray  # index into the sorted executives
    fit: np.ndarray  # integer fit (fit × SCALE)
    row: np.ndarray  # the row of `table` behind each, for its fit and words
    table: CandidateTable

    def __len__(self) -> int:
        return len(self.row)

    def rows_of(self, account: int) -> np.ndarray:
        """The positions of one account's candidates (they are contiguous: sorted by account)."""
        start, stop = np.searchsorted(self.account, [account, account + 1])
        return np.arange(start, stop)

    def pairs(self, positions: np.ndarray, executives: list[Executive], accounts: list[str]) -> tuple[Pair, ...]:
        """The Pair of each of these positions, with its fit and words."""
        rows = self.row[positions]
        words = self.table.reasons
        return tuple(
            Pair(accounts[a], executives[e].id, round(f, 3), words.get(r, ()))
            for a, e, f, r in zip(
                self.account[positions].tolist(),
                self.executive[positions].tolist(),
                self.table.fit[rows].tolist(),
                rows.tolist(),
                strict=True,
            )
        )


@dataclass(frozen=True)
class FlowNetwork:
    """The min-cost-flow network of a problem, as the arrays OR-Tools takes (see the module docstring)."""

    tails: np.ndarray
    heads: np.ndarray
    capacities: np.ndarray
    costs: np.ndarray
    supplies: np.ndarray
    first_candidate_arc: int
    tie: int


def match(problem: MatchingProblem) -> MatchingResult:
    """Solve the problem exactly. Same input, same output."""
    accounts = sorted(set(problem.accounts))
    executives = sorted({e.id: e for e in problem.executives}.values(), key=lambda e: e.id)
    usable = _usable_candidates(problem, accounts, executives)

    problems = _obvious_infeasibility(problem, accounts, executives, usable)
    if problems:
        return _infeasible(problem, executives, problems)
    network = flow_network(problem, accounts, executives, usable)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(network.tails, network.heads, network.capacities, network.costs)
    flow.set_nodes_supplies(np.arange(len(network.supplies), dtype=np.int64), network.supplies)
    if flow.solve() != flow.OPTIMAL:
        return _infeasible(problem, executives, _deeper_infeasibility(problem, executives))

    chosen_arcs = network.first_candidate_arc + np.arange(len(usable))
    chosen = np.asarray(flow.flows(chosen_arcs)) > 0
    pairs = usable.pairs(np.flatnonzero(chosen), executives, accounts)
    loads = _loads(executives, pairs)
    return MatchingResult(
        status="optimal",
        objective=_objective(problem, executives, int(usable.fit[chosen].sum()), loads),
        pairs=pairs,
        unassigned=_explain_unassigned(problem, accounts, executives, usable, chosen, loads),
        executives=loads,
        below_minimum=_explain_below_minimum(problem, executives, usable, loads),
    )


def flow_network(
    problem: MatchingProblem,
    accounts: list[str] | None = None,
    executives: list[Executive] | None = None,
    usable: _Usable | None = None,
) -> FlowNetwork:
    """The network `match` solves (public so the benchmark can time OR-Tools alone on the same network)."""
    accounts = accounts if accounts is not None else sorted(set(problem.accounts))
    if executives is None:
        executives = sorted({e.id: e for e in problem.executives}.values(), key=lambda e: e.id)
    usable = usable if usable is not None else _usable_candidates(problem, accounts, executives)
    n_accounts, n_executives = len(accounts), len(executives)
    source, sink = 0, 1
    account_node = 2 + np.arange(n_accounts)
    executive_node = 2 + n_accounts + np.arange(n_executives)

    locked_accounts = {a for a, _ in problem.locked}
    free_accounts = np.array([i for i, a in enumerate(accounts) if a not in locked_accounts], dtype=np.int64)

    # Every real cost is multiplied by more than the number of preferred pairs that can be chosen, and each
    # preferred pair is one unit cheaper: ties go to the preferred pairs, and nothing else changes.
    preferred = _pair_mask(problem.preferred, accounts, executives, usable)
    tie = n_accounts + 1 if preferred.any() else 1
    cand_cost = -usable.fit * tie - preferred

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
            account_node[usable.account],
            executive_node[np.array(slot_executive, dtype=np.int64)],
        ]
    ).astype(np.int64)
    heads = np.concatenate(
        [
            account_node,
            np.full(len(free_accounts), sink),
            executive_node[usable.executive],
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
    supplies = np.zeros(2 + n_accounts + n_executives, dtype=np.int64)
    supplies[source] = n_accounts
    supplies[sink] = -(n_accounts - int(minimums.sum()))
    supplies[executive_node] = -minimums
    return FlowNetwork(
        tails=tails,
        heads=heads,
        capacities=np.ones(len(tails), dtype=np.int64),
        costs=costs,
        supplies=supplies,
        first_candidate_arc=n_accounts + len(free_accounts),
        tie=tie,
    )


def _pair_mask(
    pairs: Collection[tuple[str, str]], accounts: list[str], executives: list[Executive], usable: _Usable
) -> np.ndarray:
    """1 for each usable candidate that is one of `pairs`, else 0."""
    mask = np.zeros(len(usable), dtype=np.int64)
    if not pairs:
        return mask
    account_index = {a: i for i, a in enumerate(accounts)}
    executive_index = {e.id: i for i, e in enumerate(executives)}
    codes = np.array(
        [
            account_index[a] * len(executives) + executive_index[e]
            for a, e in pairs
            if a in account_index and e in executive_index
        ],
        dtype=np.int64,
    )
    mask[np.isin(usable.account * len(executives) + usable.executive, codes)] = 1
    return mask


def _objective(problem: MatchingProblem, executives: list[Executive], total_fit: int, loads: Sequence[Load]) -> float:
    """Total fit minus the load-balance cost and the minimum shortfall, from the chosen pairs."""
    total = total_fit
    for executive, load in zip(executives, loads, strict=True):
        added = load.load - executive.kept_load
        total -= sum(slot_costs(executive, problem.load_balance)[:added])
        total -= integer_fit(MINIMUM_PENALTY) * max(0, minimum_to_add(executive, problem.enforce_minimum) - added)
    return round(total / SCALE, 3)


def _usable_candidates(problem: MatchingProblem, accounts: list[str], executives: list[Executive]) -> _Usable:
    """Candidates of known accounts and executives, one per pair (the first given), sorted by pair; a locked
    account keeps only its lock. Done on columns: a large run has hundreds of thousands of candidates, and
    only the ids (thousands) are looked up one by one."""
    account_index = {a: i for i, a in enumerate(accounts)}
    executive_index = {e.id: k for k, e in enumerate(executives)}
    locks = [(a, e) for a, e in problem.locked if a in account_index and e in executive_index]
    table = CandidateTable.of(problem.candidates)
    if locks:  # a lock with no candidate behind it is one of fit 0
        lock_table = CandidateTable(
            table.accounts + tuple(a for a, _ in locks),
            table.executives + tuple(e for _, e in locks),
            np.arange(len(locks)) + len(table.accounts),
            np.arange(len(locks)) + len(table.executives),
            np.zeros(len(locks)),
            dict.fromkeys(range(len(locks)), ("locked by the program owner",)),
        )
        widened = CandidateTable(
            lock_table.accounts, lock_table.executives, table.account, table.executive, table.fit, table.reasons
        )
        table = CandidateTable.concatenate([widened, lock_table])
    to_account = np.array([account_index.get(a, -1) for a in table.accounts], dtype=np.int64)
    to_executive = np.array([executive_index.get(e, -1) for e in table.executives], dtype=np.int64)
    account = to_account[table.account] if len(table) else np.zeros(0, dtype=np.int64)
    executive = to_executive[table.executive] if len(table) else np.zeros(0, dtype=np.int64)
    locked_to = np.full(len(accounts) + 1, -1, dtype=np.int64)  # the last entry serves unknown accounts
    for a, e in locks:
        locked_to[account_index[a]] = executive_index[e]
    valid = (account >= 0) & (executive >= 0)
    valid &= (locked_to[account] < 0) | (locked_to[account] == executive)
    rows = np.flatnonzero(valid)
    codes = account[rows] * max(1, len(executives)) + executive[rows]
    if len(codes) > 1 and not bool(np.all(codes[1:] > codes[:-1])):
        _, first = np.unique(codes, return_index=True)  # sorted by pair, the first candidate of each
        rows = rows[first]
    fits = np.rint(table.fit[rows] * SCALE).astype(np.int64)
    return _Usable(account[rows], executive[rows], fits, rows, table)


def _obvious_infeasibility(
    problem: MatchingProblem, accounts: list[str], executives: list[Executive], usable: _Usable
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
    eligible = np.bincount(usable.executive, minlength=len(executives))
    for k, executive in enumerate(executives):
        minimum = minimum_to_add(executive, problem.enforce_minimum)
        if eligible[k] < minimum:
            reasons.append(
                f"{executive.label} needs at least {_accounts(minimum)} more but only "
                f"{_accounts(int(eligible[k]))} among those selected are eligible for them"
            )
    return reasons


def _deeper_infeasibility(problem: MatchingProblem, executives: list[Executive]) -> list[str]:
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
    problem: MatchingProblem, executives: list[Executive], usable: _Usable, loads: Sequence[Load]
) -> tuple[BelowMinimum, ...]:
    """Who ends below their minimum capacity, and why: too few eligible accounts, or others need them."""
    if not problem.enforce_minimum:
        return ()
    eligible = np.bincount(usable.executive, minlength=len(executives))
    result = []
    for k, (executive, load) in enumerate(zip(executives, loads, strict=True)):
        minimum = min(executive.capacity_min, executive.capacity_max)
        if load.load >= minimum:
            continue
        if eligible[k] + executive.kept_load < minimum:
            reason = (
                f"only {_accounts(int(eligible[k]))} among those selected pass the hard rules for them "
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
    usable: _Usable,
    chosen: np.ndarray,
    loads: Sequence[Load],
) -> tuple[Unassigned, ...]:
    assigned = np.zeros(len(accounts), dtype=bool)
    assigned[usable.account[chosen]] = True
    full = np.array([load.load >= load.capacity_max for load in loads], dtype=bool)
    result = []
    for i in np.flatnonzero(~assigned):
        account = accounts[int(i)]
        rows = usable.rows_of(int(i))
        if not len(rows):
            excluded = "; ".join(problem.exclusions.get(account, ())) or "no executive passes the hard constraints"
            result.append(Unassigned(account, f"no eligible executive: {excluded}"))
            continue
        eligible = usable.executive[rows]
        if full[eligible].all():
            names = [executives[int(k)].label for k in eligible[:3]]
            reason = (
                f"every eligible executive ({', '.join(names)}{' …' if len(eligible) > 3 else ''}) is at capacity "
                "with accounts where they fit better"
            )
        else:
            reason = "its fit is lower than the load-balance cost of one more account for any eligible executive"
        result.append(Unassigned(account, reason))
    return tuple(result)


def _accounts(count: int) -> str:
    return f"{count} account" if count == 1 else f"{count} accounts"


def _name(problem: MatchingProblem, account: str) -> str:
    return problem.account_names.get(account, account)
