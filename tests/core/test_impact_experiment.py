"""The experimental estimate against hand computations: difference in means, randomisation inference by
enumerating the re-draws, the inverted test's interval, and the NRR measured from the draw."""

import itertools

import numpy as np
import pytest

from execsponsor.core.impact_experiment import (
    BandOutcomes,
    ExperimentNotEstimable,
    ExperimentOptions,
    estimate_experiment,
    nrr_after_draw,
)


def band(drawn_in, drawn_out, label="2026 Q1"):
    outcomes = {f"in{i}": v for i, v in enumerate(drawn_in)} | {f"out{i}": v for i, v in enumerate(drawn_out)}
    return BandOutcomes(label, outcomes, frozenset(f"in{i}" for i in range(len(drawn_in))))


def test_two_against_two_enumerated_by_hand():
    # the 6 ways to draw 2 of {110, 106, 100, 98}: differences 9, 3, 1, -1, -3, -9; |d| >= 9 twice: p = 2/6
    result = estimate_experiment([band([110, 106], [100, 98])])
    assert result.estimate == 9
    assert (result.mean_in, result.mean_out) == (108, 99)
    assert result.p_value == pytest.approx(1 / 3, abs=1e-4)
    assert result.exact and result.redraws == 6


def test_a_draw_too_small_for_5_percent_gives_no_interval_and_says_so():
    result = estimate_experiment([band([110, 106], [100, 98])])
    assert result.smallest_p_value == pytest.approx(1 / 3, abs=1e-4)
    assert result.ci_low is None and result.ci_high is None
    assert "Too few accounts" in result.limits[0]
    assert "too small for a 95% interval" in result.summary


def test_three_against_three_enumerated_by_hand():
    # in {5, 4, 1}, out {3, 2, 0}: d = 10/3 - 5/3 = 5/3; a draw of sum S gives d = (2S - 15)/3, as extreme when
    # S >= 10 ({5,4,3} {5,4,2} {5,4,1} {5,3,2}) or S <= 5 (their complements): p = 8/20
    result = estimate_experiment([band([5, 4, 1], [3, 2, 0])])
    assert result.estimate == pytest.approx(5 / 3, abs=0.01)
    assert result.p_value == pytest.approx(0.4, abs=1e-4)
    assert result.redraws == 20


def test_two_bands_are_re_drawn_separately_and_averaged_by_size():
    # band 1: 4 against 0 (+4), band 2: 1 against 3 (-2), equal sizes: +1; the 4 joint re-draws give +1, +3, -3, -1
    result = estimate_experiment([band([4], [0], "A"), band([1], [3], "B")])
    assert result.estimate == 1
    assert result.redraws == 4 and result.bands == 2
    assert result.p_value == 1


def brute_force_interval(drawn_in, drawn_out, alpha=0.05, step=0.01):
    """An independent implementation: every re-draw listed with itertools, p by definition on a grid of τ."""
    y = np.array(drawn_in + drawn_out, dtype=float)
    n, k = len(y), len(drawn_in)
    draws = np.array([[i in c for i in range(n)] for c in itertools.combinations(range(n), k)], dtype=float)
    z = np.array([1.0] * k + [0.0] * (n - k))
    observed = y[:k].mean() - y[k:].mean()

    def p(tau):
        shifted = y - tau * z
        diffs = draws @ shifted / k - (1 - draws) @ shifted / (n - k)
        return np.mean(np.abs(diffs) >= abs(observed - tau) - 1e-9)

    grid = np.arange(observed - 15, observed + 15, step)
    accepted = [t for t in grid if p(t) > alpha]
    return min(accepted), max(accepted)


def test_the_interval_is_the_set_of_effects_the_test_does_not_reject():
    drawn_in, drawn_out = [112.0, 104.5, 109.0, 101.0, 107.5], [101.5, 99.0, 104.0, 96.5, 100.5]
    result = estimate_experiment([band(drawn_in, drawn_out)])
    low, high = brute_force_interval(drawn_in, drawn_out, step=0.02)
    assert result.ci_low == pytest.approx(low, abs=0.03)
    assert result.ci_high == pytest.approx(high, abs=0.03)
    assert result.ci_low < result.estimate < result.ci_high


def test_outcomes_alike_within_each_group_pin_the_effect_exactly():
    # every re-draw but the draw and its mirror mixes the groups, so only τ = the difference survives
    result = estimate_experiment([band([106.0] * 4, [100.0] * 4)])
    assert result.ci_low == pytest.approx(6, abs=1e-6) and result.ci_high == pytest.approx(6, abs=1e-6)


def test_sampled_re_draws_approach_the_exact_p_value_and_are_reproducible_by_seed():
    rng = np.random.default_rng(3)
    drawn_in, drawn_out = list(100 + rng.normal(3, 4, 8)), list(100 + rng.normal(0, 4, 8))
    exact = estimate_experiment([band(drawn_in, drawn_out)], options=ExperimentOptions(exact_up_to=10**6))
    sampled = estimate_experiment([band(drawn_in, drawn_out)], options=ExperimentOptions(exact_up_to=0, seed=5))
    assert exact.exact and not sampled.exact and sampled.redraws == 2001
    assert sampled.p_value == pytest.approx(exact.p_value, abs=0.03)
    again = estimate_experiment([band(drawn_in, drawn_out)], options=ExperimentOptions(exact_up_to=0, seed=5))
    assert again == sampled


def test_a_planted_effect_is_inside_the_interval():
    rng = np.random.default_rng(8)
    base = 100 + rng.normal(0, 3, 30)
    drawn = rng.permutation(30)[:15]
    outcomes = base.copy()
    outcomes[drawn] += 6
    z = set(drawn.tolist())
    result = estimate_experiment([band([outcomes[i] for i in z], [outcomes[i] for i in range(30) if i not in z])])
    assert result.ci_low < 6 < result.ci_high
    assert result.p_value < 0.05


def test_a_band_without_both_groups_is_not_estimable_in_words():
    with pytest.raises(ExperimentNotEstimable, match="at least one complete quarter"):
        estimate_experiment([band([101.0, 103.0], [])])


def test_nrr_from_the_draw_leaves_out_the_draw_quarter_and_uses_the_complete_quarters_after():
    revenue = {0: 100, 1: 100, 2: 100, 3: 100, 4: 999, 5: 110, 6: 120}  # draw in period 4
    assert nrr_after_draw(revenue, draw_period=4, last_complete=6) == pytest.approx(115)
    assert nrr_after_draw(revenue, draw_period=4, last_complete=5) == pytest.approx(110)
    assert nrr_after_draw(revenue, draw_period=4, last_complete=4) is None  # no complete quarter after yet
    assert nrr_after_draw({1: 100, 2: 100, 3: 100, 5: 104}, draw_period=4, last_complete=5) is None  # no period 0
