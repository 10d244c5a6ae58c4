"""Departure detection: one strong or two weak signals, never a delayed bounce or an ordinary absence."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from execsponsor.core.departures import Evidence, assess_contact

TODAY = dt.date(2026, 12, 1)


def seen(kind, days_ago=1, **extra):
    return Evidence(kind=kind, observed_on=TODAY - dt.timedelta(days=days_ago), **extra)


def test_a_hard_bounce_after_which_they_send_nothing_is_a_probable_departure():
    result = assess_contact([seen("hard_bounce", 3, detail="5.1.1 user unknown")], today=TODAY)
    assert result.verdict == "probable_departure"
    assert result.confidence == 0.85
    assert result.reasons == ("a hard bounce on 2026-11-28: 5.1.1 user unknown",)


def test_a_hard_bounce_before_they_wrote_again_is_set_aside():
    result = assess_contact([seen("hard_bounce", 10)], today=TODAY, last_heard_from=TODAY - dt.timedelta(days=2))
    assert result.verdict == "none"
    assert result.reasons == ("set aside a hard bounce on 2026-11-21: they wrote on 2026-11-29",)


@pytest.mark.parametrize("kind", ["soft_bounce", "out_of_office"])
def test_a_delayed_bounce_or_an_ordinary_absence_is_never_a_departure(kind):
    result = assess_contact([seen(kind, d) for d in (1, 2, 3, 4, 5)], today=TODAY)
    assert result.verdict == "none"
    assert result.confidence == 0


def test_one_weak_signal_is_only_possible():
    result = assess_contact([seen("unsubscribe")], today=TODAY)
    assert result.verdict == "possible"
    assert result.confidence == 0.5


def test_two_weak_signals_make_a_probable_departure():
    result = assess_contact([seen("unsubscribe", 5), seen("login_drop", 2)], today=TODAY)
    assert result.verdict == "probable_departure"
    assert result.confidence == 0.75  # 1 − 0.5 × 0.5
    assert [e.kind for e in result.evidence] == ["unsubscribe", "login_drop"]


def test_repeats_of_one_weak_signal_do_not_add_up():
    result = assess_contact([seen("unsubscribe", d) for d in (1, 8, 15)], today=TODAY)
    assert result.verdict == "possible"


def test_strong_and_weak_evidence_combine():
    result = assess_contact([seen("hard_bounce", 4), seen("unsubscribe", 2)], today=TODAY)
    assert result.confidence == pytest.approx(1 - 0.15 * 0.5)


def test_a_left_the_company_reply_names_where_they_went():
    notice = seen("departure_notice", 1, new_company="Nordlicht Logistik GmbH")
    result = assess_contact([notice], today=TODAY)
    assert result.departed
    assert result.new_company == "Nordlicht Logistik GmbH"
    assert result.reasons == ("a reply saying they have left on 2026-11-30 (now at Nordlicht Logistik GmbH)",)


def test_a_new_role_inside_the_same_customer_is_its_own_case():
    move = seen("job_change", 6, new_title="Chief Operating Officer", same_company=True)
    result = assess_contact([move], today=TODAY)
    assert result.verdict == "role_change"
    assert result.new_title == "Chief Operating Officer"
    assert not result.departed


def test_evidence_older_than_the_window_no_longer_counts():
    result = assess_contact([seen("hard_bounce", 200)], today=TODAY)
    assert result.verdict == "none"


kinds = st.sampled_from(
    ["hard_bounce", "departure_notice", "job_change", "unsubscribe", "login_drop", "soft_bounce", "out_of_office"]
)
evidence_lists = st.lists(st.builds(seen, kinds, st.integers(0, 100)), max_size=8)


@given(evidence_lists, st.builds(seen, kinds, st.integers(0, 100)))
def test_more_evidence_never_lowers_the_confidence(evidence, extra):
    assert (
        assess_contact([*evidence, extra], today=TODAY).confidence >= assess_contact(evidence, today=TODAY).confidence
    )


@given(evidence_lists, st.lists(st.builds(seen, st.sampled_from(["soft_bounce", "out_of_office"])), max_size=5))
def test_delayed_bounces_and_absences_never_change_the_verdict(evidence, noise):
    assert assess_contact([*evidence, *noise], today=TODAY).verdict == assess_contact(evidence, today=TODAY).verdict
