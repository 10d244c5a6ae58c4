"""Relationship strength and coverage, checked against the PRODUCT.md defaults computed by hand."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from execsponsor.core.relationships import (
    ContactStanding,
    StrengthPolicy,
    Touch,
    account_coverage,
    contact_strength,
)

TODAY = dt.date(2026, 12, 1)


def days_ago(n, kind="meeting", two_way=True, ident=None):
    return Touch(engagement=ident or f"e{n}-{kind}", day=TODAY - dt.timedelta(days=n), kind=kind, two_way=two_way)


def test_a_c_level_contact_met_every_fortnight_scores_near_the_top():
    touches = [days_ago(n) for n in (0, 14, 28, 42, 56, 70)]
    strength = contact_strength(touches, seniority="c_level", today=TODAY)
    # recency 30 + frequency 25 + two-way 15 + depth 0.9 × 15 + seniority 15
    assert strength.score == pytest.approx(98.5)
    assert strength.points["depth"] == pytest.approx(13.5)


def test_one_way_contact_alone_is_not_a_relationship():
    touches = [days_ago(n, kind="email", two_way=False) for n in (1, 5, 9)]
    strength = contact_strength(touches, seniority="c_level", today=TODAY)
    assert strength.score == 0
    assert not strength.is_relationship
    assert "one-way" in strength.raise_by[0]


def test_nobody_met_scores_zero_and_says_to_meet_them():
    strength = contact_strength([], seniority="vp", today=TODAY)
    assert strength.score == 0
    assert strength.raise_by == ("meet them: nobody on our side has engaged with this contact yet",)


def test_recency_halves_after_thirty_days_without_contact():
    strength = contact_strength([days_ago(30)], seniority="individual", today=TODAY)
    assert strength.points["recency"] == pytest.approx(15.0)
    # one meeting in the window: frequency 1/6 of 25; two-way 15; depth 0.9 × 15; individual 0.2 × 15
    assert strength.score == pytest.approx(15 + 25 / 6 + 15 + 13.5 + 3)


def test_engagements_older_than_ninety_days_do_not_count_as_frequency():
    strength = contact_strength([days_ago(100), days_ago(95), days_ago(91)], seniority="vp", today=TODAY)
    assert strength.points["frequency"] == 0
    assert strength.points["depth"] == 0


def test_future_engagements_are_ignored():
    future = Touch("later", TODAY + dt.timedelta(days=3), "meeting")
    assert contact_strength([future], seniority="vp", today=TODAY).score == 0


def test_the_score_names_its_engagements_newest_first_and_what_would_raise_it():
    strength = contact_strength(
        [days_ago(80, ident="a"), days_ago(70, kind="email", ident="b")], seniority="vp", today=TODAY
    )
    assert strength.engagements == ("b", "a")
    assert any(s == "meet again: the last two-way contact was 70 days ago" for s in strength.raise_by)
    assert any(s.startswith("4 more engagements") for s in strength.raise_by)


def test_weights_are_configurable():
    policy = StrengthPolicy(weights={"recency": 1, "frequency": 0, "two_way": 0, "depth": 0, "seniority": 0})
    strength = contact_strength([days_ago(60)], seniority="c_level", today=TODAY, policy=policy)
    assert strength.score == pytest.approx(25.0)  # 100 × 0.5 ** (60 / 30)


touch_lists = st.lists(
    st.builds(
        Touch,
        engagement=st.text("abcdef", min_size=1, max_size=4),
        day=st.dates(TODAY - dt.timedelta(days=400), TODAY),
        kind=st.sampled_from(["meeting", "call", "email", "dinner", "qbr", "event", "task"]),
        two_way=st.booleans(),
    ),
    max_size=30,
)
seniorities = st.sampled_from(["c_level", "vp", "director", "manager", "individual", ""])


@given(touch_lists, seniorities)
def test_points_add_up_to_the_score_and_stay_within_0_and_100(touches, seniority):
    strength = contact_strength(touches, seniority=seniority, today=TODAY)
    assert sum(strength.points.values()) == pytest.approx(strength.score)
    assert 0 <= strength.score <= 100 + 1e-9


@given(touch_lists, seniorities, st.integers(1, 200))
def test_recency_only_fades_when_a_relationship_is_left_alone(touches, seniority, later):
    now = contact_strength(touches, seniority=seniority, today=TODAY)
    then = contact_strength(touches, seniority=seniority, today=TODAY + dt.timedelta(days=later))
    assert then.points["recency"] <= now.points["recency"] + 1e-9
    assert then.points["frequency"] <= now.points["frequency"] + 1e-9


@given(touch_lists, seniorities, st.integers(90, 400))
def test_a_relationship_left_alone_a_quarter_or_more_is_weaker(touches, seniority, later):
    # Within 90 days the two-way share and depth can rise as older one-way emails leave the window; once the
    # whole window has passed, only the fading recency and the seniority are left.
    now = contact_strength(touches, seniority=seniority, today=TODAY).score
    then = contact_strength(touches, seniority=seniority, today=TODAY + dt.timedelta(days=later)).score
    assert then <= now + 1e-9


def standing(name, strength, persona="power_user"):
    return ContactStanding(contact=name.lower(), name=name, persona=persona, strength=strength)


def test_three_even_threads_are_not_single_threaded():
    coverage = account_coverage(
        [
            standing("Ana", 60, "ceo_coo"),
            standing("Ben", 60, "functional_vp"),
            standing("Cy", 60, "functional_vp"),
            standing("Dee", 20, "power_user"),
        ]
    )
    assert coverage.threads == ("ana", "ben", "cy")
    assert coverage.personas_covered == ("functional_vp", "ceo_coo")
    assert coverage.personas_missing == ("power_user", "team_manager")
    assert not coverage.single_threaded
    # breadth 50 + personas 25 × 2/4 + spread 25 × min(1, 2 × (1 − 60/200))
    assert coverage.multithreading_score == pytest.approx(50 + 12.5 + 25)


def test_fewer_threads_than_the_minimum_is_single_threaded():
    coverage = account_coverage([standing("Ana", 80), standing("Ben", 31), standing("Cy", 30)])
    assert coverage.threads == ("ana", "ben")  # 30 is not above 30
    assert coverage.single_threaded
    # and Ana holds 80 of the 141 points
    assert coverage.reasons == (
        "2 threads where the program asks for at least 3",
        "Ana holds 57% of the relationship strength",
    )


def test_one_thread_holding_most_of_the_strength_is_single_threaded():
    coverage = account_coverage([standing("Ana", 100), standing("Ben", 31), standing("Cy", 31), standing("Dee", 31)])
    assert coverage.single_threaded
    assert coverage.reasons == ("Ana holds 52% of the relationship strength",)


def test_what_if_a_contact_leaves():
    contacts = [standing("Ana", 60), standing("Ben", 60), standing("Cy", 60)]
    assert not account_coverage(contacts).single_threaded
    after = account_coverage(contacts, without=["ben"])
    assert after.threads == ("ana", "cy")
    assert after.single_threaded


def test_the_minimum_number_of_threads_is_configurable():
    contacts = [standing("Ana", 60), standing("Ben", 60)]
    assert not account_coverage(contacts, policy=StrengthPolicy(minimum_threads=2)).single_threaded


def test_no_threads_scores_zero():
    coverage = account_coverage([standing("Ana", 10)])
    assert coverage.multithreading_score == 0
    assert coverage.reasons == ("0 threads where the program asks for at least 3",)


def strength_by_hand(touches, seniority, today):
    """PRODUCT.md's defaults, computed plainly for one contact: the oracle for the vectorised recompute."""
    past = [t for t in touches if t.day <= today]
    two_way_days = [t.day for t in past if t.two_way]
    if not two_way_days:
        return 0.0
    recent = [t for t in past if (today - t.day).days < 90]
    depth = {"dinner": 1.0, "qbr": 1.0, "meeting": 0.9, "event": 0.7, "call": 0.6, "email": 0.3, "task": 0.2}
    rank = {"c_level": 1.0, "vp": 0.8, "director": 0.6, "manager": 0.4, "individual": 0.2}
    recency = 0.5 ** ((today - max(two_way_days)).days / 30)
    frequency = min(1.0, len(recent) / 6)
    two_way = sum(t.two_way for t in recent) / len(recent) if recent else 0.0
    mean_depth = sum(depth[t.kind] for t in recent) / len(recent) if recent else 0.0
    return 30 * recency + 25 * frequency + 15 * two_way + 15 * mean_depth + 15 * rank.get(seniority, 0.2)


@given(st.lists(st.tuples(st.integers(1, 6), touch_lists.map(lambda t: t[:5]), seniorities), max_size=6))
def test_the_nightly_recompute_equals_the_hand_computation_for_every_contact(people):
    import numpy as np

    from execsponsor.core.relationships import DEPTH_BY_KIND, TouchArrays, strengths

    by_contact = {}
    for contact_id, touches, seniority in people:
        by_contact[contact_id] = (touches, seniority)
    rows = [(c, t) for c, (touches, _) in by_contact.items() for t in touches]
    arrays = TouchArrays(
        contact=np.array([c for c, _ in rows], dtype=np.int64),
        day=np.array([t.day.toordinal() for _, t in rows], dtype=np.int64),
        depth=np.array([DEPTH_BY_KIND[t.kind] for _, t in rows], dtype=float),
        two_way=np.array([t.two_way for _, t in rows], dtype=bool),
    )
    table = strengths(arrays, seniority={c: s for c, (_, s) in by_contact.items()}, today=TODAY)
    got = dict(zip(table.contact.tolist(), table.score.tolist(), strict=True))
    assert set(got) == set(by_contact)
    for contact_id, (touches, seniority) in by_contact.items():
        assert got[contact_id] == pytest.approx(strength_by_hand(touches, seniority, TODAY))
