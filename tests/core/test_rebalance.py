from execsponsor.core.matching import Candidate
from execsponsor.core.rebalance import ExecutiveState, SponsorshipState, plan_rebalance


def sponsorship(n, account, executive, **facts):
    defaults = {
        "started_on": f"2026-0{1 + n % 8}-01",
        "counting_engagements_last_quarter": 2,
        "objectives_total": 2,
        "objectives_met": 1,
        "health_bands": ("yellow", "yellow"),
    }
    return SponsorshipState(f"s{n}", account, account.title(), executive, **{**defaults, **facts})


DANA = ExecutiveState("dana", "Dana Whitfield", capacity_max=2)
KENJI = ExecutiveState("kenji", "Kenji Watanabe", capacity_max=3)


def test_a_green_account_with_objectives_met_graduates():
    plan = plan_rebalance(
        [sponsorship(1, "acme", "dana", health_bands=("green", "green"), objectives_met=2)], [DANA], [], []
    )
    assert [(p.action, p.account) for p in plan.proposals] == [("remove", "acme")]
    assert plan.proposals[0].reason.startswith("graduated")


def test_a_sponsorship_without_counting_engagements_or_moving_objectives_is_not_progressing():
    plan = plan_rebalance([sponsorship(1, "acme", "dana", counting_engagements_last_quarter=0)], [DANA], [], [])
    assert plan.proposals[0].reason.startswith("not progressing")


def test_an_overloaded_executive_hands_their_newest_account_to_someone_with_room():
    states = [
        sponsorship(1, "acme", "dana", started_on="2025-01-01"),
        sponsorship(2, "blue", "dana", started_on="2025-06-01"),
        sponsorship(3, "cobalt", "dana", started_on="2026-03-01"),
    ]
    candidates = [Candidate("cobalt", "kenji", 40.0), Candidate("cobalt", "dana", 90.0)]
    plan = plan_rebalance(states, [DANA, KENJI], [], candidates)
    [move] = plan.of("reassign")
    assert (move.account, move.from_executive, move.to_executive) == ("cobalt", "dana", "kenji")
    assert "3 accounts against a capacity of 2" in move.reason


def test_accounts_of_a_departed_sponsor_are_reassigned():
    gone = ExecutiveState("dana", "Dana Whitfield", capacity_max=2, active=False)
    plan = plan_rebalance([sponsorship(1, "acme", "dana")], [gone, KENJI], [], [Candidate("acme", "kenji", 10)])
    assert [(p.action, p.to_executive, p.reason) for p in plan.proposals] == [
        ("reassign", "kenji", "the sponsor has left the company")
    ]


def test_freed_capacity_adds_the_best_ranked_accounts_outside_the_program():
    states = [sponsorship(1, "acme", "dana", health_bands=("green", "green"), objectives_met=2)]
    outside = ["delta", "evergreen", "fjord", "granite", "helios", "iris"]
    candidates = [Candidate(a, e, 50) for a in outside for e in ("dana", "kenji")]
    plan = plan_rebalance(states, [DANA, KENJI], outside, candidates)
    # Acme graduates, so Dana has 2 free slots and Kenji 3: the five best-ranked accounts come in.
    assert [p.account for p in plan.of("add")] == outside[:5]
    assert plan.of("add")[0].reason == "ranked #1 among accounts outside the program"


def test_a_clearly_better_fit_with_room_takes_over_an_account():
    states = [sponsorship(1, "acme", "dana")]
    candidates = [Candidate("acme", "dana", 20.0), Candidate("acme", "kenji", 65.0)]
    plan = plan_rebalance(states, [DANA, KENJI], [], candidates)
    [move] = plan.of("reassign")
    assert (move.from_executive, move.to_executive) == ("dana", "kenji")
    assert move.reason == "a better fit has room: Kenji Watanabe fits 65 against today's 20"


def test_a_slightly_better_fit_does_not_move_an_account():
    states = [sponsorship(1, "acme", "dana")]
    candidates = [Candidate("acme", "dana", 50.0), Candidate("acme", "kenji", 60.0)]
    assert plan_rebalance(states, [DANA, KENJI], [], candidates).of("reassign") == []
