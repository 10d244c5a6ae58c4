"""The program's measures and the executives' scorecards, for pages, the API, the dashboard and the quarterly PDF.

The stable interface (docs/measures.md defines every figure):

    program_measures(*, by, as_of=None, quarters=8) -> ProgramMeasures
    scorecards(*, by, as_of=None) -> list[Scorecard]          # ranked; owner, admin, viewer
    scorecard_for(executive, *, by, as_of=None) -> Scorecard   # also the executive themself

Rows come from `visible_accounts(by)` (measures_inputs.py), core.measures computes. For those who see the whole
program, the nightly job keeps the figures as of that night (measures_store.py: the program's in
`ProgramKpiSnapshot.figures["measures"]`, each account's, executive's and scorecard's as a `MeasureSnapshotRow`),
which `program_measures` and `scorecards` read when it is today's and was made with the settings in force; the
rows are then read a page at a time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from execsponsor.access.rules import require
from execsponsor.access.visibility import sees_every_account
from execsponsor.core.cadence import Cadence, CadenceState
from execsponsor.core.measures import (
    EarlierAccess,
    MeasureResult,
    QuarterFigures,
    Trend,
    UnexpectedBusiness,
    measure,
    quarters_up_to,
    trends,
)
from execsponsor.customers.models import Account, Contact, Opportunity
from execsponsor.engagements.cadence import cadence_for_sponsorships, cadence_today
from execsponsor.engagements.models import Engagement
from execsponsor.insights.measures_inputs import measure_inputs, narrowed_inputs, sponsorships_for
from execsponsor.insights.measures_policy import measure_policy
from execsponsor.insights.measures_store import (
    stored_accounts,
    stored_document,
    stored_executives,
    stored_scorecards,
    write_snapshot,
)
from execsponsor.insights.models import HealthSnapshot, ProgramKpiSnapshot
from execsponsor.program.models import LIVE_STATUSES, Objective
from execsponsor.users.models import Executive

SCORECARD_QUARTERS = 4
HEALTH_LOOKBACK_DAYS = 92  # "health at the end of last quarter": the latest snapshot in the quarter before


# ---- results -------------------------------------------------------------------------------------------------


def _figures(d: dict) -> QuarterFigures:
    return QuarterFigures(**{**d, "start": dt.date.fromisoformat(d["start"]), "end": dt.date.fromisoformat(d["end"])})


def _trends(d: dict) -> dict[str, Trend]:
    return {k: Trend(v["current"], v["previous"]) for k, v in d.items()}


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class MeasureRow:
    """One executive's or one account's figures: this quarter, the quarters before, and the change."""

    key: int
    name: str
    detail: str  # the executive(s) of an account; the function of an executive
    url: str
    series: list[QuarterFigures]  # oldest first, ending with this quarter
    trends: dict[str, Trend]

    @property
    def current(self) -> QuarterFigures:
        return self.series[-1]

    @property
    def previous(self) -> QuarterFigures | None:
        return self.series[-2] if len(self.series) > 1 else None

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "name": self.name,
            "detail": self.detail,
            "url": self.url,
            "series": [q.as_dict() for q in self.series],
            "trends": {k: t.as_dict() for k, t in self.trends.items()},
        }

    @classmethod
    def from_dict(cls, d: dict) -> MeasureRow:
        series = [_figures(q) for q in d["series"]]
        return cls(d["key"], d["name"], d["detail"], d["url"], series, _trends(d["trends"]))


@dataclass(frozen=True)
class EarlierAccessItem:
    opportunity_id: int
    opportunity: str
    account_id: int
    account: str
    amount: float
    opened_on: dt.date | None
    how: str  # derived, manual flag, override
    executive: str
    engagement_id: int | None
    engagement: str
    engagement_on: dt.date | None
    contacts: list[str]
    override: bool | None
    override_reason: str

    def as_dict(self) -> dict:
        return {**asdict(self), "opened_on": _iso(self.opened_on), "engagement_on": _iso(self.engagement_on)}

    @classmethod
    def from_dict(cls, d: dict) -> EarlierAccessItem:
        return cls(**{**d, "opened_on": _date(d["opened_on"]), "engagement_on": _date(d["engagement_on"])})


@dataclass(frozen=True)
class UnexpectedItem:
    opportunity_id: int
    opportunity: str
    account_id: int
    account: str
    amount: float
    opened_on: dt.date
    capability_area: str
    plan_at_start: list[str]
    started_on: dt.date
    executive: str

    def as_dict(self) -> dict:
        return {**asdict(self), "opened_on": self.opened_on.isoformat(), "started_on": self.started_on.isoformat()}

    @classmethod
    def from_dict(cls, d: dict) -> UnexpectedItem:
        return cls(
            **{
                **d,
                "opened_on": dt.date.fromisoformat(d["opened_on"]),
                "started_on": dt.date.fromisoformat(d["started_on"]),
            }
        )


@dataclass(frozen=True)
class ProgramMeasures:
    as_of: dt.date
    quarters: list[QuarterFigures]  # oldest first; .label like "2026 Q3"
    trends: dict[str, Trend]  # this quarter against the last
    executives: Sequence[MeasureRow]  # by name; from the snapshot, read from its rows as they are used
    accounts: Sequence[MeasureRow]
    earlier_access: list[EarlierAccessItem]  # newest first
    unexpected_business: list[UnexpectedItem]
    window_days: int
    formal_stages: list[str]
    settings_version: int
    computed_at: dt.datetime = field(default_factory=timezone.now)
    from_snapshot: bool = False

    @property
    def current(self) -> QuarterFigures:
        return self.quarters[-1]

    def as_dict(self, *, rows: bool = True, accounts: bool = True) -> dict:
        """JSON-ready; `rows=False` leaves out the executives and accounts, `accounts=False` the accounts."""
        out: dict = {
            "as_of": self.as_of.isoformat(),
            "quarters": [q.as_dict() for q in self.quarters],
            "trends": {k: t.as_dict() for k, t in self.trends.items()},
        }
        if rows:
            out["executives"] = [r.as_dict() for r in self.executives]
        if rows and accounts:
            out["accounts"] = [r.as_dict() for r in self.accounts]
        return {
            **out,
            "earlier_access": [e.as_dict() for e in self.earlier_access],
            "unexpected_business": [u.as_dict() for u in self.unexpected_business],
            "window_days": self.window_days,
            "formal_stages": list(self.formal_stages),
            "settings_version": self.settings_version,
            "computed_at": self.computed_at.isoformat(),
        }

    @classmethod
    def from_dict(
        cls, d: dict, *, executives: Sequence[MeasureRow] | None = None, accounts: Sequence[MeasureRow] | None = None
    ) -> ProgramMeasures:
        """From as_dict(); the rows given apart (the snapshot's) or from the document (an older snapshot's)."""
        return cls(
            as_of=dt.date.fromisoformat(d["as_of"]),
            quarters=[_figures(q) for q in d["quarters"]],
            trends=_trends(d["trends"]),
            executives=executives if executives is not None else [MeasureRow.from_dict(r) for r in d["executives"]],
            accounts=accounts if accounts is not None else [MeasureRow.from_dict(r) for r in d["accounts"]],
            earlier_access=[EarlierAccessItem.from_dict(e) for e in d["earlier_access"]],
            unexpected_business=[UnexpectedItem.from_dict(u) for u in d["unexpected_business"]],
            window_days=d["window_days"],
            formal_stages=d["formal_stages"],
            settings_version=d["settings_version"],
            computed_at=dt.datetime.fromisoformat(d["computed_at"]),
            from_snapshot=True,
        )


@dataclass(frozen=True)
class ScorecardAccount:
    account_id: int
    name: str
    sponsorship_id: int
    status: str
    cadence: str  # CadenceState value
    cadence_label: str
    days_since: int | None
    engagements_counting: int  # this quarter
    threads: float | None
    health_score: int | None
    health_band: str
    health_previous: int | None  # at the end of last quarter
    revenue: list[float | None]  # the scorecard's quarters, oldest first
    nrr: float | None  # of the latest quarter that has one

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Scorecard:
    executive_id: int
    name: str
    function: str
    rank: int | None  # 1 = best; None when only this one was computed
    quarters: list[QuarterFigures]  # the last four, oldest first
    trends: dict[str, Trend]
    accounts: list[ScorecardAccount]
    objectives_moving: int  # objectives whose status changed this quarter
    objectives: list[dict]  # title, account, status, status label, changed on
    earlier_access: list[EarlierAccessItem]
    unexpected_business: list[UnexpectedItem]
    enablement: list[str]

    @property
    def current(self) -> QuarterFigures:
        return self.quarters[-1]

    @property
    def latest_nrr(self) -> float | None:
        """NRR of the latest quarter that has one (the current quarter's revenue is recorded after it ends)."""
        return next((q.nrr for q in reversed(self.quarters) if q.nrr is not None), None)

    def as_dict(self) -> dict:
        return {
            "executive_id": self.executive_id,
            "name": self.name,
            "function": self.function,
            "rank": self.rank,
            "quarters": [q.as_dict() for q in self.quarters],
            "trends": {k: t.as_dict() for k, t in self.trends.items()},
            "accounts": [a.as_dict() for a in self.accounts],
            "objectives_moving": self.objectives_moving,
            "objectives": self.objectives,
            "earlier_access": [e.as_dict() for e in self.earlier_access],
            "unexpected_business": [u.as_dict() for u in self.unexpected_business],
            "enablement": self.enablement,
        }

    @classmethod
    def from_dict(cls, d: dict) -> Scorecard:
        return cls(
            executive_id=d["executive_id"],
            name=d["name"],
            function=d["function"],
            rank=d["rank"],
            quarters=[_figures(q) for q in d["quarters"]],
            trends=_trends(d["trends"]),
            accounts=[ScorecardAccount(**a) for a in d["accounts"]],
            objectives_moving=d["objectives_moving"],
            objectives=d["objectives"],
            earlier_access=[EarlierAccessItem.from_dict(e) for e in d["earlier_access"]],
            unexpected_business=[UnexpectedItem.from_dict(u) for u in d["unexpected_business"]],
            enablement=d["enablement"],
        )


# ---- the interface -------------------------------------------------------------------------------------------


def program_measures(*, by, as_of: dt.date | None = None, quarters: int = 8) -> ProgramMeasures:
    """The program's measures over `quarters` quarters up to the one holding `as_of` (default today), for
    what `by` may see; the nightly snapshot when it fits."""
    if as_of is None and quarters == 8 and sees_every_account(by):
        found = _snapshot()
        if found is not None:
            snapshot_id, stored = found
            return ProgramMeasures.from_dict(
                stored["program"], executives=stored_executives(snapshot_id), accounts=stored_accounts(snapshot_id)
            )
    return _program(_run(by=by, as_of=as_of or cadence_today(), quarters=quarters))


def scorecards(*, by, as_of: dt.date | None = None) -> Sequence[Scorecard]:
    """Every executive with a sponsorship in the last four quarters, ranked (see docs/measures.md).
    Program owners, admins and viewers only. From the snapshot, a sequence that reads the scorecards as they
    are used (a page of them, or all in batches)."""
    require(
        by,
        "execsponsor.view_program_results",
        message="Only program owners, admins and viewers see every executive's scorecard",
    )
    if as_of is None:
        found = _snapshot()
        if found is not None:
            return stored_scorecards(found[0])
    run = _run(by=by, as_of=as_of or cadence_today(), quarters=SCORECARD_QUARTERS)
    shared = _shared(run)
    return _ranked([_scorecard(run, e, shared) for e in _executives(run)])


def scorecard_for(executive: Executive, *, by, as_of: dt.date | None = None) -> Scorecard:
    """One executive's scorecard: for the program's owners, admins and viewers, and for the executive."""
    require(by, "execsponsor.view_scorecard", executive)
    run = _run(by=by, as_of=as_of or cadence_today(), quarters=SCORECARD_QUARTERS, executive_id=executive.pk)
    return _scorecard(run, executive)


def snapshot_record(*, by, as_of: dt.date | None = None) -> ProgramKpiSnapshot:
    """Compute the program's measures and the scorecards and keep them with the ProgramKpiSnapshot of `as_of`
    (default today; other keys of its figures are left as they are): written in one transaction, so until it
    commits readers see the snapshot as it was."""
    as_of = as_of or cadence_today()
    eight, run = _runs(by=by, as_of=as_of, quarters=(8, SCORECARD_QUARTERS))
    program = _program(eight)
    shared = _shared(run)
    cards = _ranked([_scorecard(run, e, shared) for e in _executives(run)])
    return write_snapshot(as_of=as_of, program=program, cards=cards)


def _snapshot() -> tuple[int, dict] | None:
    """Today's stored measures (the snapshot's id and its document), made with the settings in force."""
    found = stored_document(cadence_today())
    if found is None or found[1]["program"].get("settings_version") != measure_policy()[1]:
        return None
    return found


# ---- computing -----------------------------------------------------------------------------------------------


@dataclass
class _Run:
    as_of: dt.date
    result: MeasureResult
    sponsorships: list  # the Sponsorship rows measured, with account and executive
    policy_version: int
    window_days: int
    formal_stages: list[str]


def _run(*, by, as_of: dt.date, quarters: int, executive_id: int | None = None) -> _Run:
    return _runs(by=by, as_of=as_of, quarters=(quarters,), executive_id=executive_id)[0]


def _runs(*, by, as_of: dt.date, quarters: tuple[int, ...], executive_id: int | None = None) -> list[_Run]:
    """One run per count of quarters, from one read of the rows (for the longest; narrowed for the others)."""
    policy, version = measure_policy()
    chosen = {count: quarters_up_to(as_of, count) for count in quarters}
    sponsorships = sponsorships_for(by=by, executive_id=executive_id)
    inputs = measure_inputs(sponsorships=sponsorships, as_of=as_of, first_quarter=chosen[max(quarters)][0])
    rows = list(sponsorships.select_related("account", "executive__user").only(
        "id", "status", "account__id", "account__name", "executive__id", "executive__function",
        "executive__enablement", "executive__user__first_name", "executive__user__last_name",
        "executive__user__username",
    ))  # fmt: skip
    return [
        _Run(
            as_of,
            measure(narrowed_inputs(inputs, first_quarter=chosen[count][0]), quarters=chosen[count], policy=policy),
            rows,
            version,
            policy.window_days,
            list(policy.formal_stages),
        )  # fmt: skip
        for count in quarters
    ]


def _program(run: _Run) -> ProgramMeasures:
    result = run.result
    executives = {s.executive_id: s.executive for s in run.sponsorships}
    accounts: dict[int, tuple[str, set[str]]] = {}
    for s in run.sponsorships:
        name, sponsors = accounts.setdefault(s.account_id, (s.account.name, set()))
        sponsors.add(str(s.executive.user))
    exec_rows = [
        MeasureRow(pk, str(e.user), e.get_function_display(), reverse("insights:scorecard", args=[pk]),
                   list(result.by_executive[pk]), trends(result.by_executive[pk]))
        for pk, e in executives.items() if pk in result.by_executive
    ]  # fmt: skip
    account_rows = [
        MeasureRow(pk, name, ", ".join(sorted(sponsors)), reverse("accounts:account_detail", args=[pk]),
                   list(result.by_account[pk]), trends(result.by_account[pk]))
        for pk, (name, sponsors) in accounts.items() if pk in result.by_account
    ]  # fmt: skip
    return ProgramMeasures(
        as_of=run.as_of,
        quarters=list(result.program),
        trends=trends(result.program),
        executives=sorted(exec_rows, key=lambda r: r.name.casefold()),
        accounts=sorted(account_rows, key=lambda r: r.name.casefold()),
        earlier_access=_earlier_items(result.earlier_access, executives),
        unexpected_business=_unexpected_items(result.unexpected_business, executives),
        window_days=run.window_days,
        formal_stages=run.formal_stages,
        settings_version=run.policy_version,
    )


def _executives(run: _Run) -> list[Executive]:
    seen: dict[int, Executive] = {}
    for s in run.sponsorships:
        seen.setdefault(s.executive_id, s.executive)
    return [e for pk, e in seen.items() if any(q.live_sponsorships for q in run.result.by_executive.get(pk, ()))]


def _names(model, ids) -> dict[int, str]:
    return {pk: str(obj) for pk, obj in model.objects.in_bulk(list(ids)).items()}


def _earlier_items(found: tuple[EarlierAccess, ...], executives: dict[int, Executive]) -> list[EarlierAccessItem]:
    opportunities = Opportunity.objects.in_bulk([f.opportunity for f in found])
    accounts = dict(Account.objects.filter(pk__in={f.account for f in found}).values_list("pk", "name"))
    engagements = dict(
        Engagement.objects.filter(pk__in={f.engagement for f in found if f.engagement}).values_list("pk", "subject")
    )
    contacts = _names(Contact, {c for f in found for c in f.contacts})
    items = [
        EarlierAccessItem(
            opportunity_id=f.opportunity,
            opportunity=opportunities[f.opportunity].name,
            account_id=f.account,
            account=accounts.get(f.account, ""),
            amount=f.amount,
            opened_on=f.opened_on,
            how=f.how,
            executive=str(executives[f.executive].user) if f.executive in executives else "",
            engagement_id=f.engagement,
            engagement=engagements.get(f.engagement, "") if f.engagement else "",
            engagement_on=f.engagement_on,
            contacts=[contacts.get(c, "") for c in f.contacts],
            override=opportunities[f.opportunity].earlier_access_override,
            override_reason=opportunities[f.opportunity].earlier_access_override_reason,
        )
        for f in found
    ]
    return sorted(items, key=lambda i: (i.opened_on or dt.date.min, i.opportunity_id), reverse=True)


def _unexpected_items(found: tuple[UnexpectedBusiness, ...], executives: dict[int, Executive]) -> list[UnexpectedItem]:
    names = dict(Opportunity.objects.filter(pk__in=[f.opportunity for f in found]).values_list("pk", "name"))
    accounts = dict(Account.objects.filter(pk__in={f.account for f in found}).values_list("pk", "name"))
    items = [
        UnexpectedItem(
            opportunity_id=f.opportunity,
            opportunity=names.get(f.opportunity, ""),
            account_id=f.account,
            account=accounts.get(f.account, ""),
            amount=f.amount,
            opened_on=f.opened_on,
            capability_area=f.capability_area,
            plan_at_start=list(f.plan_at_start),
            started_on=f.started_on,
            executive=str(executives[f.executive].user) if f.executive in executives else "",
        )  # fmt: skip
        for f in found
    ]
    return sorted(items, key=lambda i: (i.opened_on, i.opportunity_id), reverse=True)


@dataclass
class _Shared:
    """What every scorecard of one run looks up, read once for all of them (a fixed number of queries)."""

    cadences: dict[int, Cadence]
    accounts: dict[int, Account]
    previous_health: dict[int, int]
    objectives: dict[int, list[Objective]]  # by sponsorship, newest change first
    earlier: dict[int, EarlierAccessItem]  # by opportunity
    unexpected: dict[int, UnexpectedItem]
    # Grouped once per run by executive: a scorecard per executive scanning every sponsorship and opportunity
    # was a fifth of the nightly job at 100,000 accounts (2,908 executives).
    sponsorships_of: dict[int, list] = field(default_factory=dict)
    early_of: dict[int, set[int]] = field(default_factory=dict)
    surprise_of: dict[int, set[int]] = field(default_factory=dict)


def _shared(run: _Run) -> _Shared:
    live = [s for s in run.sponsorships if s.status in LIVE_STATUSES]
    quarter_start = run.result.quarters[-1].start
    accounts = Account.objects.in_bulk({s.account_id for s in live})
    previous: dict[int, int] = {}
    for account, score in (
        HealthSnapshot.objects.filter(
            account__in=list(accounts),
            taken_on__lt=quarter_start,
            taken_on__gte=quarter_start - dt.timedelta(days=HEALTH_LOOKBACK_DAYS),
        )
        .order_by("account", "taken_on")
        .values_list("account", "score")
    ):
        previous[account] = score  # the last one before this quarter wins
    objectives: dict[int, list[Objective]] = defaultdict(list)
    for objective in (
        Objective.objects.filter(sponsorship__in=[s.pk for s in run.sponsorships])
        .select_related("account")
        .order_by(F("status_changed_on").desc(nulls_last=True), "title")
    ):
        objectives[objective.sponsorship_id].append(objective)
    executives = {s.executive_id: s.executive for s in run.sponsorships}
    sponsorships_of: dict[int, list] = defaultdict(list)
    for sponsorship in run.sponsorships:
        sponsorships_of[sponsorship.executive_id].append(sponsorship)
    early_of: dict[int, set[int]] = defaultdict(set)
    for found in run.result.earlier_access:
        early_of[found.executive].add(found.opportunity)
    surprise_of: dict[int, set[int]] = defaultdict(set)
    for found in run.result.unexpected_business:
        surprise_of[found.executive].add(found.opportunity)
    return _Shared(
        sponsorships_of=dict(sponsorships_of),
        early_of=dict(early_of),
        surprise_of=dict(surprise_of),
        cadences={c.sponsorship.pk: c.cadence for c in cadence_for_sponsorships(live, today=run.as_of)},
        accounts=accounts,
        previous_health=previous,
        objectives=objectives,
        earlier={i.opportunity_id: i for i in _earlier_items(run.result.earlier_access, executives)},
        unexpected={i.opportunity_id: i for i in _unexpected_items(run.result.unexpected_business, executives)},
    )


def _scorecard(run: _Run, executive: Executive, shared: _Shared | None = None) -> Scorecard:
    shared = shared or _shared(run)
    result = run.result
    series = list(result.by_executive.get(executive.pk, ()))
    mine = shared.sponsorships_of.get(executive.pk, [])
    live = [s for s in mine if s.status in LIVE_STATUSES]
    quarter_start = result.quarters[-1].start
    objectives = [o for s in mine for o in shared.objectives.get(s.pk, ())]
    moving = [o for o in objectives if o.status_changed_on and quarter_start <= o.status_changed_on <= run.as_of]
    shown = sorted(
        (o for s in live for o in shared.objectives.get(s.pk, ())),
        key=lambda o: (-(o.status_changed_on or dt.date.min).toordinal(), o.title),
    )[:50]
    early = shared.early_of.get(executive.pk, set())
    surprise = shared.surprise_of.get(executive.pk, set())
    return Scorecard(
        executive_id=executive.pk,
        name=str(executive.user),
        function=executive.get_function_display(),
        rank=None,
        quarters=series,
        trends=trends(series),
        accounts=_scorecard_accounts(run, live, shared),
        objectives_moving=len(moving),
        objectives=[
            {
                "title": o.title,
                "account": o.account.name,
                "status": o.status,
                "status_label": o.get_status_display(),
                "changed_on": _iso(o.status_changed_on),
            }
            for o in shown
        ],  # fmt: skip
        earlier_access=[item for pk, item in shared.earlier.items() if pk in early],
        unexpected_business=[item for pk, item in shared.unexpected.items() if pk in surprise],
        enablement=[str(item) for item in (executive.enablement or [])],
    )


def _scorecard_accounts(run: _Run, live: list, shared: _Shared) -> list[ScorecardAccount]:
    out = []
    for s in live:
        cadence = shared.cadences.get(s.pk)
        account = shared.accounts[s.account_id]
        by_quarter = run.result.by_sponsorship.get(s.pk, ())
        now = by_quarter[-1] if by_quarter else None
        state = cadence.state if cadence else CadenceState.NOT_APPLICABLE
        out.append(
            ScorecardAccount(
                account_id=account.pk,
                name=account.name,
                sponsorship_id=s.pk,
                status=s.status,
                cadence=state.value,
                cadence_label=state.label,
                days_since=cadence.days_since if cadence else None,
                engagements_counting=now.engagements_counting if now else 0,
                threads=now.threads_per_sponsorship if now else None,
                health_score=account.health_score,
                health_band=account.health_band,
                health_previous=shared.previous_health.get(account.pk),
                revenue=[q.revenue for q in run.result.by_account.get(account.pk, ())],
                nrr=next((q.nrr for q in reversed(by_quarter) if q.nrr is not None), None),
            )  # fmt: skip
        )
    return sorted(out, key=lambda a: (-CadenceState(a.cadence).severity, a.name.casefold()))


def rank_key(card: Scorecard) -> tuple:
    """Best first: cadence adherence this quarter, then engagements that count per sponsorship, then earlier
    access and unexpected business opportunities together; a figure with no data ranks last."""
    now = card.current
    adherence = now.cadence_adherence if now.cadence_adherence is not None else -1.0
    per = now.engagements_per_sponsorship if now.engagements_per_sponsorship is not None else -1.0
    return (-adherence, -per, -(now.earlier_access + now.unexpected_business), card.name.casefold())


def _ranked(cards: list[Scorecard]) -> list[Scorecard]:
    ordered = sorted((c for c in cards if c.quarters), key=rank_key)
    return [replace(c, rank=i) for i, c in enumerate(ordered, start=1)]
