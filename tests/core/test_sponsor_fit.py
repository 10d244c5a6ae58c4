from hypothesis import given, settings
from hypothesis import strategies as st

from execsponsor.core.matching import Executive, MatchingProblem, match
from execsponsor.core.sponsor_fit import (
    DEFAULT_SENIORITY_BY_SEGMENT,
    AccountProfile,
    ExecutiveProfile,
    HardRules,
    candidates_for,
    reasons_for,
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


def test_it_matches_titles_and_explains_why():
    reasons = reasons_for(BANK, CFO)
    assert set(reasons[:2]) == {"CFO to CFO: matches the customer counterpart", "Banking industry expertise"}
    assert reasons[2] == "covers North America"


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
