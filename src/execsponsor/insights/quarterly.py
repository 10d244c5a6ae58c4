"""The quarterly program review: what the program owner takes to the executive team each quarter.

One read gathers it (`quarterly_review`); it renders as a PDF (WeasyPrint, charts drawn as SVG on the server)
and as a CSV of the same figures. The review never computes an estimate itself: the impact analysis is the
stored run of the nightly job (or of "Run the analysis now"), with its caveats as it printed them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from execsponsor.access.rules import can
from execsponsor.access.visibility import visible_accounts
from execsponsor.common.errors import InvalidInput, NotPermitted
from execsponsor.common.svg_charts import Series, line_chart
from execsponsor.customers.models import Account
from execsponsor.exchange.exporting import safe_cell
from execsponsor.insights.models import ImpactAnalysis, ProgramKpiSnapshot
from execsponsor.program.models import (
    LIVE_STATUSES,
    MatchingRun,
    RebalanceBatch,
    RebalanceProposal,
    ReviewDecision,
    RunStatus,
    Sponsorship,
)
from execsponsor.users.models import User

QUARTER_PATTERN = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """'2026Q3', '2026 Q3' or '2026-q3'."""
        match = QUARTER_PATTERN.match(text or "")
        if not match:
            raise InvalidInput(f"A quarter looks like 2026Q3, not {text!r}.", field="quarter")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def last_complete(cls, today: dt.date) -> Quarter:
        return cls.of(today).previous()

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> dt.date:
        after = Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        return after.first_day - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.number}"

    @property
    def slug(self) -> str:
        return f"{self.year}Q{self.number}"


def review_quarters(today: dt.date, count: int = 6) -> list[Quarter]:
    """The quarters a review can be downloaded for, newest first: the current one (to date) and those before."""
    quarters = [Quarter.of(today)]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return quarters


@dataclass(frozen=True)
class ProgramDecision:
    """Something decided in the quarter: a matching run approved, a rebalance applied, a review decision."""

    on: dt.date
    kind: str
    text: str
    by: str


@dataclass(frozen=True)
class QuarterlyReview:
    quarter: Quarter
    generated_at: dt.datetime
    generated_by: User
    accounts_total: int
    accounts_in_program: int
    arr_total: float | None
    arr_covered: float | None
    executives: int
    live_sponsorships: int
    impact: dict[str, Any] | None
    impact_run: ImpactAnalysis | None
    impact_error: str
    rebalance: RebalanceBatch | None
    rebalance_proposals: list[RebalanceProposal]
    decisions: list[ProgramDecision]
    measures: list[dict[str, Any]] = field(default_factory=list)
    scorecards: list[dict[str, Any]] = field(default_factory=list)
    measures_on: dt.date | None = None

    def measures_svg(self) -> str:
        """NRR and GRR, and cadence adherence, per quarter up to the review's (percent)."""
        labels = [q["label"] for q in self.measures]
        return line_chart(
            labels,
            [
                Series("NRR %", [q.get("nrr") for q in self.measures]),
                Series("GRR %", [q.get("grr") for q in self.measures]),
                Series("Cadence adherence %", [q.get("cadence_adherence") for q in self.measures]),
            ],
            title="Retention and cadence by quarter",
        )

    @property
    def in_progress(self) -> bool:
        """The quarter has not ended yet: its figures are to date."""
        return timezone.localdate(self.generated_at) <= self.quarter.last_day

    @property
    def arr_covered_share(self) -> int | None:
        if not self.arr_total:
            return None
        return round(100 * (self.arr_covered or 0) / self.arr_total)

    def impact_chart_svg(self) -> str:
        if not self.impact:
            return ""
        rows = self.impact.get("event_study") or []
        labels = [f"{row['relative_quarter']:+d}" for row in rows]
        return line_chart(
            labels,
            [
                Series("estimate", [row["estimate"] for row in rows]),
                Series("95% low", [row["ci_low"] for row in rows]),
                Series("95% high", [row["ci_high"] for row in rows]),
            ],
            title="Event study: effect by quarter from the start (points)",
        )


def quarterly_review(*, by: User, quarter: Quarter | None = None, now: dt.datetime | None = None) -> QuarterlyReview:
    """The review of `quarter` (default: the last complete quarter), as `by` may see it."""
    if not can(by, "execsponsor.view_program_results"):
        raise NotPermitted("Only the program owner, an admin and the executive team's viewers see the review.")
    now = now or timezone.now()
    quarter = quarter or Quarter.last_complete(timezone.localdate(now))
    if quarter.first_day > timezone.localdate(now):
        raise InvalidInput(f"{quarter.label} has not started yet.", field="quarter")
    accounts = visible_accounts(by)
    totals = accounts.aggregate(count=Count("pk"), arr=Sum("arr"))
    covered = Account.objects.filter(
        pk__in=accounts.filter(sponsorships__status__in=LIVE_STATUSES).values("pk")
    ).aggregate(count=Count("pk"), arr=Sum("arr"))
    live = Sponsorship.objects.filter(account__in=accounts, status__in=LIVE_STATUSES)
    impact_run = (
        ImpactAnalysis.objects.filter(as_of__lte=max(quarter.last_day, quarter.first_day))
        .select_related("computed_by")
        .first()
        or ImpactAnalysis.objects.select_related("computed_by").first()
    )
    result = impact_run.result if impact_run else None
    error = str(result.get("error", "")) if result else ""
    rebalance = _rebalance_for(quarter)
    proposals = (
        list(
            rebalance.proposals.filter(account__in=accounts)
            .select_related("account", "to_executive__user", "from_sponsorship__executive__user")
            .order_by("action", "account__name")
        )
        if rebalance
        else []
    )
    measures, cards, measured_on = _measures_and_scorecards(by=by, quarter=quarter, today=timezone.localdate(now))
    return QuarterlyReview(
        quarter=quarter,
        generated_at=now,
        generated_by=by,
        accounts_total=totals["count"],
        accounts_in_program=covered["count"],
        arr_total=float(totals["arr"]) if totals["arr"] is not None else None,
        arr_covered=float(covered["arr"]) if covered["arr"] is not None else None,
        executives=live.values("executive").distinct().count(),
        live_sponsorships=live.count(),
        impact=None if (result is None or error) else result,
        impact_run=impact_run,
        impact_error=error,
        rebalance=rebalance,
        rebalance_proposals=proposals,
        decisions=_decisions(quarter, accounts),
        measures=measures,
        scorecards=cards,
        measures_on=measured_on,
    )


MEASURE_COLUMNS = (
    ("live_sponsorships", "Live sponsorships"),
    ("counting_per_sponsorship", "Engagements that count per sponsorship"),
    ("cadence_adherence", "Cadence adherence %"),
    ("executive_access", "Meetings with the customer's C-level"),
    ("nps", "NPS"),
    ("nrr", "NRR %"),
    ("grr", "GRR %"),
    ("earlier_access", "Earlier access (opportunities)"),
    ("unexpected_business", "Unexpected business (opportunities)"),
)


def _measures_and_scorecards(
    *, by: User, quarter: Quarter, today: dt.date
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dt.date | None]:
    """The quarters up to the review's (at most four) and the ranked scorecards: from the nightly snapshot when
    it holds the review's quarter, else computed now for the quarter (slow at scale: the nightly job exists so
    that the review need not)."""
    from execsponsor.insights.dashboard import quarter_as_shown, stored_quarters
    from execsponsor.insights.measures import program_measures, scorecards

    stored, taken_on = stored_quarters()
    labels = [q["label"] for q in stored]
    if quarter.label in labels and taken_on is not None:
        upto = stored[: labels.index(quarter.label) + 1][-4:]
        return upto, [_card_row(card) for card in _stored_cards(taken_on)], taken_on
    computed = program_measures(by=by, as_of=min(quarter.last_day, today), quarters=4)
    quarters = [quarter_as_shown(q) for q in computed.as_dict()["quarters"]]
    cards = [_card_row(card.as_dict()) for card in scorecards(by=by, as_of=min(quarter.last_day, today))]
    return quarters, cards, today


def _stored_cards(taken_on: dt.date) -> list[dict[str, Any]]:
    """The scorecards' headlines as the nightly job stored them: from the snapshot's rows (their accounts and
    objectives are not read), or from the document of a snapshot written before the rows were kept apart."""
    from execsponsor.insights.measures_store import stored_document, stored_scorecard_summaries

    found = stored_document(taken_on)
    if found is not None:
        return stored_scorecard_summaries(found[0])
    snapshot = ProgramKpiSnapshot.objects.filter(taken_on=taken_on).first()
    return ((snapshot.figures or {}).get("measures") or {}).get("scorecards", []) if snapshot else []


def _card_row(card: dict[str, Any]) -> dict[str, Any]:
    current = (card.get("quarters") or [{}])[-1]
    nrr = next((q.get("nrr") for q in reversed(card.get("quarters") or []) if q.get("nrr") is not None), None)
    return {
        "executive": card.get("name", ""),
        "executive_id": card.get("executive_id"),
        "rank": card.get("rank"),
        "function": card.get("function", ""),
        "accounts": _count(card.get("accounts")),
        "cadence_adherence": None
        if current.get("cadence_adherence") is None
        else round(100 * current["cadence_adherence"], 1),
        "counting_per_sponsorship": current.get("engagements_per_sponsorship"),
        "executive_access": current.get("executive_access"),
        "objectives_moving": card.get("objectives_moving"),
        "earlier_access": _count(card.get("earlier_access")),
        "unexpected_business": _count(card.get("unexpected_business")),
        "nrr": None if nrr is None else round(100 * nrr, 1),
        "enablement": ", ".join(card.get("enablement") or []),
    }


def _count(value: Any) -> int:
    """A stored scorecard's list (older snapshots) or its count (the rows' summaries)."""
    return value if isinstance(value, int) else len(value or [])


def _rebalance_for(quarter: Quarter) -> RebalanceBatch | None:
    """The rebalance proposed for the quarter or in it: the latest batch labelled with the quarter, else the
    latest one created during it."""
    batches = RebalanceBatch.objects.select_related("created_by", "applied_by")
    return (
        batches.filter(quarter_label=quarter.label).first()
        or batches.filter(created_at__date__gte=quarter.first_day, created_at__date__lte=quarter.last_day).first()
    )


def _decisions(quarter: Quarter, accounts) -> list[ProgramDecision]:
    in_quarter = {"__date__gte": quarter.first_day, "__date__lte": quarter.last_day}
    decisions: list[ProgramDecision] = []
    for run in MatchingRun.objects.filter(
        status=RunStatus.APPROVED, **{f"approved_at{k}": v for k, v in in_quarter.items()}
    ).select_related("approved_by"):
        changes = run.changes or {}
        summary = ", ".join(f"{changes[key]} {key}" for key in ("add", "keep", "reassign", "end") if changes.get(key))
        decisions.append(
            ProgramDecision(
                on=timezone.localdate(run.approved_at),
                kind="Matching approved",
                text=f"Run #{run.pk}{' (' + run.label + ')' if run.label else ''}: {summary or 'no changes'}",
                by=str(run.approved_by or "—"),
            )
        )
    for batch in RebalanceBatch.objects.filter(
        Q(**{f"applied_at{k}": v for k, v in in_quarter.items()})
    ).select_related("applied_by"):
        accepted = batch.proposals.filter(accepted=True).count()
        decisions.append(
            ProgramDecision(
                on=timezone.localdate(batch.applied_at),
                kind="Rebalance applied",
                text=f"{batch.quarter_label}: {accepted} change{'s' if accepted != 1 else ''}"
                + (" (since reverted)" if batch.reverted_at else ""),
                by=str(batch.applied_by or "—"),
            )
        )
    for decision in (
        ReviewDecision.objects.filter(review__held_on__gte=quarter.first_day, review__held_on__lte=quarter.last_day)
        .filter(Q(account__isnull=True) | Q(account__in=accounts))
        .select_related("review", "owner", "account")
    ):
        where = f"{decision.account.name}: " if decision.account else ""
        due = f" (due {decision.due_on:%d %b %Y})" if decision.due_on else ""
        decisions.append(
            ProgramDecision(
                on=decision.review.held_on,
                kind="Program review",
                text=f"{where}{decision.decision}{due}",
                by=str(decision.owner or "—"),
            )
        )
    decisions.sort(key=lambda d: (d.on, d.kind))
    return decisions


# The PDF is read by the executive team: it ranks every executive when they fit on a few pages, and otherwise
# shows the best and the last of the ranking (the CSV, and the Scorecards page, hold every one). At 100,000
# accounts and 2,908 executives the whole ranking was 155 of the PDF's 159 pages.
PDF_SCORECARDS_TOP = 25
PDF_SCORECARDS_BOTTOM = 10


def pdf_scorecards(cards: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int, list[dict[str, Any]]]:
    """(the first rows, how many are left out, the last rows) of the ranked scorecards, for the PDF."""
    if len(cards) <= PDF_SCORECARDS_TOP + PDF_SCORECARDS_BOTTOM:
        return cards, 0, []
    return (
        cards[:PDF_SCORECARDS_TOP],
        len(cards) - PDF_SCORECARDS_TOP - PDF_SCORECARDS_BOTTOM,
        cards[-PDF_SCORECARDS_BOTTOM:],
    )


def quarterly_context(review: QuarterlyReview) -> dict[str, Any]:
    rows = [(label, [quarter.get(key) for quarter in review.measures]) for key, label in MEASURE_COLUMNS]
    cards_top, cards_left_out, cards_bottom = pdf_scorecards(review.scorecards)
    return {
        "review": review,
        "cards_top": cards_top,
        "cards_left_out": cards_left_out,
        "cards_bottom": cards_bottom,
        "impact_svg": review.impact_chart_svg(),
        "measures_svg": review.measures_svg() if review.measures else "",
        "measure_rows": rows,
    }


def quarterly_pdf(review: QuarterlyReview) -> bytes:
    from execsponsor.common.pdf import render_pdf

    return render_pdf("insights/quarterly_review_pdf.html", quarterly_context(review))


def quarterly_csv(review: QuarterlyReview) -> str:
    """The review's figures, one per row: section, subject, quarter, measure, value (formula-safe)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["section", "subject", "quarter", "measure", "value"])
    label = review.quarter.label

    def row(section: str, subject: str, quarter: str, measure: str, value: object) -> None:
        writer.writerow([safe_cell(section), safe_cell(subject), quarter, safe_cell(measure), _plain(value)])

    row("program", "all accounts", label, "accounts", review.accounts_total)
    row("program", "all accounts", label, "accounts in the program", review.accounts_in_program)
    row("program", "all accounts", label, "ARR", review.arr_total)
    row("program", "all accounts", label, "ARR covered", review.arr_covered)
    row("program", "all accounts", label, "live sponsorships", review.live_sponsorships)
    for quarter_row in review.measures:
        for key, value in quarter_row.items():
            if key != "label":
                row("measures", "program", quarter_row["label"], key, value)
    for card in review.scorecards:
        for key, value in card.items():
            if key not in ("executive", "executive_id"):
                row("scorecard", str(card.get("executive", "")), label, key, value)
    if review.impact:
        impact = review.impact
        for key in ("estimate", "ci_low", "ci_high", "naive_estimate", "treated", "controls", "max_smd_after"):
            row("impact", impact.get("outcome", "NRR"), label, key, impact.get(key))
        placebo = impact.get("placebo") or {}
        for key in ("estimate", "ci_low", "ci_high"):
            row("impact", "placebo", label, key, placebo.get(key))
    for proposal in review.rebalance_proposals:
        row("rebalance", proposal.account.name, label, proposal.get_action_display(), proposal.reason)
    for decision in review.decisions:
        row("decision", decision.kind, label, decision.on.isoformat(), decision.text)
    return buffer.getvalue()


def _plain(value: object) -> object:
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, str):
        return safe_cell(value)
    if isinstance(value, list | tuple):
        return safe_cell("; ".join(str(v) for v in value))
    return "" if value is None else value
