"""The sponsor matcher against an independent reference solver and a greedy baseline.

    .venv/bin/python bench/matching.py [--sizes small,medium,large] [--seed 7]

Instances: (200 accounts, 50 executives), (2,000, 400) and (10,000, 2,000) with ~50 candidate executives
per account; capacity 3–5 per executive, a rising load-balance cost. ExecSponsor's matcher
(core.matching.match, OR-Tools min-cost flow) is timed end to end from the columnar CandidateTable that
core.sponsor_fit.candidates_for hands it in a real run (and, for comparison, from a list of one Candidate
object per pair, the form small callers and the tests use), and beside it
OR-Tools alone (SimpleMinCostFlow: load arcs, set supplies, solve) on the very network match() builds
(core.matching.flow_network), with the ratio of the two: the Python around the solver. The reference
is SciPy's sparse LAPJV (`min_weight_full_bipartite_matching`) on the capacity-expanded graph: one column
per executive slot (its load-balance cost, and a large bonus for slots below the minimum), plus one
"unassigned" column per account. The greedy baseline takes pairs by falling fit while capacity lasts.
Target: the reference's objective exactly, time at most the reference's, the largest instance under 5 s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from ortools.graph.python import min_cost_flow
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from execsponsor.core.matching import (  # noqa: E402
    MINIMUM_PENALTY,
    SCALE,
    Candidate,
    CandidateTable,
    Executive,
    MatchingProblem,
    flow_network,
    match,
    minimum_to_add,
    slot_costs,
)

SIZES = {"small": (200, 50), "medium": (2_000, 400), "large": (10_000, 2_000)}
CANDIDATES_PER_ACCOUNT = 50
LOAD_BALANCE = 2.0


def instance(n_accounts: int, n_executives: int, seed: int) -> MatchingProblem:
    rng = np.random.default_rng(seed)
    accounts = [f"A{i:05d}" for i in range(n_accounts)]
    executives = [Executive(f"E{k:04d}", 3, 5, int(rng.random() < 0.2)) for k in range(n_executives)]
    per_account = min(CANDIDATES_PER_ACCOUNT, n_executives)
    account_rows, executive_rows, fit_rows = [], [], []
    for i in range(n_accounts):
        chosen = np.sort(rng.choice(n_executives, size=per_account, replace=False))  # as candidates_for: by executive
        account_rows.append(np.full(per_account, i))
        executive_rows.append(chosen)
        fit_rows.append(rng.integers(0, 100_000, size=per_account) / 1000)
    table = CandidateTable(
        accounts,
        [e.id for e in executives],
        np.concatenate(account_rows),
        np.concatenate(executive_rows),
        np.concatenate(fit_rows),
    )
    return MatchingProblem(accounts, executives, table, load_balance=LOAD_BALANCE)


def as_objects(problem: MatchingProblem) -> MatchingProblem:
    """The same problem with one Candidate object per pair."""
    return MatchingProblem(
        problem.accounts,
        problem.executives,
        [Candidate(c.account, c.executive, c.fit) for c in problem.candidates],
        load_balance=problem.load_balance,
    )


def reference(problem: MatchingProblem) -> tuple[float, float]:
    """SciPy sparse LAPJV on the capacity-expanded graph; returns (objective, seconds)."""
    started = time.perf_counter()
    accounts = {a: i for i, a in enumerate(problem.accounts)}
    n = len(problem.accounts)
    bonus = float(SCALE * MINIMUM_PENALTY)  # the soft minimum: each slot below it earns the penalty back
    slot_start: dict[str, int] = {}
    slot_cost: list[float] = []
    for executive in problem.executives:
        slot_start[executive.id] = len(slot_cost)
        minimum = minimum_to_add(executive, problem.enforce_minimum)
        for j, cost in enumerate(slot_costs(executive, problem.load_balance)):
            slot_cost.append(cost - (bonus if j < minimum else 0.0))
    slots_of = {e.id: len(slot_costs(e, problem.load_balance)) for e in problem.executives}
    rows, cols, costs = [], [], []
    for c in problem.candidates:
        start = slot_start[c.executive]
        for j in range(slots_of[c.executive]):
            rows.append(accounts[c.account])
            cols.append(start + j)
            costs.append(-round(c.fit * SCALE) + slot_cost[start + j])
    n_slots = len(slot_cost)
    rows.extend(range(n))
    cols.extend(n_slots + np.arange(n))
    costs.extend([0.0] * n)
    costs_array = np.array(costs)
    shift = 1.0 - costs_array.min()  # LAPJV needs non-zero weights; every row is matched once, so a shift is safe
    graph = csr_matrix((costs_array + shift, (rows, cols)), shape=(n, n_slots + n))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    total = float(np.asarray(graph[row_ind, col_ind]).sum() - shift * n)
    minimum_slots = sum(minimum_to_add(e, problem.enforce_minimum) for e in problem.executives)
    objective = -(total + bonus * minimum_slots) / SCALE
    return round(objective, 3), time.perf_counter() - started


def objective_of(problem: MatchingProblem, pairs: list[tuple[str, str]]) -> float:
    """The model's objective for any assignment: fit, minus load-balance cost, minus minimum shortfall."""
    fits = {(c.account, c.executive): round(c.fit * SCALE) for c in problem.candidates}
    counts: dict[str, int] = {}
    total = 0
    for account, executive in pairs:
        total += fits.get((account, executive), 0)
        counts[executive] = counts.get(executive, 0) + 1
    for executive in problem.executives:
        count = counts.get(executive.id, 0)
        total -= sum(slot_costs(executive, problem.load_balance)[:count])
        total -= round(MINIMUM_PENALTY * SCALE) * max(0, minimum_to_add(executive, problem.enforce_minimum) - count)
    return round(total / SCALE, 3)


def raw_solve(problem: MatchingProblem) -> float:
    """Seconds OR-Tools alone takes on the network `match` builds: load the arcs, set supplies, solve."""
    network = flow_network(problem)
    started = time.perf_counter()
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(network.tails, network.heads, network.capacities, network.costs)
    flow.set_nodes_supplies(np.arange(len(network.supplies), dtype=np.int64), network.supplies)
    status = flow.solve()
    elapsed = time.perf_counter() - started
    assert status == flow.OPTIMAL
    return elapsed


def greedy(problem: MatchingProblem) -> tuple[float, float]:
    started = time.perf_counter()
    room = {e.id: max(0, e.capacity_max - e.kept_load) for e in problem.executives}
    taken: set[str] = set()
    pairs = []
    for c in sorted(problem.candidates, key=lambda c: -c.fit):
        if c.account not in taken and room[c.executive] > 0:
            taken.add(c.account)
            room[c.executive] -= 1
            pairs.append((c.account, c.executive))
    elapsed = time.perf_counter() - started
    return objective_of(problem, pairs), elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="small,medium,large")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="time match() and the raw solve this often; best")
    args = parser.parse_args()
    header = f"{'instance':<22}{'solver':<30}{'objective':>14}{'seconds':>10}{'obj ratio':>11}{'time ratio':>12}"
    print(header)
    print("-" * len(header))
    for name in args.sizes.split(","):
        n_accounts, n_executives = SIZES[name]
        problem = instance(n_accounts, n_executives, args.seed)
        ours_time, result = float("inf"), None
        for _ in range(args.repeat):
            started = time.perf_counter()
            result = match(problem)
            ours_time = min(ours_time, time.perf_counter() - started)
        assert result is not None
        objects = as_objects(problem)
        objects_time = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            objects_result = match(objects)
            objects_time = min(objects_time, time.perf_counter() - started)
        assert objects_result.pairs == result.pairs, "the two input forms must give the same answer"
        raw_time = min(raw_solve(problem) for _ in range(args.repeat))
        ref_objective, ref_time = reference(objects)  # both read Candidate objects, so neither pays for the table
        greedy_objective, greedy_time = greedy(objects)
        label = f"{n_accounts}x{n_executives}"
        rows = [
            ("ExecSponsor match() end to end", result.objective, ours_time),
            ("  the same from Candidate objects", objects_result.objective, objects_time),
            ("raw OR-Tools solve, same net", result.objective, raw_time),
            ("reference (SciPy LAPJVsp)", ref_objective, ref_time),
            ("greedy baseline", greedy_objective, greedy_time),
        ]
        for solver, objective, seconds in rows:
            print(
                f"{label:<22}{solver:<30}{objective:>14.3f}{seconds:>10.3f}"
                f"{objective / ref_objective:>11.4f}{seconds / ref_time:>12.3f}"
            )
        print(
            f"{label:<22}match() / raw solve: {ours_time / raw_time:.2f}x "
            f"(from Candidate objects: {objects_time / raw_time:.2f}x)"
        )
        if result.status != "optimal":
            print(f"  ExecSponsor status: {result.status}: {result.infeasible_because}")
        print(flush=True)


if __name__ == "__main__":
    main()
