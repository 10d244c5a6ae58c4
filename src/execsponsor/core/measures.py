"""The program's leading and lagging measures per quarter, and its two measures of success. Pure; no Django.

Every figure is a ratio of sums over *tallies*: one tally per (sponsorship, quarter) for what a sponsor does
(engagements, cadence, breadth, access) and one per (account, quarter) for what the account does (revenue,
pipeline, renewals, satisfaction, opportunities). A group — the program, one executive, one account, one
sponsorship — adds up the tallies of its sponsorships live in the quarter and of their accounts, then divides
once. docs/measures.md defines each figure in words; the names here are the same.

Cadence adherence is the share of *measured sponsorship-days* in the quarter that were within cadence: a
day of a live sponsorship (from its first lifecycle date to its end, and not after the as-of date) that was
not paused and on which the cadence clock had started counts as measured; it is within cadence unless
core.cadence would call it overdue on that day (at-risk days are within: the meeting is not late yet).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields

import numpy as np

from execsponsor.core import relationships as rel
from execsponsor.core.cadence import CadenceRule, CadenceState, cadence_state

DEFAULT_WINDOW_DAYS = 30
# Stages in which a customer is already running a formal evaluation (an RFP, a proposal under review): an
# opportunity first recorded in one of them did not begin in an executive conversation.
DEFAULT_FORMAL_STAGES: tuple[str, ...] = ("Proposal", "Negotiation", "RFP", "Evaluation", "Closed Won", "Closed Lost")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    quarter: int

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.quarter}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> dt.date:
        return self.shifted(1).start - dt.timedelta(days=1)

    def shifted(self, quarters: int) -> Quarter:
        index = self.year * 4 + self.quarter - 1 + quarters
        return Quarter(index // 4, index % 4 + 1)

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def quarters_up_to(as_of: dt.date, count: int) -> list[Quarter]:
    """The `count` quarters ending with the one that holds `as_of`, oldest first."""
    last = Quarter.of(as_of)
    return [last.shifted(-k) for k in range(count - 1, -1, -1)]


@dataclass(frozen=True)
class MeasurePolicy:
    window_days: int = DEFAULT_WINDOW_DAYS
    formal_stages: tuple[str, ...] = DEFAULT_FORMAL_STAGES
    strength: rel.StrengthPolicy = field(default_factory=rel.StrengthPolicy)

    def is_formal(self, stage: str) -> bool:
        return stage.strip().casefold() in {s.strip().casefold() for s in self.formal_stages}


# ---- inputs -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SponsorshipRow:
    id: int
    account: int
    executive: int
    live_from: dt.date | None  # the first lifecycle date (approved, introduced or started); None: never live
    live_until: dt.date | None  # ended on; None: still live
    clock_start: dt.date | None  # when the cadence clock starts before any engagement counts
    started_on: dt.date | None  # the account plan is read as of this day
    cadence_days: int = 14
    paused: tuple[tuple[dt.date, dt.date | None], ...] = ()  # spans (first day, last day or None: still)
    plan_at_start: frozenset[str] = frozenset()  # capability areas in use or planned on started_on

    def live_in(self, start: dt.date, end: dt.date) -> bool:
        return (
            self.live_from is not None
            and self.live_from <= end
            and (self.live_until is None or self.live_until >= start)
        )

    def live_on(self, day: dt.date) -> bool:
        return self.live_in(day, day)


@dataclass(frozen=True)
class EngagementRow:
    id: int
    account: int
    day: dt.date
    counts: bool
    sponsorship: int | None = None
    executives: frozenset[int] = frozenset()  # our executives who took part (owner or attendee)
    c_level_contacts: tuple[int, ...] = ()  # the customer's C-level contacts who took part


@dataclass(frozen=True)
class OpportunityRow:
    id: int
    account: int
    opened_on: dt.date | None
    amount: float = 0.0
    stage: str = ""
    opened_stage: str = ""  # the stage when first recorded; blank: not known
    is_closed: bool = False
    is_won: bool = False
    close_date: dt.date | None = None
    kind: str = ""
    capability_area: str = ""
    manual_flag: bool = False  # Opportunity.began_in_executive_conversation: a "yes" someone set by hand
    override: bool | None = None  # Opportunity.earlier_access_override: forces yes or no; None: derived

    @property
    def is_renewal(self) -> bool:
        return "renewal" in self.kind.casefold()


@dataclass(frozen=True)
class RevenueRow:
    account: int
    quarter: Quarter
    revenue: float


@dataclass(frozen=True)
class SurveyRow:
    account: int
    kind: str  # "csat" (1–5) or "nps" (0–10)
    score: int
    day: dt.date


@dataclass(frozen=True)
class ContactRow:
    id: int
    account: int
    seniority: str = ""
    persona: str = ""
    name: str = ""


@dataclass(frozen=True)
class TouchRow:
    """A contact's part in one engagement, for relationship strength (core.relationships)."""

    contact: int
    day: dt.date
    kind: str
    two_way: bool = True


@dataclass(frozen=True)
class MeasureInputs:
    as_of: dt.date
    sponsorships: Sequence[SponsorshipRow]
    engagements: Sequence[EngagementRow] = ()
    opportunities: Sequence[OpportunityRow] = ()
    revenue: Sequence[RevenueRow] = ()
    surveys: Sequence[SurveyRow] = ()
    contacts: Sequence[ContactRow] = ()
    touches: Sequence[TouchRow] = ()


# ---- the two measures of success -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EarlierAccess:
    opportunity: int
    account: int
    sponsorship: int | None
    executive: int | None
    engagement: int | None  # the engagement it followed (None for a manual "yes")
    engagement_on: dt.date | None
    contacts: tuple[int, ...]  # the C-level contacts met
    opened_on: dt.date | None
    amount: float
    how: str  # "derived", "manual flag" or "override"


@dataclass(frozen=True)
class UnexpectedBusiness:
    opportunity: int
    account: int
    sponsorship: int
    executive: int
    capability_area: str
    plan_at_start: tuple[str, ...]
    started_on: dt.date
    opened_on: dt.date
    amount: float


def derived_earlier_access(
    opportunity: OpportunityRow,
    *,
    engagements: Sequence[EngagementRow],
    sponsorships: Sequence[SponsorshipRow],
    policy: MeasurePolicy,
) -> EarlierAccess | None:
    """The evidence that `opportunity` began in an executive conversation, from the data alone: an engagement
    that counts, at its account, in which the sponsor of a sponsorship live that day met a customer C-level
    contact, on the opening day or up to `window_days` before it; and the opportunity was not first recorded
    in a formal evaluation stage. The latest such engagement is the evidence. `engagements` and
    `sponsorships` are the account's."""
    opened = opportunity.opened_on
    if opened is None or policy.is_formal(opportunity.opened_stage):
        return None
    earliest = opened - dt.timedelta(days=policy.window_days)
    for engagement in sorted(engagements, key=lambda e: (e.day, e.id), reverse=True):
        if not (earliest <= engagement.day <= opened and engagement.counts and engagement.c_level_contacts):
            continue
        for sponsorship in sponsorships:
            if sponsorship.executive in engagement.executives and sponsorship.live_on(engagement.day):
                return EarlierAccess(
                    opportunity=opportunity.id,
                    account=opportunity.account,
                    sponsorship=sponsorship.id,
                    executive=sponsorship.executive,
                    engagement=engagement.id,
                    engagement_on=engagement.day,
                    contacts=engagement.c_level_contacts,
                    opened_on=opened,
                    amount=opportunity.amount,
                    how="derived",
                )
    return None


def earlier_access(
    opportunity: OpportunityRow,
    *,
    engagements: Sequence[EngagementRow],
    sponsorships: Sequence[SponsorshipRow],
    policy: MeasurePolicy,
) -> EarlierAccess | None:
    """Earlier access with the manual judgement on top: an override (yes or no) decides; otherwise the
    derived evidence, or else the manual flag (`began_in_executive_conversation`) as a "yes"."""
    if opportunity.override is False:
        return None
    derived = derived_earlier_access(opportunity, engagements=engagements, sponsorships=sponsorships, policy=policy)
    if derived is not None:
        return derived
    if opportunity.override is True or opportunity.manual_flag:
        sponsorship = _sponsoring(opportunity, sponsorships)
        return EarlierAccess(
            opportunity=opportunity.id,
            account=opportunity.account,
            sponsorship=sponsorship.id if sponsorship else None,
            executive=sponsorship.executive if sponsorship else None,
            engagement=None,
            engagement_on=None,
            contacts=(),
            opened_on=opportunity.opened_on,
            amount=opportunity.amount,
            how="override" if opportunity.override is True else "manual flag",
        )
    return None


def _sponsoring(opportunity: OpportunityRow, sponsorships: Sequence[SponsorshipRow]) -> SponsorshipRow | None:
    """The sponsorship live when the opportunity opened (the earliest started, if several)."""
    day = opportunity.opened_on
    live = [s for s in sponsorships if day is not None and s.live_on(day)]
    return min(live, key=lambda s: (s.live_from or dt.date.max, s.id)) if live else None


def unexpected_business(
    opportunity: OpportunityRow, *, sponsorships: Sequence[SponsorshipRow]
) -> UnexpectedBusiness | None:
    """An opportunity opened during a sponsorship (on or after its start) in a capability area that was in
    neither the account's areas in use nor its planned areas on the day the sponsorship started."""
    area = opportunity.capability_area.strip()
    opened = opportunity.opened_on
    if not area or opened is None:
        return None
    for sponsorship in sorted(sponsorships, key=lambda s: (s.started_on or dt.date.max, s.id)):
        started = sponsorship.started_on
        if started is None or not (started <= opened and sponsorship.live_on(opened)):
            continue
        plan = {p.strip().casefold() for p in sponsorship.plan_at_start}
        if area.casefold() in plan:
            return None
        return UnexpectedBusiness(
            opportunity=opportunity.id,
            account=opportunity.account,
            sponsorship=sponsorship.id,
            executive=sponsorship.executive,
            capability_area=area,
            plan_at_start=tuple(sorted(sponsorship.plan_at_start)),
            started_on=started,
            opened_on=opened,
            amount=opportunity.amount,
        )
    return None


# ---- cadence adherence ---------------------------------------------------------------------------------------


def days_within_cadence(
    *,
    first: dt.date,
    last: dt.date,
    clock_start: dt.date | None,
    counting: Sequence[dt.date],
    rule: CadenceRule,
    paused: Iterable[tuple[dt.date, dt.date | None]] = (),
) -> tuple[int, int]:
    """(days within cadence, days measured) from `first` to `last` inclusive, as core.cadence would judge each
    day: the clock restarts at every engagement that counts; a day with no clock yet, or paused, is not
    measured. Counted segment by segment, not day by day (at 100,000 accounts the days add up)."""
    if last < first:
        return 0, 0
    dates = sorted({d for d in counting if d <= last})
    # core.cadence: the clock is the latest engagement that counts, or before there is one the clock start.
    resets = ([clock_start] if clock_start is not None and (not dates or clock_start < dates[0]) else []) + dates
    spans = [(p0, p1 or dt.date.max) for p0, p1 in paused]
    within = measured = 0
    for i, reset in enumerate(resets):
        seg_from = max(reset, first)
        seg_to = min(resets[i + 1] - dt.timedelta(days=1), last) if i + 1 < len(resets) else last
        if seg_to < seg_from:
            continue
        ok_until = reset + dt.timedelta(days=rule.interval_days)  # the days after this one are overdue
        parts = (
            (seg_from, min(seg_to, ok_until), True),
            (max(seg_from, ok_until + dt.timedelta(days=1)), seg_to, False),
        )
        for a, b, is_ok in parts:
            if b < a:
                continue
            days = (b - a).days + 1 - _overlap(a, b, spans)
            measured += days
            within += days if is_ok else 0
    return within, measured


def _overlap(a: dt.date, b: dt.date, spans: Sequence[tuple[dt.date, dt.date]]) -> int:
    total = 0
    for p0, p1 in spans:
        lo, hi = max(a, p0), min(b, p1)
        if lo <= hi:
            total += (hi - lo).days + 1
    return total


def is_within_cadence(days_since: int, rule: CadenceRule) -> bool:
    return cadence_state(days_since=days_since, rule=rule) is not CadenceState.OVERDUE


# ---- tallies -------------------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Additive counts and sums behind the figures of one group in one quarter."""

    live_sponsorships: int = 0
    engagements_counting: int = 0
    cadence_within_days: int = 0
    cadence_measured_days: int = 0
    threads: int = 0
    personas: int = 0
    executive_access: int = 0
    sponsorships_with_access: int = 0
    accounts: int = 0
    csat_sum: float = 0.0
    csat_responses: int = 0
    nps_promoters: int = 0
    nps_detractors: int = 0
    nps_responses: int = 0
    revenue: float = 0.0
    revenue_known: bool = False
    retention_accounts: int = 0
    revenue_trailing: float = 0.0  # the cohort's revenue in the last 4 quarters
    revenue_prior: float = 0.0  # and in the 4 before
    revenue_retained: float = 0.0  # per account the smaller of the two: expansion capped
    pipeline: float = 0.0
    renewals_won: int = 0
    renewals_lost: int = 0
    opportunities_opened: int = 0
    earlier_access: int = 0
    earlier_access_amount: float = 0.0
    unexpected_business: int = 0
    unexpected_business_amount: float = 0.0

    def add(self, other: Tally) -> None:
        for name in _TALLY_SUMS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.revenue_known = self.revenue_known or other.revenue_known


_TALLY_SUMS = tuple(f.name for f in fields(Tally) if f.name != "revenue_known")


def _ratio(top: float, bottom: float) -> float | None:
    return top / bottom if bottom else None


@dataclass(frozen=True)
class QuarterFigures:
    """One group's measures in one quarter (docs/measures.md). A ratio with nothing to divide by is None."""

    label: str
    start: dt.date
    end: dt.date
    live_sponsorships: int
    accounts: int
    engagements_counting: int
    engagements_per_sponsorship: float | None
    cadence_adherence: float | None  # 0–1
    cadence_days_measured: int
    threads_per_sponsorship: float | None
    personas_per_sponsorship: float | None
    executive_access: int
    executive_access_share: float | None  # share of live sponsorships with at least one
    csat: float | None  # mean 1–5
    csat_responses: int
    nps: float | None  # −100 to 100
    nps_responses: int
    revenue: float | None
    nrr: float | None  # e.g. 1.08
    grr: float | None
    retention_accounts: int
    pipeline: float
    renewals_won: int
    renewals_lost: int
    renewal_rate: float | None
    opportunities_opened: int
    earlier_access: int
    earlier_access_amount: float
    unexpected_business: int
    unexpected_business_amount: float

    @classmethod
    def of(cls, quarter: Quarter, t: Tally) -> QuarterFigures:
        nps = _ratio(100.0 * (t.nps_promoters - t.nps_detractors), t.nps_responses)
        return cls(
            label=quarter.label,
            start=quarter.start,
            end=quarter.end,
            live_sponsorships=t.live_sponsorships,
            accounts=t.accounts,
            engagements_counting=t.engagements_counting,
            engagements_per_sponsorship=_ratio(t.engagements_counting, t.live_sponsorships),
            cadence_adherence=_ratio(t.cadence_within_days, t.cadence_measured_days),
            cadence_days_measured=t.cadence_measured_days,
            threads_per_sponsorship=_ratio(t.threads, t.live_sponsorships),
            personas_per_sponsorship=_ratio(t.personas, t.live_sponsorships),
            executive_access=t.executive_access,
            executive_access_share=_ratio(t.sponsorships_with_access, t.live_sponsorships),
            csat=_ratio(t.csat_sum, t.csat_responses),
            csat_responses=t.csat_responses,
            nps=nps,
            nps_responses=t.nps_responses,
            revenue=t.revenue if t.revenue_known else None,
            nrr=_ratio(t.revenue_trailing, t.revenue_prior),
            grr=_ratio(t.revenue_retained, t.revenue_prior),
            retention_accounts=t.retention_accounts,
            pipeline=t.pipeline,
            renewals_won=t.renewals_won,
            renewals_lost=t.renewals_lost,
            renewal_rate=_ratio(t.renewals_won, t.renewals_won + t.renewals_lost),
            opportunities_opened=t.opportunities_opened,
            earlier_access=t.earlier_access,
            earlier_access_amount=t.earlier_access_amount,
            unexpected_business=t.unexpected_business,
            unexpected_business_amount=t.unexpected_business_amount,
        )

    def as_dict(self) -> dict[str, object]:
        out = asdict(self)
        out["start"], out["end"] = self.start.isoformat(), self.end.isoformat()
        return out


# Figures a trend is shown for (this quarter against the last).
TREND_FIGURES = (
    "engagements_per_sponsorship", "cadence_adherence", "threads_per_sponsorship", "personas_per_sponsorship",
    "executive_access_share", "csat", "nps", "revenue", "nrr", "grr", "pipeline", "renewal_rate",
    "earlier_access", "unexpected_business",
)  # fmt: skip


@dataclass(frozen=True)
class Trend:
    current: float | None
    previous: float | None

    @property
    def change(self) -> float | None:
        return None if self.current is None or self.previous is None else self.current - self.previous

    def as_dict(self) -> dict[str, float | None]:
        return {"current": self.current, "previous": self.previous, "change": self.change}


def trends(series: Sequence[QuarterFigures]) -> dict[str, Trend]:
    """This quarter against the last, for each figure in TREND_FIGURES."""
    current = series[-1] if series else None
    previous = series[-2] if len(series) > 1 else None

    def value(figures: QuarterFigures | None, name: str) -> float | None:
        v = getattr(figures, name) if figures is not None else None
        return float(v) if v is not None else None

    return {name: Trend(value(current, name), value(previous, name)) for name in TREND_FIGURES}


@dataclass(frozen=True)
class MeasureResult:
    quarters: tuple[Quarter, ...]
    program: tuple[QuarterFigures, ...]
    by_executive: Mapping[int, tuple[QuarterFigures, ...]]
    by_account: Mapping[int, tuple[QuarterFigures, ...]]
    by_sponsorship: Mapping[int, tuple[QuarterFigures, ...]]
    earlier_access: tuple[EarlierAccess, ...]
    unexpected_business: tuple[UnexpectedBusiness, ...]


def measure(
    inputs: MeasureInputs, *, quarters: Sequence[Quarter], policy: MeasurePolicy | None = None
) -> MeasureResult:
    """Every measure for the program, each executive, account and sponsorship, in each of `quarters`."""
    policy = policy or MeasurePolicy()
    sponsorships_of: dict[int, list[SponsorshipRow]] = defaultdict(list)
    for s in inputs.sponsorships:
        sponsorships_of[s.account].append(s)
    engagements_of: dict[int, list[EngagementRow]] = defaultdict(list)
    for e in inputs.engagements:
        engagements_of[e.account].append(e)
    access = tuple(
        found
        for o in inputs.opportunities
        if (
            found := earlier_access(
                o, engagements=engagements_of[o.account], sponsorships=sponsorships_of[o.account], policy=policy
            )
        )
    )
    unexpected = tuple(
        surprise
        for o in inputs.opportunities
        if (surprise := unexpected_business(o, sponsorships=sponsorships_of[o.account]))
    )
    sponsorship_tallies = _sponsorship_tallies(inputs, quarters, policy)
    account_tallies = _account_tallies(inputs, quarters, access, unexpected)
    program: list[QuarterFigures] = []
    by_executive: dict[int, list[QuarterFigures]] = defaultdict(list)
    by_account: dict[int, list[QuarterFigures]] = defaultdict(list)
    by_sponsorship: dict[int, list[QuarterFigures]] = defaultdict(list)
    for qi, quarter in enumerate(quarters):
        live = [s for s in inputs.sponsorships if s.live_in(quarter.start, min(quarter.end, inputs.as_of))]
        program.append(QuarterFigures.of(quarter, _group(live, sponsorship_tallies, account_tallies, qi)))
        for executive, mine in _by(live, lambda s: s.executive, {s.executive for s in inputs.sponsorships}).items():
            by_executive[executive].append(
                QuarterFigures.of(quarter, _group(mine, sponsorship_tallies, account_tallies, qi))
            )
        for account, here in _by(live, lambda s: s.account, set(sponsorships_of)).items():
            tally = _group(here, sponsorship_tallies, account_tallies, qi, always=(account,))
            by_account[account].append(QuarterFigures.of(quarter, tally))
        live_ids = {s.id for s in live}
        for s in inputs.sponsorships:
            tally = _group([s] if s.id in live_ids else [], sponsorship_tallies, account_tallies, qi)
            by_sponsorship[s.id].append(QuarterFigures.of(quarter, tally))
    return MeasureResult(
        quarters=tuple(quarters),
        program=tuple(program),
        by_executive=_frozen(by_executive),
        by_account=_frozen(by_account),
        by_sponsorship=_frozen(by_sponsorship),
        earlier_access=access,
        unexpected_business=unexpected,
    )


def _frozen(series: Mapping[int, list[QuarterFigures]]) -> dict[int, tuple[QuarterFigures, ...]]:
    return {key: tuple(value) for key, value in series.items()}


def _by(
    rows: Sequence[SponsorshipRow], key: Callable[[SponsorshipRow], int], every: Iterable[int]
) -> dict[int, list[SponsorshipRow]]:
    """`rows` grouped by `key`, with an empty group for each of `every` that has none."""
    out: dict[int, list[SponsorshipRow]] = {k: [] for k in sorted(every)}
    for row in rows:
        out.setdefault(key(row), []).append(row)
    return out


def _group(
    live: Sequence[SponsorshipRow],
    sponsorship_tallies: Mapping[tuple[int, int], Tally],
    account_tallies: Mapping[tuple[int, int], Tally],
    qi: int,
    *,
    always: Iterable[int] = (),
) -> Tally:
    total = Tally()
    for s in live:
        total.add(sponsorship_tallies.get((s.id, qi), Tally()))
    for account in sorted({s.account for s in live} | set(always)):
        total.add(account_tallies.get((account, qi), Tally()))
    return total


def _sponsorship_tallies(
    inputs: MeasureInputs, quarters: Sequence[Quarter], policy: MeasurePolicy
) -> dict[tuple[int, int], Tally]:
    counting: dict[int, list[dt.date]] = defaultdict(list)
    linked: dict[int, list[EngagementRow]] = defaultdict(list)
    for e in inputs.engagements:
        if e.sponsorship is not None:
            linked[e.sponsorship].append(e)
            if e.counts:
                counting[e.sponsorship].append(e.day)
    touches = _touch_arrays(inputs.touches)
    seniority = {c.id: c.seniority for c in inputs.contacts}
    breadth = [_breadth(inputs, touches, seniority, min(q.end, inputs.as_of), policy) for q in quarters]
    out: dict[tuple[int, int], Tally] = {}
    for s in inputs.sponsorships:
        rule = CadenceRule.every(s.cadence_days)
        for qi, q in enumerate(quarters):
            last = min(q.end, inputs.as_of, s.live_until or dt.date.max)
            if not s.live_in(q.start, last) or s.live_from is None:
                continue
            within, measured = days_within_cadence(
                first=max(q.start, s.live_from), last=last, clock_start=s.clock_start,
                counting=counting[s.id], rule=rule, paused=s.paused,
            )  # fmt: skip
            in_quarter = [e for e in linked[s.id] if e.counts and q.start <= e.day <= last]
            with_c_level = sum(1 for e in in_quarter if e.c_level_contacts)
            threads, personas = breadth[qi].get(s.account, (0, 0))
            out[(s.id, qi)] = Tally(
                live_sponsorships=1,
                engagements_counting=len(in_quarter),
                cadence_within_days=within,
                cadence_measured_days=measured,
                threads=threads,
                personas=personas,
                executive_access=with_c_level,
                sponsorships_with_access=1 if with_c_level else 0,
            )
    return out


def _touch_arrays(touches: Sequence[TouchRow]) -> rel.TouchArrays:
    return rel.TouchArrays(
        contact=np.array([t.contact for t in touches], dtype=np.int64),
        day=np.array([t.day.toordinal() for t in touches], dtype=np.int64),
        depth=np.array([rel.DEPTH_BY_KIND.get(t.kind, 0.2) for t in touches], dtype=float),
        two_way=np.array([t.two_way for t in touches], dtype=bool),
    )


def _breadth(
    inputs: MeasureInputs, touches: rel.TouchArrays, seniority: Mapping[int, str], day: dt.date, policy: MeasurePolicy
) -> dict[int, tuple[int, int]]:
    """Per account: (threads, personas covered) on `day`, as core.relationships scores them (it ignores the
    touches after `day`)."""
    if not inputs.contacts:
        return {}
    table = rel.strengths(touches, seniority=seniority, today=day, policy=policy.strength)
    score = dict(zip(table.contact.tolist(), table.score.tolist(), strict=True))
    standing: dict[int, list[rel.ContactStanding]] = defaultdict(list)
    for c in inputs.contacts:
        standing[c.account].append(rel.ContactStanding(str(c.id), c.name, c.persona, float(score.get(c.id, 0.0))))
    out = {}
    for account, contacts in standing.items():
        coverage = rel.account_coverage(contacts, policy=policy.strength)
        out[account] = (len(coverage.threads), len(coverage.personas_covered))
    return out


def _account_tallies(
    inputs: MeasureInputs,
    quarters: Sequence[Quarter],
    access: Sequence[EarlierAccess],
    unexpected: Sequence[UnexpectedBusiness],
) -> dict[tuple[int, int], Tally]:
    out: dict[tuple[int, int], Tally] = defaultdict(Tally)
    index = {q: i for i, q in enumerate(quarters)}
    accounts = {s.account for s in inputs.sponsorships}
    for account in accounts:
        for qi in range(len(quarters)):
            out[(account, qi)].accounts = 1
    _add_revenue(out, inputs, quarters, accounts)
    for r in inputs.surveys:
        answered = index.get(Quarter.of(r.day))
        if answered is None or r.day > inputs.as_of or r.account not in accounts:
            continue
        t = out[(r.account, answered)]
        if r.kind == "csat":
            t.csat_sum += r.score
            t.csat_responses += 1
        elif r.kind == "nps":
            t.nps_responses += 1
            t.nps_promoters += int(r.score >= 9)
            t.nps_detractors += int(r.score <= 6)
    for o in inputs.opportunities:
        if o.account not in accounts:
            continue
        for qi, q in enumerate(quarters):
            if _open_at(o, min(q.end, inputs.as_of)):
                out[(o.account, qi)].pipeline += o.amount
        if o.is_renewal and o.is_closed and o.close_date is not None and o.close_date <= inputs.as_of:
            qi_closed = index.get(Quarter.of(o.close_date))
            if qi_closed is not None:
                t = out[(o.account, qi_closed)]
                t.renewals_won += int(o.is_won)
                t.renewals_lost += int(not o.is_won)
        if o.opened_on is not None and (qi_opened := index.get(Quarter.of(o.opened_on))) is not None:
            out[(o.account, qi_opened)].opportunities_opened += 1
    for found in access:
        if found.opened_on is not None and (opened := index.get(Quarter.of(found.opened_on))) is not None:
            out[(found.account, opened)].earlier_access += 1
            out[(found.account, opened)].earlier_access_amount += found.amount
    for u in unexpected:
        if (opened := index.get(Quarter.of(u.opened_on))) is not None:
            out[(u.account, opened)].unexpected_business += 1
            out[(u.account, opened)].unexpected_business_amount += u.amount
    return dict(out)


def _open_at(o: OpportunityRow, day: dt.date) -> bool:
    """Open at the end of `day`: opened by then, and not closed by then (a closed one without a close date
    is taken as closed all along)."""
    if o.opened_on is None or o.opened_on > day:
        return False
    if not o.is_closed:
        return True
    return o.close_date is not None and o.close_date > day


def _add_revenue(
    out: dict[tuple[int, int], Tally], inputs: MeasureInputs, quarters: Sequence[Quarter], accounts: set[int]
) -> None:
    """Revenue in each quarter, and NRR/GRR as docs/demo.md defines NRR: revenue in the last 4 complete
    quarters over revenue in the 4 quarters before, for the accounts that had revenue in those 4."""
    revenue: dict[tuple[int, Quarter], float] = defaultdict(float)
    known: set[Quarter] = set()
    for r in inputs.revenue:
        known.add(r.quarter)
        if r.account in accounts:
            revenue[(r.account, r.quarter)] += r.revenue
    for qi, q in enumerate(quarters):
        window = [q.shifted(-k) for k in range(8)]
        complete = all(w in known for w in window)
        for account in accounts:
            t = out[(account, qi)]
            if q in known:
                t.revenue_known = True
                t.revenue += revenue.get((account, q), 0.0)
            if not complete:
                continue
            trailing = sum(revenue.get((account, w), 0.0) for w in window[:4])
            prior = sum(revenue.get((account, w), 0.0) for w in window[4:])
            if prior > 0:
                t.retention_accounts += 1
                t.revenue_trailing += trailing
                t.revenue_prior += prior
                t.revenue_retained += min(trailing, prior)
