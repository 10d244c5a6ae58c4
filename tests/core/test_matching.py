"""The matcher against oracles that share none of its code: a brute force and SciPy's assignment solver.

Both score an assignment from the model as documented (docs/matching.md), written out here: the total fit
of the pairs, minus `load_balance × (kept + j)` for the j-th account added to an executive (j from 0),
minus 1,000 points for every account an executive stays short of their minimum.
"""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from execsponsor.core.matching import Candidate, CandidateTable, Executive, MatchingProblem, match

PENALTY_PER_MISSING_ACCOUNT = 1000  # the documented "strong penalty", more than any fit (0–100)


@st.composite
def problems(draw, *, hard_minimum=None, with_locks=True):
    n_accounts = draw(st.integers(1, 5))
    n_executives = draw(st.integers(1, 3))
    accounts = [f"acc-{i}" for i in range(n_accounts)]
    executives = []
    for k in range(n_executives):
        low = draw(st.integers(0, 2))
        high = draw(st.integers(low, 3))
        kept = draw(st.integers(0, 1))
        executives.append(Executive(f"exe-{k}", low, high, kept, name=f"Executive {k}"))
    candidates = []
    for account in accounts:
        for executive in executives:
            if draw(st.booleans()):
                candidates.append(Candidate(account, executive.id, draw(st.integers(0, 100)) / 4, ("fit",)))
    locked = []
    if with_locks and candidates and draw(st.booleans()):
        chosen = draw(st.sampled_from(candidates))
        locked.append((chosen.account, chosen.executive))
    preferred = frozenset((c.account, c.executive) for c in candidates if draw(st.integers(0, 3)) == 0)
    return MatchingProblem(
        accounts,
        executives,
        candidates,
        locked=locked,
        load_balance=draw(st.sampled_from([0.0, 0.5, 3.0])),
        hard_minimum=draw(st.booleans()) if hard_minimum is None else hard_minimum,
        preferred=preferred,
    )


def value_of(problem: MatchingProblem, pairs) -> float:
    """The model's objective for an assignment, computed from its definition."""
    fit = {(c.account, c.executive): c.fit for c in problem.candidates}
    added = Counter(executive for _, executive in pairs)
    total = sum(fit.get(pair, 0.0) for pair in pairs)
    for executive in problem.executives:
        n = added[executive.id]
        total -= sum(problem.load_balance * (executive.kept_load + j) for j in range(n))
        needed = max(0, min(executive.capacity_min, executive.capacity_max) - executive.kept_load)
        total -= PENALTY_PER_MISSING_ACCOUNT * max(0, needed - n)
    return total


def allowed(problem: MatchingProblem, pairs) -> bool:
    added = Counter(executive for _, executive in pairs)
    chosen = dict(pairs)
    if any(chosen.get(account) != executive for account, executive in problem.locked):
        return False
    for executive in problem.executives:
        if added[executive.id] > max(0, executive.capacity_max - executive.kept_load):
            return False  # no account beyond capacity (an executive already over it gets none)
        needed = max(0, min(executive.capacity_min, executive.capacity_max) - executive.kept_load)
        if problem.hard_minimum and added[executive.id] < needed:
            return False
    return True


def brute_force(problem: MatchingProblem) -> float | None:
    options = {a: [None] for a in problem.accounts}
    for c in problem.candidates:
        options[c.account].append(c.executive)
    for a, e in problem.locked:
        if e not in options[a]:
            options[a].append(e)
    best = None
    for choice in itertools.product(*(options[a] for a in problem.accounts)):
        pairs = [(a, e) for a, e in zip(problem.accounts, choice, strict=True) if e is not None]
        if allowed(problem, pairs):
            value = value_of(problem, pairs)
            best = value if best is None else max(best, value)
    return best


def assert_hard_constraints_hold(problem, result):
    counts = Counter(p.executive for p in result.pairs)
    by_id = {e.id: e for e in problem.executives}
    candidates = {(c.account, c.executive) for c in problem.candidates}
    assert len({p.account for p in result.pairs}) == len(result.pairs), "an account got two sponsors"
    for pair in result.pairs:
        assert (pair.account, pair.executive) in candidates | set(problem.locked)
    for executive_id, count in counts.items():
        assert count <= max(0, by_id[executive_id].capacity_max - by_id[executive_id].kept_load)
    assert set(problem.locked) <= {(p.account, p.executive) for p in result.pairs}
    loads = {load.executive: load.load for load in result.executives}
    for executive in problem.executives:
        assert loads[executive.id] == executive.kept_load + counts[executive.id]


@settings(max_examples=400, deadline=None)
@given(problems())
def test_the_objective_equals_the_brute_force_optimum(problem):
    result = match(problem)
    best = brute_force(problem)
    if best is None:
        assert result.status == "infeasible"
        assert result.infeasible_because
        return
    assert result.status == "optimal", result.infeasible_because
    assert round(value_of(problem, [(p.account, p.executive) for p in result.pairs]), 3) == round(best, 3)
    assert result.objective == round(best, 3)
    assert_hard_constraints_hold(problem, result)


@settings(max_examples=200, deadline=None)
@given(problems(hard_minimum=False))
def test_a_soft_minimum_always_gives_a_proposal_when_no_lock_conflicts(problem):
    result = match(problem)
    lock_counts = Counter(e for _, e in problem.locked)
    if all(lock_counts[e.id] <= e.capacity_max - e.kept_load for e in problem.executives):
        assert result.status == "optimal"
    if result.status != "optimal":
        return
    short = {b.executive for b in result.below_minimum}
    for load in result.executives:
        assert (load.load < min(load.capacity_min, load.capacity_max)) == (load.executive in short)


def expanded_matrix_optimum(problem: MatchingProblem) -> float:
    """SciPy's Hungarian solver on the capacity-expanded matrix: one column per free slot of each executive
    (the j-th slot costs load_balance × (kept + j), minus the penalty while below the minimum) and one
    "stays unassigned" column per account."""
    accounts = list(problem.accounts)
    columns: list[tuple[str, int]] = []
    for executive in problem.executives:
        columns += [(executive.id, j) for j in range(max(0, executive.capacity_max - executive.kept_load))]
    by_id = {e.id: e for e in problem.executives}
    fit = {(c.account, c.executive): c.fit for c in problem.candidates}
    impossible = 1e9
    cost = np.full((len(accounts), len(columns) + len(accounts)), impossible)
    for i, account in enumerate(accounts):
        cost[i, len(columns) + i] = 0.0
        for col, (executive_id, j) in enumerate(columns):
            if (account, executive_id) in fit:
                executive = by_id[executive_id]
                needed = max(0, min(executive.capacity_min, executive.capacity_max) - executive.kept_load)
                slot = problem.load_balance * (executive.kept_load + j)
                cost[i, col] = -fit[(account, executive_id)] + slot - (PENALTY_PER_MISSING_ACCOUNT if j < needed else 0)
    rows, cols = linear_sum_assignment(cost)
    total = -cost[rows, cols].sum()
    for executive in problem.executives:
        needed = max(0, min(executive.capacity_min, executive.capacity_max) - executive.kept_load)
        total -= PENALTY_PER_MISSING_ACCOUNT * needed
    return float(total)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000))
def test_random_instances_match_scipys_assignment_on_the_expanded_matrix(seed):
    rng = np.random.default_rng(seed)
    n_accounts, n_executives = int(rng.integers(5, 40)), int(rng.integers(2, 10))
    executives = []
    for k in range(n_executives):
        low = int(rng.integers(0, 4))
        executives.append(Executive(f"e{k}", low, low + int(rng.integers(0, 4)), int(rng.integers(0, 2))))
    candidates = [
        Candidate(f"a{i}", f"e{k}", float(rng.integers(0, 400)) / 4)
        for i in range(n_accounts)
        for k in range(n_executives)
        if rng.random() < 0.6
    ]
    problem = MatchingProblem(
        [f"a{i}" for i in range(n_accounts)],
        executives,
        candidates,
        load_balance=float(rng.choice([0.0, 1.0, 2.5])),
    )
    result = match(problem)
    assert result.status == "optimal"
    assert result.objective == round(expanded_matrix_optimum(problem), 3)
    assert_hard_constraints_hold(problem, result)
    # The columnar form a real run passes, its ids in another order, gives the same answer.
    as_columns = MatchingProblem(
        problem.accounts,
        executives,
        columns_of(candidates, rng),
        load_balance=problem.load_balance,
    )
    assert match(as_columns) == result


def columns_of(candidates: list[Candidate], rng: np.random.Generator) -> CandidateTable:
    """The candidates as a table written column by column, rows and ids shuffled."""
    account_ids = sorted({c.account for c in candidates}, key=lambda _: rng.random())
    executive_ids = sorted({c.executive for c in candidates}, key=lambda _: rng.random())
    order = rng.permutation(len(candidates))
    return CandidateTable(
        account_ids,
        executive_ids,
        np.array([account_ids.index(candidates[i].account) for i in order], dtype=np.int64),
        np.array([executive_ids.index(candidates[i].executive) for i in order], dtype=np.int64),
        np.array([candidates[i].fit for i in order]),
    )


def test_a_candidate_table_reads_as_a_sequence_of_candidates():
    table = CandidateTable(["x", "y"], ["e1", "e2"], np.array([1, 0]), np.array([0, 1]), np.array([7.5, 2.0]))
    assert len(table) == 2
    assert table[0] == Candidate("y", "e1", 7.5)
    assert table[-1] == Candidate("x", "e2", 2.0)
    assert list(table) == [Candidate("y", "e1", 7.5), Candidate("x", "e2", 2.0)]
    assert table == [Candidate("y", "e1", 7.5), Candidate("x", "e2", 2.0)]
    assert CandidateTable((), (), np.zeros(0), np.zeros(0), np.zeros(0)) == ()
    assert table.pairs_of({"x"}) == {("x", "e2")}
    try:
        table[2]
    except IndexError:
        pass
    else:
        raise AssertionError("a row past the end must raise IndexError")
    words = [Candidate("a", "e", 1.0, ("speaks Danish",)), Candidate("b", "e", 2.0)]
    assert list(CandidateTable.of(words)) == words


def test_a_table_with_repeated_pairs_unknown_ids_and_a_lock_is_read_like_the_list():
    # Rows: (a, e1) twice (the first counts), an account outside the problem, and a lock on a pair with no row.
    table = CandidateTable(
        ["a", "b", "ghost"],
        ["e1", "e2"],
        np.array([0, 0, 2, 1]),
        np.array([0, 0, 0, 0]),
        np.array([90.0, 10.0, 99.0, 40.0]),
    )
    executives = [Executive("e1", 0, 1), Executive("e2", 0, 1)]
    result = match(MatchingProblem(["a", "b"], executives, table, locked=[("b", "e2")]))
    assert {(p.account, p.executive, p.score) for p in result.pairs} == {("a", "e1", 90.0), ("b", "e2", 0.0)}
    assert result.objective == 90.0
    assert [p.reasons for p in result.pairs if p.account == "b"] == [("locked by the program owner",)]


@settings(max_examples=100, deadline=None)
@given(problems())
def test_the_same_input_gives_the_same_output(problem):
    assert match(problem) == match(problem)


def test_ties_go_to_the_preferred_pairs_and_cost_no_fit():
    accounts, executives = ["a", "b", "c"], [Executive("x", 0, 3), Executive("y", 0, 3)]
    candidates = [Candidate(a, e, 50) for a in accounts for e in ("x", "y")]
    for preferred in ({("a", "y"), ("b", "x"), ("c", "y")}, {("a", "x"), ("b", "x"), ("c", "x")}):
        result = match(MatchingProblem(accounts, executives, candidates, preferred=frozenset(preferred)))
        assert {(p.account, p.executive) for p in result.pairs} == preferred
        assert result.objective == 150


def test_a_preferred_pair_never_wins_against_a_better_fit():
    candidates = [Candidate("a", "x", 50), Candidate("a", "y", 50.001)]
    problem = MatchingProblem(["a"], [Executive("x", 0, 1), Executive("y", 0, 1)], candidates, preferred={("a", "x")})
    assert [(p.account, p.executive) for p in match(problem).pairs] == [("a", "y")]


def test_it_explains_an_account_no_one_may_sponsor():
    problem = MatchingProblem(
        accounts=["sakura"],
        executives=[Executive("cto", 0, 5)],
        candidates=[],
        exclusions={"sakura": ["no executive speaks Japanese"]},
    )
    result = match(problem)
    assert result.unassigned[0].reason == "no eligible executive: no executive speaks Japanese"


def test_a_minimum_that_cannot_be_met_bends_and_names_who_is_short():
    problem = MatchingProblem(
        accounts=["a", "b"],
        executives=[Executive("cfo", 3, 5, name="Dana CFO")],
        candidates=[Candidate("a", "cfo", 10), Candidate("b", "cfo", 10)],
    )
    result = match(problem)
    assert result.status == "optimal"
    assert len(result.pairs) == 2
    assert [(b.executive, b.load, b.capacity_min) for b in result.below_minimum] == [("cfo", 2, 3)]
    assert "only 2 accounts" in result.below_minimum[0].reason


def test_a_hard_minimum_that_cannot_be_met_is_infeasible_and_says_who():
    problem = MatchingProblem(
        accounts=["a", "b"],
        executives=[Executive("cfo", 3, 5, name="Dana CFO")],
        candidates=[Candidate("a", "cfo", 10), Candidate("b", "cfo", 10)],
        hard_minimum=True,
    )
    result = match(problem)
    assert result.status == "infeasible"
    assert any("Dana CFO" in reason for reason in result.infeasible_because)


def test_the_soft_minimum_takes_an_account_from_a_better_fit_when_nothing_else_is_left():
    # y fits better, but x is short of their minimum of 1: the penalty outweighs 90 points of fit.
    problem = MatchingProblem(
        accounts=["a"],
        executives=[Executive("x", 1, 2), Executive("y", 0, 2)],
        candidates=[Candidate("a", "x", 0), Candidate("a", "y", 90)],
    )
    assert [(p.account, p.executive) for p in match(problem).pairs] == [("a", "x")]


def test_load_balance_spreads_accounts_when_fits_are_equal():
    problem = MatchingProblem(
        accounts=["a", "b", "c", "d"],
        executives=[Executive("x", 0, 4), Executive("y", 0, 4)],
        candidates=[Candidate(a, e, 50) for a in "abcd" for e in "xy"],
        load_balance=1.0,
    )
    loads = {load.executive: load.load for load in match(problem).executives}
    assert loads == {"x": 2, "y": 2}


def test_the_load_cost_rises_linearly_not_faster():
    # With a step of 10, x's third account costs 20 (0 + 10 + 20 in all); y's first costs 0. Fits of 25 on
    # x against 3 on y for the third account: 25 − 20 = 5 > 3, so x takes all three. A quadratic or
    # steeper cost would send the third to y.
    problem = MatchingProblem(
        accounts=["a", "b", "c"],
        executives=[Executive("x", 0, 3), Executive("y", 0, 3)],
        candidates=[Candidate(a, "x", 25) for a in "abc"] + [Candidate("c", "y", 3)],
        load_balance=10.0,
    )
    result = match(problem)
    assert {p.account for p in result.pairs if p.executive == "x"} == {"a", "b", "c"}
    assert result.objective == 75 - 30
