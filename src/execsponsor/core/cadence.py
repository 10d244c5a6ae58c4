"""Cadence: is a sponsor meeting their customer often enough? Pure, dated arithmetic; no Django.

PRODUCT.md: every 14 days by default; *at risk* from day 12, *overdue* after day 14; only engagements
that count reset the clock; paused sponsorships are not due.

Days are calendar dates. "Day N" is N days after the clock last started: the date of the latest
engagement that counts or, before there is one, the date the sponsorship was approved or introduced.

For other intervals the at-risk warning keeps the same *proportion* of the interval as 12 of 14 (rounded
down, at least one day before it is due, never before day 1): a weekly sponsorship is at risk from day 6,
a monthly (30) one from day 25, a quarterly (90) one from day 77. A proportion rather than a fixed "two days
before" because two days' warning is plenty for a weekly meeting and far too little for a quarterly one.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_INTERVAL_DAYS = 14
DEFAULT_AT_RISK_DAY = 12


class CadenceState(enum.StrEnum):
    OK = "ok"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    PAUSED = "paused"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def severity(self) -> int:
        """Order for sorting and for the "never gets better by itself" property: higher is worse."""
        return _SEVERITY[self]


_LABELS = {
    CadenceState.OK: "On track",
    CadenceState.AT_RISK: "At risk",
    CadenceState.OVERDUE: "Overdue",
    CadenceState.PAUSED: "Paused",
    CadenceState.NOT_APPLICABLE: "Not measured",
}
_SEVERITY = {
    CadenceState.NOT_APPLICABLE: 0,
    CadenceState.PAUSED: 0,
    CadenceState.OK: 1,
    CadenceState.AT_RISK: 2,
    CadenceState.OVERDUE: 3,
}


@dataclass(frozen=True, slots=True)
class CadenceRule:
    """How often a sponsorship should meet, and from which day a late meeting is flagged."""

    interval_days: int = DEFAULT_INTERVAL_DAYS
    at_risk_day: int = DEFAULT_AT_RISK_DAY

    def __post_init__(self) -> None:
        if self.interval_days < 1:
            raise ValueError("the cadence interval must be at least one day")
        if not 1 <= self.at_risk_day <= self.interval_days:
            raise ValueError(f"the at-risk day must be between 1 and the interval ({self.interval_days})")

    @classmethod
    def every(cls, interval_days: int, *, at_risk_fraction: float | None = None) -> CadenceRule:
        """The rule for an interval, with the at-risk day scaled like 12 of 14 (or by `at_risk_fraction`)."""
        if interval_days < 1:
            raise ValueError("the cadence interval must be at least one day")
        fraction = DEFAULT_AT_RISK_DAY / DEFAULT_INTERVAL_DAYS if at_risk_fraction is None else at_risk_fraction
        if not 0 < fraction <= 1:
            raise ValueError("the at-risk fraction must be more than 0 and at most 1")
        if interval_days == DEFAULT_INTERVAL_DAYS and at_risk_fraction is None:
            return cls()
        at_risk_day = min(int(interval_days * fraction), interval_days - 1)
        return cls(interval_days=interval_days, at_risk_day=max(at_risk_day, 1))


@dataclass(frozen=True, slots=True)
class Cadence:
    state: CadenceState
    clock_started_on: dt.date | None
    last_counting_on: dt.date | None
    days_since: int | None
    days_overdue: int
    next_due_on: dt.date | None

    @property
    def is_going_cold(self) -> bool:
        return self.state in (CadenceState.AT_RISK, CadenceState.OVERDUE)


def cadence_state(*, days_since: int, rule: CadenceRule) -> CadenceState:
    """State on day `days_since` of the clock (a future-dated meeting counts as day 0)."""
    if days_since > rule.interval_days:
        return CadenceState.OVERDUE
    if days_since >= rule.at_risk_day:
        return CadenceState.AT_RISK
    return CadenceState.OK


def cadence_of(
    *,
    today: dt.date,
    started_on: dt.date | None,
    counting_dates: Iterable[dt.date] = (),
    rule: CadenceRule | None = None,
    paused: bool = False,
    ended: bool = False,
) -> Cadence:
    """The cadence of one sponsorship on `today`.

    `counting_dates` are the dates of engagements that count (the caller filters; a non-counting email
    must not be passed in). Dates after `today` are ignored: a meeting booked for next week has not
    happened yet. Without any start (neither a start date nor a counting engagement) nothing is due.
    """
    rule = rule or CadenceRule()
    last = max((day for day in counting_dates if day <= today), default=None)
    if ended:
        return Cadence(CadenceState.NOT_APPLICABLE, None, last, None, 0, None)
    clock = last if last is not None else (started_on if started_on is not None and started_on <= today else None)
    days_since = (today - clock).days if clock is not None else None
    if paused or clock is None or days_since is None:
        state = CadenceState.PAUSED if paused else CadenceState.NOT_APPLICABLE
        return Cadence(state, clock, last, days_since, 0, None)
    return Cadence(
        state=cadence_state(days_since=days_since, rule=rule),
        clock_started_on=clock,
        last_counting_on=last,
        days_since=days_since,
        days_overdue=max(days_since - rule.interval_days, 0),
        next_due_on=clock + dt.timedelta(days=rule.interval_days),
    )
