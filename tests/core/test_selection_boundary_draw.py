"""The random draw among near-tied accounts at the shortlist boundary, on hand-built score lists."""

import numpy as np
import pytest

from execsponsor.core.selection import (
    AccountFacts,
    BoundaryRandomisation,
    ScoredAccount,
    SelectionResult,
    randomise_boundary,
    rank_accounts,
)


def ranking(scores, *, shortlist, in_program=()):
    """A plain ranking of accounts a, b, c, … with these scores (best first) and the first `shortlist` in."""
    ranked = tuple(
        ScoredAccount(chr(ord("a") + i), f"Account {chr(ord('a') + i)}", score, {}, chr(ord("a") + i) in in_program)
        for i, score in enumerate(scores)
    )
    return SelectionResult(ranked=ranked, shortlist=tuple(s.account for s in ranked[:shortlist]))


def draw(result, tolerance=2.0, seed=7):
    return randomise_boundary(result, BoundaryRandomisation(tolerance=tolerance, seed=seed))


def test_the_band_holds_the_accounts_within_the_tolerance_of_the_cut_off_both_edges_included():
    # cut-off: the 4th score, 80; band [78, 82] includes 82 and 78 exactly, not 82.01 or 77.99
    result = draw(ranking([90, 82.01, 82, 80, 79, 78, 77.99], shortlist=4))
    assert [m.account for m in result.draw.band] == ["c", "d", "e", "f"]
    assert result.draw.cut_off == 80
    assert result.draw.slots == 2  # places 3 and 4; a and b are above the band
    assert {"a", "b"} <= set(result.shortlist)
    assert "g" not in result.shortlist


def test_the_draw_fills_exactly_the_places_left_and_the_rest_of_the_band_stays_out():
    result = draw(ranking([90, 81, 80, 80, 79.5, 60], shortlist=3))
    assert len(result.shortlist) == 3
    assert result.shortlist[0] == "a"
    assert len(result.draw.drawn_in) == 2 and len(result.draw.drawn_out) == 2
    assert set(result.draw.drawn_in) | set(result.draw.drawn_out) == {"b", "c", "d", "e"}
    assert set(result.shortlist) == {"a", *result.draw.drawn_in}


def test_a_band_that_fits_in_the_places_left_leaves_nothing_to_chance():
    # the next account below the cut is 10 points away: the band is the shortlist's own tail
    plain = ranking([90, 81, 80, 70], shortlist=3)
    result = draw(plain)
    assert result.draw is None
    assert result.shortlist == ("a", "b", "c")


def test_no_band_means_nothing_random():
    plain = ranking([90, 85, 80, 75, 70], shortlist=2)
    assert draw(plain, tolerance=2.0) == plain


def test_a_shortlist_holding_everyone_or_no_one_has_no_boundary():
    assert draw(ranking([80, 80, 80], shortlist=3)).draw is None
    assert draw(ranking([80, 80, 80], shortlist=0)).draw is None


def test_exact_ties_at_the_cut_off_are_drawn_even_with_zero_tolerance():
    result = draw(ranking([90, 80, 80, 80, 79.99], shortlist=2), tolerance=0)
    assert [m.account for m in result.draw.band] == ["b", "c", "d"]
    assert result.draw.slots == 1
    assert "e" not in result.shortlist


def test_a_band_larger_than_the_places_left_is_drawn_without_favouring_the_top_of_the_band():
    # 1 place among 4 tied accounts: over many seeds each wins about a quarter of the draws
    plain = ranking([90, 80, 80, 80, 80], shortlist=2)
    wins = {"b": 0, "c": 0, "d": 0, "e": 0}
    for seed in range(2000):
        (winner,) = draw(plain, seed=seed).draw.drawn_in
        wins[winner] += 1
    assert all(400 < n < 600 for n in wins.values()), wins


def test_accounts_already_in_the_program_keep_their_place_and_are_not_drawn():
    plain = ranking([90, 80, 80, 80, 80], shortlist=3, in_program={"e"})
    result = draw(plain)
    assert result.draw.already_in_program == ("e",)
    assert [m.account for m in result.draw.band] == ["b", "c", "d"]
    assert result.draw.slots == 1
    assert "e" in result.shortlist and len(result.shortlist) == 3


def test_the_same_seed_and_ranking_give_the_same_draw_and_the_draw_is_numpys_seeded_permutation():
    plain = ranking([90, 80, 80, 80, 80, 80, 80], shortlist=3)
    first, again = draw(plain, seed=2026), draw(plain, seed=2026)
    assert first == again
    # written out: Generator(PCG64(2026)).permutation over the band b..g in rank order, first two places in
    order = np.random.default_rng(2026).permutation(6)
    assert set(first.draw.drawn_in) == {"bcdefg"[int(i)] for i in order[:2]}
    others = {draw(plain, seed=s).draw.drawn_in for s in range(30)}
    assert len(others) > 5  # other seeds give other draws


def test_rank_accounts_applies_the_draw_when_asked():
    accounts = [AccountFacts(id=f"x{i}", name=f"X{i}", segment="enterprise", strategic_value=v)
                for i, v in enumerate([90, 50, 50, 50, 10])]  # fmt: skip
    plain = rank_accounts(accounts, weights={"strategic_value": 1}, shortlist_size=2)
    drawn = rank_accounts(
        accounts, weights={"strategic_value": 1}, shortlist_size=2, boundary=BoundaryRandomisation(1.0, seed=3)
    )
    assert plain.draw is None
    assert [m.account for m in drawn.draw.band] == ["x1", "x2", "x3"]
    assert drawn.shortlist[0] == "x0" and len(drawn.shortlist) == 2


@pytest.mark.parametrize("tolerance, seed", [(-0.5, 1), (25, 1), (2, -1), (2, 2**63)])
def test_bad_tolerances_and_seeds_are_refused_in_words(tolerance, seed):
    with pytest.raises(ValueError, match="tolerance|seed"):
        BoundaryRandomisation(tolerance=tolerance, seed=seed)
