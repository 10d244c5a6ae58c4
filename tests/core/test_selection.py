import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import rankdata

from execsponsor.core.selection import (
    AccountFacts,
    EligibilityRules,
    average_ranks,
    percentile_scores,
    rank_accounts,
)


def enterprise(name, **facts):
    return AccountFacts(id=name.lower().replace(" ", "-"), name=name, segment="enterprise", **facts)


def test_one_huge_account_does_not_flatten_the_others():
    accounts = [enterprise(f"Customer {i}", arr=100_000 * (i + 1)) for i in range(9)]
    accounts.append(enterprise("Megacorp", arr=3_000_000_000))
    result = rank_accounts(accounts, weights={"revenue": 1})
    revenue = {s.name: s.breakdown["revenue"] for s in result.ranked}
    assert revenue["Megacorp"] == 100
    assert revenue["Customer 8"] > 85  # second largest stays near the top, not squashed to ~0
    assert revenue["Customer 0"] == 0


def test_scores_are_between_0_and_100_with_a_breakdown_per_criterion():
    accounts = [
        enterprise(
            "Acme",
            arr=500_000,
            strategic_value=80,
            days_to_renewal=30,
            growth_potential=2e6,
            health_score=40,
            c_level_threads=1,
        ),
        enterprise(
            "Blue Harbor",
            arr=90_000,
            strategic_value=20,
            days_to_renewal=300,
            growth_potential=1e4,
            health_score=90,
            c_level_threads=4,
        ),
    ]
    result = rank_accounts(accounts)
    assert [s.name for s in result.ranked] == ["Acme", "Blue Harbor"]
    for scored in result.ranked:
        assert 0 <= scored.score <= 100
        assert set(scored.breakdown) == {
            "strategic_value",
            "revenue",
            "retention_risk",
            "growth_potential",
            "health_need",
            "c_level_access",
        }


def test_a_criterion_without_data_is_left_out_not_counted_as_zero():
    result = rank_accounts([enterprise("Acme", strategic_value=80)], weights={"strategic_value": 1, "revenue": 1})
    assert result.ranked[0].breakdown["revenue"] is None
    assert result.ranked[0].score == 80


def test_eligibility_rules_exclude_with_a_reason():
    accounts = [
        enterprise("Acme", arr=1),
        AccountFacts(id="smb", name="Corner Shop", segment="smb"),
        enterprise("Leaving Ltd", in_churn=True),
    ]
    result = rank_accounts(accounts, rules=EligibilityRules(segments=frozenset({"enterprise"})))
    assert [s.name for s in result.ranked] == ["Acme"]
    reasons = {e.name: e.reason for e in result.excluded}
    assert reasons == {"Corner Shop": "segment smb is not in enterprise", "Leaving Ltd": "the customer is churning"}


def test_the_shortlist_is_cut_to_the_size_asked():
    accounts = [enterprise(f"C{i}", strategic_value=i) for i in range(10)]
    result = rank_accounts(accounts, shortlist_size=3)
    assert result.shortlist == ("c9", "c8", "c7")


@given(st.lists(st.one_of(st.none(), st.floats(0, 1e10)), max_size=30))
def test_percentile_scores_keep_order_and_stay_in_range(values):
    scores = percentile_scores(values)
    present = [(v, s) for v, s in zip(values, scores, strict=True) if v is not None]
    for v, s in present:
        assert 0 <= s <= 100
    for v1, s1 in present:
        for v2, s2 in present:
            if v1 < v2:
                assert s1 < s2


@given(st.lists(st.sampled_from([0.0, 1.5, 2.0, 7.25, 100.0, -3.0]) | st.floats(-1e6, 1e6), min_size=1, max_size=40))
def test_average_ranks_agree_with_scipy(values):
    assert np.allclose(average_ranks(np.array(values)), rankdata(values, method="average"))
