"""Cadence over simulated time: the expected states come from PRODUCT.md (14 days; at risk from day 12,
overdue after day 14; only engagements that count reset the clock; paused is never due)."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from execsponsor.core.cadence import Cadence, CadenceRule, CadenceState, cadence_of

APPROVED = dt.date(2026, 3, 2)


def day(n: int) -> dt.date:
    return APPROVED + dt.timedelta(days=n)


def test_a_sponsorship_goes_at_risk_on_day_12_and_overdue_after_day_14():
    expected = dict.fromkeys(range(0, 12), CadenceState.OK)
    expected |= {12: CadenceState.AT_RISK, 13: CadenceState.AT_RISK, 14: CadenceState.AT_RISK}
    expected |= dict.fromkeys(range(15, 40), CadenceState.OVERDUE)
    for n, state in expected.items():
        assert cadence_of(today=day(n), started_on=APPROVED).state == state, f"day {n}"


def test_days_overdue_and_next_due_date():
    assert cadence_of(today=day(10), started_on=APPROVED) == Cadence(
        state=CadenceState.OK,
        clock_started_on=APPROVED,
        last_counting_on=None,
        days_since=10,
        days_overdue=0,
        next_due_on=dt.date(2026, 3, 16),
    )
    late = cadence_of(today=day(20), started_on=APPROVED)
    assert (late.days_since, late.days_overdue, late.next_due_on) == (20, 6, dt.date(2026, 3, 16))
    assert cadence_of(today=day(14), started_on=APPROVED).days_overdue == 0
    assert cadence_of(today=day(15), started_on=APPROVED).days_overdue == 1


def test_simulated_month_only_counting_engagements_reset_the_clock():
    """Day by day: a quick non-counting e-mail on day 13 changes nothing; a counting meeting on day 16 does."""
    counting: list[dt.date] = []
    states = {}
    for n in range(0, 31):
        if n == 16:
            counting.append(day(16))  # the meeting that counts
        # The e-mail on day 13 is not passed in: the caller gives only engagements that count.
        states[n] = cadence_of(today=day(n), started_on=APPROVED, counting_dates=counting)
    assert states[11].state == CadenceState.OK
    assert states[12].state == CadenceState.AT_RISK
    assert states[13].state == CadenceState.AT_RISK  # the e-mail day: still at risk
    assert states[15].state == CadenceState.OVERDUE
    assert states[15].days_overdue == 1
    assert states[16].state == CadenceState.OK
    assert states[16].days_since == 0
    assert states[16].last_counting_on == day(16)
    assert states[16].next_due_on == day(30)
    assert states[27].state == CadenceState.OK  # day 11 of the new clock
    assert states[28].state == CadenceState.AT_RISK  # day 12 of the new clock
    assert states[30].state == CadenceState.AT_RISK  # day 14: due today, not yet late


def test_the_latest_counting_engagement_wins_whatever_the_order():
    result = cadence_of(today=day(20), started_on=APPROVED, counting_dates=[day(18), day(3), day(9)])
    assert result.last_counting_on == day(18)
    assert result.days_since == 2


def test_a_meeting_booked_for_next_week_has_not_reset_the_clock_yet():
    result = cadence_of(today=day(13), started_on=APPROVED, counting_dates=[day(17)])
    assert result.state == CadenceState.AT_RISK
    assert result.last_counting_on is None


def test_paused_is_never_due():
    for n in (0, 12, 15, 400):
        result = cadence_of(today=day(n), started_on=APPROVED, paused=True)
        assert result.state == CadenceState.PAUSED
        assert result.days_overdue == 0
        assert result.next_due_on is None


def test_ended_is_not_measured():
    result = cadence_of(today=day(40), started_on=APPROVED, ended=True)
    assert result.state == CadenceState.NOT_APPLICABLE
    assert result.next_due_on is None


def test_no_clock_yet_is_not_measured():
    assert cadence_of(today=day(0), started_on=None).state == CadenceState.NOT_APPLICABLE
    assert cadence_of(today=day(0), started_on=day(5)).state == CadenceState.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("interval", "at_risk_day"),
    [(14, 12), (7, 6), (30, 25), (90, 77), (1, 1), (2, 1)],
)
def test_the_at_risk_day_scales_with_the_interval(interval, at_risk_day):
    assert CadenceRule.every(interval) == CadenceRule(interval_days=interval, at_risk_day=at_risk_day)


def test_a_weekly_rule():
    rule = CadenceRule.every(7)
    assert cadence_of(today=day(5), started_on=APPROVED, rule=rule).state == CadenceState.OK
    assert cadence_of(today=day(6), started_on=APPROVED, rule=rule).state == CadenceState.AT_RISK
    assert cadence_of(today=day(7), started_on=APPROVED, rule=rule).state == CadenceState.AT_RISK
    late = cadence_of(today=day(8), started_on=APPROVED, rule=rule)
    assert (late.state, late.days_overdue) == (CadenceState.OVERDUE, 1)


def test_explicit_thresholds_and_bad_ones():
    rule = CadenceRule(interval_days=21, at_risk_day=14)
    assert cadence_of(today=day(14), started_on=APPROVED, rule=rule).state == CadenceState.AT_RISK
    with pytest.raises(ValueError):
        CadenceRule(interval_days=0)
    with pytest.raises(ValueError):
        CadenceRule(interval_days=14, at_risk_day=15)
    with pytest.raises(ValueError):
        CadenceRule.every(14, at_risk_fraction=0)


# No deadline: the machine is shared, and a slow run is not a wrong answer.
@settings(deadline=None)
@given(
    interval=st.integers(1, 120),
    counting=st.lists(st.integers(-30, 200), max_size=6),
    start=st.integers(0, 60),
    horizon=st.integers(0, 400),
)
def test_without_a_new_counting_engagement_the_state_never_improves(interval, counting, start, horizon):
    """As days pass and nothing that counts happens after day `start`, severity only rises, days only grow."""
    rule = CadenceRule.every(interval)
    dates = [day(n) for n in counting if n <= start]
    previous = None
    for n in range(start, start + horizon + 1, max(horizon // 25, 1)):
        now = cadence_of(today=day(n), started_on=APPROVED, counting_dates=dates, rule=rule)
        if previous is not None:
            assert now.state.severity >= previous.state.severity
            assert now.days_overdue >= previous.days_overdue
            assert now.next_due_on == previous.next_due_on
        previous = now


# No deadline: the machine is shared, and a slow run is not a wrong answer.
@settings(deadline=None)
@given(interval=st.integers(1, 120), days_since=st.integers(0, 500))
def test_overdue_exactly_when_past_the_interval(interval, days_since):
    rule = CadenceRule.every(interval)
    result = cadence_of(today=day(days_since), started_on=APPROVED, rule=rule)
    assert (result.state == CadenceState.OVERDUE) == (days_since > interval)
    assert result.days_overdue == max(days_since - interval, 0)
    assert rule.at_risk_day <= interval


# No deadline: the machine is shared, and a slow run is not a wrong answer.
@settings(deadline=None)
@given(n=st.integers(0, 1000), counting=st.lists(st.integers(0, 1000), max_size=5))
def test_paused_is_never_due_property(n, counting):
    result = cadence_of(today=day(n), started_on=APPROVED, counting_dates=[day(c) for c in counting], paused=True)
    assert result.state == CadenceState.PAUSED
    assert not result.is_going_cold
