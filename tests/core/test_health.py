"""Health scores, their drivers and the back-test, against values worked out by hand."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from execsponsor.core.health import (
    MEASURES,
    HealthPolicy,
    adoption_score,
    backtest,
    band_of,
    csat_nps_score,
    csm_rating_score,
    explain_change,
    health_score,
    support_load_score,
)


def test_a_measure_without_data_is_left_out_not_counted_as_zero():
    health = health_score({"adoption": 80, "csat_nps": 40, "csm_rating": None})
    # default weights: adoption 20, CSAT/NPS 15 → (20 × 80 + 15 × 40) / 35 = 62.86
    assert health.score == 63
    assert health.band == "yellow"
    assert set(health.measures) == {"adoption", "csat_nps"}


def test_no_data_at_all_is_not_scored():
    health = health_score({"adoption": None})
    assert health.score is None and health.band is None


@pytest.mark.parametrize(
    ("score", "band"),
    [(0, "red"), (50, "red"), (50.4, "red"), (51, "yellow"), (75, "yellow"), (76, "green"), (100, "green")],
)
def test_bands_follow_the_defaults(score, band):
    assert band_of(score) == band


def test_weights_can_differ_per_segment():
    policy = HealthPolicy(segment_weights={"enterprise": {"adoption": 0}})
    measures = {"adoption": 90, "csat_nps": 40}
    assert health_score(measures, segment="enterprise", policy=policy).score == 40
    assert health_score(measures, segment="smb", policy=policy).score == round((20 * 90 + 15 * 40) / 35)


def test_the_drivers_of_a_change_name_the_measure_that_moved_it():
    before = health_score({"adoption": 80, "csat_nps": 80})
    after = health_score({"adoption": 80, "csat_nps": 55})
    drivers = explain_change(before, after)
    assert [d.measure for d in drivers] == ["csat_nps"]
    assert drivers[0].points == pytest.approx(15 * (55 - 80) / 35)
    assert drivers[0].sentence == "CSAT / NPS fell from 80 to 55: -10.7 points"


def test_a_measure_that_gains_data_is_said_so():
    before = health_score({"adoption": 80})
    after = health_score({"adoption": 80, "support_load": 20})
    sentences = [d.sentence for d in explain_change(before, after)]
    assert "Support load now has data (20): -20.0 points" in sentences


measure_values = st.dictionaries(st.sampled_from(MEASURES), st.none() | st.floats(0, 100), min_size=1)


@given(measure_values, measure_values)
def test_drivers_add_up_to_the_change(old, new):
    before, after = health_score(old), health_score(new)
    if before.score is None or after.score is None:
        assert explain_change(before, after) == ()
        return
    total_change = after.value - before.value
    assert sum(d.points for d in explain_change(before, after)) == pytest.approx(total_change, abs=1e-6)


@given(measure_values)
def test_the_score_stays_between_its_lowest_and_highest_measure(measures):
    health = health_score(measures)
    present = [v for v in measures.values() if v is not None]
    if not present:
        assert health.score is None
        return
    assert round(min(present)) - 1 <= health.score <= round(max(present)) + 1


def test_measure_scores_from_raw_figures():
    assert csat_nps_score(csat=4) == 75
    assert csat_nps_score(nps=0) == 50
    assert csat_nps_score(csat=4, nps=0) == 62.5
    assert csat_nps_score() is None
    assert adoption_score(active_users=40, licensed_users=100) == 50
    assert adoption_score(active_users=90, licensed_users=100) == 100
    assert adoption_score(active_users=None, licensed_users=100) is None
    assert support_load_score(tickets_per_month=0) == 100
    assert support_load_score(tickets_per_month=4) == 50
    assert support_load_score(tickets_per_month=4, escalations=1) == 35
    assert support_load_score(tickets_per_month=None) is None


def test_a_stale_csm_rating_is_left_out():
    assert csm_rating_score(rating="green", age_days=30) == 90
    assert csm_rating_score(rating="green", age_days=400) is None


def test_backtest_perfect_and_useless_rankings():
    perfect = backtest([10, 20, 30, 40], [True, True, False, False])
    assert perfect.auc == 1.0
    useless = backtest([10, 40, 20, 30], [True, True, False, False])
    # bad-outcome scores 10 and 40 against good 20 and 30: 10 is lower than both, 40 lower than neither
    assert useless.auc == 0.5
    assert useless.ci_low <= 0.5 <= useless.ci_high


def test_backtest_counts_ties_as_half():
    assert backtest([10, 10], [True, False]).auc == 0.5


def test_backtest_without_both_outcomes_has_no_auc():
    result = backtest([10, 80], [False, False])
    assert result.auc is None
    assert result.accounts == 2


def test_calibration_by_band():
    result = backtest([20, 40, 60, 70, 90, 95], [True, False, True, False, False, False])
    rows = {c.band: c for c in result.calibration}
    assert (rows["red"].accounts, rows["red"].bad_outcomes, rows["red"].rate) == (2, 1, 0.5)
    assert (rows["yellow"].accounts, rows["yellow"].bad_outcomes) == (2, 1)
    assert (rows["green"].accounts, rows["green"].bad_outcomes, rows["green"].rate) == (2, 0, 0.0)


@given(st.lists(st.tuples(st.integers(0, 100), st.booleans()), min_size=2, max_size=40))
def test_auc_is_the_share_of_bad_good_pairs_where_the_bad_account_scored_lower(rows):
    scores, bad = [s for s, _ in rows], [b for _, b in rows]
    result = backtest(scores, bad)
    pairs = [(s1, s2) for (s1, b1), (s2, b2) in itertools.product(rows, rows) if b1 and not b2]
    if not pairs:
        assert result.auc is None
        return
    expected = sum(1.0 if s1 < s2 else 0.5 if s1 == s2 else 0.0 for s1, s2 in pairs) / len(pairs)
    assert result.auc == pytest.approx(expected)
    assert 0 <= result.ci_low <= result.auc <= result.ci_high <= 1
