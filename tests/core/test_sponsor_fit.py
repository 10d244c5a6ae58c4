import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from execsponsor.core.matching import Executive, MatchingProblem, match
from execsponsor.core.sponsor_fit import (
    DEFAULT_FIT_WEIGHTS,
    DEFAULT_SENIORITY_BY_SEGMENT,
    AccountProfile,
    ExecutiveProfile,
    FitModel,
    HardRules,
    candidates_for,
)

CFO = ExecutiveProfile(
    "dana",
    "Dana Whitfield",
    function="cfo",
    level_rank=5,
    industries=frozenset({"Banking"}),
    regions=frozenset({"North America"}),
    languages=frozenset({"en"}),
    utc_offset=-5,
)
CTO_JA = ExecutiveProfile(
    "kenji",
    "Kenji Watanabe",
    function="cto",
    level_rank=5,
    industries=frozenset({"Manufacturing"}),
    regions=frozenset({"Japan"}),
    languages=frozenset({"en", "ja"}),
    utc_offset=9,
)
VP = ExecutiveProfile(
    "vic", "Vic Moreau", function="sales", level_rank=2, languages=frozenset({"en", "fr"}), utc_offset=1
)

BANK = AccountProfile(
    "bank",
    "Blue Harbor Bank",
    segment="enterprise",
    industry="Banking",
    region="North America",
    utc_offset=-5,
    counterpart_functions=frozenset({"cfo"}),
)
SAKURA = AccountProfile(
    "sakura",
    "Sakura Denki K.K.",
    segment="enterprise",
    industry="Manufacturing",
    region="Japan",
    required_languages=frozenset({"ja"}),
    utc_offset=9,
)
NORDLICHT = AccountProfile(
    "nord", "Nordlicht AG", segment="enterprise", required_languages=frozenset({"de"}), utc_offset=1
)


def test_it_matches_titles_and_explains_why_with_each_features_points():
    reasons = FitModel([CFO]).reasons(BANK, "dana")
    # Default weights: function 20, industry 20, region 10; the tie between the first two is in feature order.
    assert reasons == (
        "Banking industry expertise (+20.0)",
        "CFO to CFO: matches the customer counterpart (+20.0)",
        "covers North America (+10.0)",
    )


def test_the_points_of_a_pair_add_up_to_its_fit_in_the_candidates():
    model = FitModel([CFO, CTO_JA])
    found = candidates_for([BANK], [CFO, CTO_JA], model=model)
    fit = next(c.fit for c in found.candidates if c.executive == "dana")
    assert model.breakdown(BANK, "dana") == {
        "relationship": 0,
        "industry": 20,
        "region": 10,
        "function": 20,
        "style": 0,
        "continuity": 0,
    }
    assert fit == 50


def plain_fit(account: AccountProfile, executive: ExecutiveProfile, weights) -> float:
    """The fit of one pair as the product describes it, one feature at a time."""
    points = 0.0
    points += weights["relationship"] * min(1.0, max(0.0, executive.relationships.get(account.id, 0.0)))
    points += weights["industry"] * (bool(account.industry) and account.industry in executive.industries)
    points += weights["region"] * (bool(account.region) and account.region in executive.regions)
    points += weights["function"] * (bool(executive.function) and executive.function in account.counterpart_functions)
    if account.style and executive.style:
        points += weights["style"] * len(account.style & executive.style) / len(account.style | executive.style)
    points += weights["continuity"] * (account.id in executive.current_accounts)
    return points


@st.composite
def fit_worlds(draw):
    tags = st.sets(st.sampled_from(["formal", "data", "direct", "warm"]), max_size=3)
    industries, regions = ["Banking", "Retail", "Energy"], ["North America", "Europe", "Japan"]
    accounts = [
        AccountProfile(
            f"a{i}",
            f"Account {i}",
            industry=draw(st.sampled_from(["", *industries])),
            region=draw(st.sampled_from(["", *regions])),
            counterpart_functions=frozenset(draw(st.sets(st.sampled_from(["cfo", "cto", "ceo"]), max_size=2))),
            style=frozenset(draw(tags)),
        )
        for i in range(draw(st.integers(1, 4)))
    ]
    executives = [
        ExecutiveProfile(
            f"e{k}",
            f"Executive {k}",
            function=draw(st.sampled_from(["", "cfo", "cto", "ceo"])),
            industries=frozenset(draw(st.sets(st.sampled_from(industries), max_size=2))),
            regions=frozenset(draw(st.sets(st.sampled_from(regions), max_size=2))),
            style=frozenset(draw(tags)),
            current_accounts=frozenset(a.id for a in accounts if draw(st.integers(0, 3)) == 0),
            relationships={a.id: draw(st.floats(0, 1.5)) for a in accounts if draw(st.booleans())},
        )
        for k in range(draw(st.integers(1, 5)))
    ]
    weights = {name: float(draw(st.integers(0, 50))) for name in DEFAULT_FIT_WEIGHTS}
    return accounts, executives, weights


@settings(max_examples=200, deadline=None)
@given(fit_worlds())
def test_the_solvers_fit_equals_a_plain_per_pair_computation_and_the_points_add_up(world):
    accounts, executives, weights = world
    model = FitModel(executives, weights)
    rules = HardRules(seniority_by_segment={}, time_zone_window_hours=None)
    found = candidates_for(accounts, executives, rules=rules, model=model)
    by_id = {a.id: a for a in accounts} | {e.id: e for e in executives}
    assert len(found.candidates) == len(accounts) * len(executives)
    for candidate in found.candidates:
        expected = plain_fit(by_id[candidate.account], by_id[candidate.executive], weights)
        assert candidate.fit == pytest.approx(expected, abs=0.001)
        points = model.breakdown(by_id[candidate.account], candidate.executive)
        assert sum(points.values()) == pytest.approx(candidate.fit, abs=0.01)


def test_a_live_sponsorship_that_breaks_a_later_rule_is_kept_and_flagged():
    vp_today = VP.__class__(**{**VP.__dict__, "current_accounts": frozenset({"bank"})})
    found = candidates_for([BANK], [vp_today])
    assert [c.executive for c in found.candidates] == ["vic"]
    assert found.grandfathered[("bank", "vic")] == ("SVP+ for enterprise",)  # 6 hours apart: within the window
    enforced = candidates_for([BANK], [vp_today], keep_live=False)
    assert enforced.candidates == ()


def test_a_conflict_of_interest_is_never_grandfathered():
    cfo_today = CFO.__class__(**{**CFO.__dict__, "current_accounts": frozenset({"bank"})})
    found = candidates_for([BANK], [cfo_today], rules=HardRules(forbidden=frozenset({("bank", "dana")})))
    assert found.candidates == () and found.grandfathered == {}


def test_seniority_by_segment_keeps_a_vp_off_enterprise_accounts():
    found = candidates_for([BANK], [VP])
    assert found.candidates == ()
    assert found.exclusions["bank"] == ["no available executive at SVP level or above"]


def test_a_required_language_nobody_speaks_is_the_reason_given():
    found = candidates_for([NORDLICHT], [CFO, CTO_JA])
    assert found.exclusions["nord"] == ["no eligible executive speaks German"]


def test_the_time_zone_window_excludes_far_away_executives():
    found = candidates_for([SAKURA], [CFO, CTO_JA], rules=HardRules(time_zone_window_hours=4))
    assert [c.executive for c in found.candidates] == ["kenji"]


def test_a_forbidden_pair_is_never_proposed_and_a_locked_pair_bypasses_rules():
    rules = HardRules(forbidden=frozenset({("bank", "dana")}), locked=frozenset({("bank", "vic")}))
    found = candidates_for([BANK], [CFO, VP], rules=rules)
    assert [c.executive for c in found.candidates] == ["vic"]


def test_candidates_feed_the_matcher_end_to_end():
    found = candidates_for([BANK, SAKURA, NORDLICHT], [CFO, CTO_JA])
    result = match(
        MatchingProblem(
            accounts=["bank", "sakura", "nord"],
            executives=[Executive("dana", 0, 5), Executive("kenji", 0, 5)],
            candidates=found.candidates,
            exclusions=found.exclusions,
        )
    )
    assert {(p.account, p.executive) for p in result.pairs} == {("bank", "dana"), ("sakura", "kenji")}
    assert result.unassigned[0].reason == "no eligible executive: no eligible executive speaks German"


@st.composite
def companies(draw):
    executives = [
        ExecutiveProfile(
            f"e{k}",
            f"Executive {k}",
            function=draw(st.sampled_from(["cfo", "cto", "ceo", "sales"])),
            level_rank=draw(st.integers(1, 5)),
            languages=frozenset(draw(st.sets(st.sampled_from(["en", "ja", "de"]), min_size=1))),
            utc_offset=draw(st.sampled_from([-8, -5, 0, 1, 9])),
        )
        for k in range(draw(st.integers(1, 6)))
    ]
    accounts = [
        AccountProfile(
            f"a{i}",
            f"Account {i}",
            segment=draw(st.sampled_from(["enterprise", "mid_market", "smb"])),
            required_languages=frozenset(draw(st.sets(st.sampled_from(["ja", "de"]), max_size=1))),
            utc_offset=draw(st.sampled_from([None, -5, 1, 9])),
            counterpart_functions=frozenset(draw(st.sets(st.sampled_from(["cfo", "cto"]), max_size=2))),
        )
        for i in range(draw(st.integers(1, 12)))
    ]
    forbidden = frozenset((a.id, e.id) for a in accounts for e in executives if draw(st.integers(0, 9)) == 0)
    capacities = [Executive(e.id, 0, draw(st.integers(0, 4))) for e in executives]
    return accounts, executives, forbidden, capacities


@settings(max_examples=150, deadline=None)
@given(companies())
def test_matching_never_breaks_seniority_language_time_zone_forbidden_or_capacity(company):
    accounts, executives, forbidden, capacities = company
    rules = HardRules(forbidden=forbidden, time_zone_window_hours=6)
    found = candidates_for(accounts, executives, rules=rules)
    result = match(MatchingProblem([a.id for a in accounts], capacities, found.candidates, exclusions=found.exclusions))
    by_account = {a.id: a for a in accounts}
    by_executive = {e.id: e for e in executives}
    loads = {}
    for pair in result.pairs:
        account, executive = by_account[pair.account], by_executive[pair.executive]
        assert (pair.account, pair.executive) not in forbidden
        assert executive.level_rank >= DEFAULT_SENIORITY_BY_SEGMENT[account.segment]
        assert account.required_languages <= executive.languages
        if account.utc_offset is not None:
            gap = abs(account.utc_offset - executive.utc_offset) % 24
            assert min(gap, 24 - gap) <= 6
        loads[pair.executive] = loads.get(pair.executive, 0) + 1
    for capacity in capacities:
        assert loads.get(capacity.id, 0) <= capacity.capacity_max
    assert {u.account for u in result.unassigned} | {p.account for p in result.pairs} == set(by_account)
