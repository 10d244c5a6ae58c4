from execsponsor.core.matching import MatchingProblem, match
from execsponsor.core.sponsor_fit import AccountProfile, ExecutiveProfile, HardRules, candidates_for, reasons_for

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
    assert found.exclusions["bank"] == ["no available executive at C-suite level or above"]


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
    from execsponsor.core.matching import Executive

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
