"""The program dashboard: measures over quarters, the going-cold list, alerts, executives' load and the impact
headline, for the program owner and the viewer.

Every part is a bounded read: the quarterly measures and the impact analysis come from what the nightly jobs
stored (`ProgramKpiSnapshot`, `ImpactAnalysis`), the lists are capped, and the aggregates are single queries,
so the page costs the same at 100,000 accounts as at 1,000 and never waits on a computation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.utils import timezone

from execsponsor.access.visibility import visible_accounts
from execsponsor.customers.models import Account
from execsponsor.engagements.cadence import SponsorshipCadence, cadence_for_sponsorships, going_cold
from execsponsor.home.selectors import ExecutiveLoad, executive_loads
from execsponsor.insights.impact import latest_impact_analysis
from execsponsor.insights.models import ImpactAnalysis, ProgramKpiSnapshot
from execsponsor.program.models import LIVE_STATUSES, Sponsorship
from execsponsor.signals.models import Alert, AlertStatus
from execsponsor.signals.selectors import open_alerts
from execsponsor.users.models import User

LIST_ROWS = 10
# The going-cold sweep of every live sponsorship, kept for the dashboard: the hourly cadence job refreshes it
# and a page that finds none computes and keeps it. With REDIS_URL every process shares it.
GOING_COLD_KEY = "dashboard:going-cold:v1"
GOING_COLD_SECONDS = 15 * 60
# The quarterly figures the trend charts draw (keys of each quarter's figures).
MEASURE_SERIES = (
    "nrr",
    "grr",
    "counting_per_sponsorship",
    "cadence_adherence",
    "executive_access",
    "nps",
)


@dataclass(frozen=True)
class ImpactHeadline:
    run: ImpactAnalysis
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    naive_estimate: float | None
    treated: int | None
    controls: int | None
    error: str

    @property
    def covers_zero(self) -> bool:
        return self.ci_low is not None and self.ci_high is not None and self.ci_low <= 0 <= self.ci_high


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    accounts_total: int
    accounts_in_program: int
    arr_total: Decimal | None
    arr_covered: Decimal | None
    going_cold: list[SponsorshipCadence]
    going_cold_count: int
    overdue_count: int
    live_count: int
    alerts: list[Alert]
    alerts_count: int
    loads: list[ExecutiveLoad]
    impact: ImpactHeadline | None
    going_cold_swept_at: dt.datetime | None = None
    measures: list[dict[str, Any]] = field(default_factory=list)
    measures_taken_on: dt.date | None = None

    @property
    def arr_covered_share(self) -> int | None:
        if not self.arr_total:
            return None
        return round(100 * (self.arr_covered or 0) / self.arr_total)

    @property
    def at_risk_count(self) -> int:
        return self.going_cold_count - self.overdue_count

    @property
    def over_capacity(self) -> int:
        return sum(1 for load in self.loads if load.state == "over")

    def measures_chart(self) -> dict[str, list[Any]]:
        """The program's measures per quarter, oldest first, for the trend charts."""
        return {
            "labels": [row["label"] for row in self.measures],
            **{key: [row.get(key) for row in self.measures] for key in MEASURE_SERIES},
        }

    def loads_chart(self) -> dict[str, list[Any]]:
        """The executives' load against their capacity, most loaded first (at most 25 bars)."""
        rows = self.loads[:25]
        return {
            "names": [str(row.executive.user) for row in rows],
            "load": [row.capacity.load for row in rows],
            "capacity_min": [row.capacity.capacity_min for row in rows],
            "capacity_max": [row.capacity.capacity_max for row in rows],
        }


def impact_headline() -> ImpactHeadline | None:
    run = latest_impact_analysis()
    if run is None:
        return None
    result = run.result or {}
    return ImpactHeadline(
        run=run,
        estimate=result.get("estimate"),
        ci_low=result.get("ci_low"),
        ci_high=result.get("ci_high"),
        naive_estimate=result.get("naive_estimate"),
        treated=result.get("treated"),
        controls=result.get("controls"),
        error=str(result.get("error", "")),
    )


def stored_quarters() -> tuple[list[dict[str, Any]], dt.date | None]:
    """The program's quarterly measures as the nightly job last stored them (oldest quarter first), in the
    units the dashboard shows (percentages for ratios), and the day they were computed; never computed here.
    Only the quarters are read out of the stored document, not its per-account rows."""
    from execsponsor.insights.measures_store import SNAPSHOT_KEY

    # Keyed by the newest snapshot row (read without opening its JSON), so a new night's figures show at once.
    newest = ProgramKpiSnapshot.objects.aggregate(pk=Max("pk"))["pk"]
    if newest is None:
        return [], None
    key = f"dashboard:quarters:{newest}"
    kept = cache.get(key)
    if kept is not None:
        return kept["quarters"], dt.date.fromisoformat(kept["taken_on"])
    row = (
        ProgramKpiSnapshot.objects.filter(**{f"figures__{SNAPSHOT_KEY}__isnull": False})
        .order_by("-taken_on")
        .values_list("taken_on", f"figures__{SNAPSHOT_KEY}__program__quarters")
        .first()
    )
    if not row or not row[1]:
        return [], None
    taken_on, quarters = row
    shown = [quarter_as_shown(quarter) for quarter in quarters]
    cache.set(key, {"quarters": shown, "taken_on": taken_on.isoformat()}, GOING_COLD_SECONDS)
    return shown, taken_on


def _percent(value: Any) -> float | None:
    return None if value is None else round(100 * float(value), 1)


def quarter_as_shown(quarter: dict[str, Any]) -> dict[str, Any]:
    return {
        "label": quarter["label"],
        "counting_per_sponsorship": quarter.get("engagements_per_sponsorship"),
        "cadence_adherence": _percent(quarter.get("cadence_adherence")),
        "executive_access": quarter.get("executive_access"),
        "nps": quarter.get("nps"),
        "nrr": _percent(quarter.get("nrr")),
        "grr": _percent(quarter.get("grr")),
        "earlier_access": quarter.get("earlier_access"),
        "unexpected_business": quarter.get("unexpected_business"),
        "live_sponsorships": quarter.get("live_sponsorships"),
    }


def program_dashboard(*, user: User, today: dt.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    accounts = visible_accounts(user)
    totals = accounts.aggregate(count=Count("pk"), arr=Sum("arr"))
    in_program = accounts.filter(sponsorships__status__in=LIVE_STATUSES).distinct()
    covered = Account.objects.filter(pk__in=in_program.values("pk")).aggregate(count=Count("pk"), arr=Sum("arr"))
    cold, cold_count, overdue, swept_at = going_cold_summary(user=user, today=today)
    quarters, taken_on = stored_quarters()
    alerts_count = Alert.objects.filter(account__in=accounts).exclude(status=AlertStatus.RESOLVED).count()
    return Dashboard(
        today=today,
        accounts_total=totals["count"],
        accounts_in_program=covered["count"],
        arr_total=totals["arr"],
        arr_covered=covered["arr"],
        going_cold=cold,
        going_cold_count=cold_count,
        overdue_count=overdue,
        going_cold_swept_at=swept_at,
        live_count=Sponsorship.objects.filter(account__in=accounts, status__in=LIVE_STATUSES).count(),
        alerts=open_alerts(user=user, limit=LIST_ROWS),
        alerts_count=alerts_count,
        loads=executive_loads(user=user),
        impact=impact_headline(),
        measures=quarters,
        measures_taken_on=taken_on,
    )


def going_cold_sweep(*, user: User, today: dt.date) -> dict[str, Any]:
    """The whole going-cold list as plain values (sponsorship ids in the list's order, how many overdue),
    computed now and kept for the dashboard."""
    cold = going_cold(user=user, today=today)
    summary = {
        "today": today.isoformat(),
        "swept_at": timezone.now().isoformat(),
        "ids": [row.sponsorship.pk for row in cold],
        "overdue": sum(1 for row in cold if row.cadence.days_overdue > 0),
    }
    cache.set(GOING_COLD_KEY, summary, GOING_COLD_SECONDS)
    return summary


def going_cold_summary(*, user: User, today: dt.date) -> tuple[list[SponsorshipCadence], int, int, dt.datetime | None]:
    """The first rows of the going-cold list, its length, how many are overdue and when it was swept. The
    dashboard is for people who see every account, so one kept sweep serves them all; the first rows' cadence
    is computed fresh."""
    summary = cache.get(GOING_COLD_KEY)
    if not summary or summary.get("today") != today.isoformat():
        summary = going_cold_sweep(user=user, today=today)
    first = summary["ids"][:LIST_ROWS]
    fresh = {
        row.sponsorship.pk: row for row in cadence_for_sponsorships(Sponsorship.objects.filter(pk__in=first), today)
    }
    rows = [fresh[pk] for pk in first if pk in fresh and fresh[pk].cadence.is_going_cold]
    return rows, len(summary["ids"]), summary["overdue"], dt.datetime.fromisoformat(summary["swept_at"])


def going_cold_warm() -> None:
    """For the hourly cadence job: sweep as the system user, who sees every account."""
    from execsponsor.users.services import system_user

    going_cold_sweep(user=system_user(), today=timezone.localdate())
