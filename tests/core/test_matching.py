"""The matcher: hard constraints always hold, and its objective equals a brute-force optimum."""

from __future__ import annotations

import itertools
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from execsponsor.core.matching import Candidate, Executive, MatchingProblem, match, objective_of


@st.composite
def problems(draw):
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
    if candidates and draw(st.booleans()):
        chosen = draw(st.sampled_from(candidates))
        locked.append((chosen.account, chosen.executive))
    load_balance = draw(st.sampled_from([0.0, 0.5, 3.0]))
    return MatchingProblem(accounts, executives, candidates, locked=locked, load_balance=load_balance)


def room_needed(executive: Executive) -> int:
    """Accounts this problem must add so the executive reaches their minimum (what they keep counts)."""
    return max(0, min(executive.capacity_min, executive.capacity_max) - executive.kept_load)


def brute_force(problem: MatchingProblem) -> float | None:
    options = {a: [None] for a in problem.accounts}
    for c in problem.candidates:
        options[c.account].append(c.executive)
    locked = dict(problem.locked)
    best = None
    for choice in itertools.product(*(options[a] for a in problem.accounts)):
        pairs = [(a, e) for a, e in zip(problem.accounts, choice, strict=True) if e is not None]
        if any(dict(pairs).get(a) != e for a, e in locked.items()):
            continue
        counts = Counter(e for _, e in pairs)
        if any(
            not (room_needed(x) <= counts[x.id] <= max(0, x.capacity_max - x.kept_load)) for x in problem.executives
        ):
            continue
        value = objective_of(problem, pairs)
        best = value if best is None else max(best, value)
    return best


def feasible_pairs_hold_constraints(problem, result):
    counts = Counter(p.executive for p in result.pairs)
    by_id = {e.id: e for e in problem.executives}
    allowed = {(c.account, c.executive) for c in problem.candidates}
    assert len({p.account for p in result.pairs}) == len(result.pairs), "an account got two sponsors"
    for pair in result.pairs:
        assert (pair.account, pair.executive) in allowed or (pair.account, pair.executive) in set(problem.locked)
    for executive_id, count in counts.items():
        executive = by_id[executive_id]
        assert executive.kept_load + count <= executive.capacity_max
    for executive in problem.executives:
        assert counts[executive.id] >= room_needed(executive)
    assigned = {(p.account, p.executive) for p in result.pairs}
    for lock in problem.locked:
        assert lock in assigned


@settings(max_examples=300, deadline=None)
@given(problems())
def test_the_objective_equals_the_brute_force_optimum(problem):
    result = match(problem)
    best = brute_force(problem)
    if best is None:
        assert result.status == "infeasible"
        assert result.infeasible_because
    else:
        assert result.status == "optimal", result.infeasible_because
        assert result.objective == best
        assert objective_of(problem, [(p.account, p.executive) for p in result.pairs]) == best
        feasible_pairs_hold_constraints(problem, result)


@settings(max_examples=100, deadline=None)
@given(problems())
def test_the_same_input_gives_the_same_output(problem):
    assert match(problem) == match(problem)


def test_it_explains_an_account_no_one_may_sponsor():
    problem = MatchingProblem(
        accounts=["sakura"],
        executives=[Executive("cto", 0, 5)],
        candidates=[],
        exclusions={"sakura": ["no executive speaks Japanese"]},
    )
    result = match(problem)
    assert result.unassigned[0].reason == "no eligible executive: no executive speaks Japanese"


def test_it_says_which_minimum_makes_the_request_infeasible():
    problem = MatchingProblem(
        accounts=["a", "b"],
        executives=[Executive("cfo", 3, 5, name="Dana CFO")],
        candidates=[Candidate("a", "cfo", 10), Candidate("b", "cfo", 10)],
    )
    result = match(problem)
    assert result.status == "infeasible"
    assert any("Dana CFO" in reason or "minimum" in reason for reason in result.infeasible_because)


def test_load_balance_spreads_accounts_when_fits_are_equal():
    problem = MatchingProblem(
        accounts=["a", "b", "c", "d"],
        executives=[Executive("x", 0, 4), Executive("y", 0, 4)],
        candidates=[Candidate(a, e, 50) for a in "abcd" for e in "xy"],
        load_balance=1.0,
    )
    loads = {load.executive: load.load for load in match(problem).executives}
    assert loads == {"x": 2, "y": 2}
