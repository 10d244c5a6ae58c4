"""Where the nightly measures job keeps its figures, and how pages read them back a page at a time.

`ProgramKpiSnapshot.figures["measures"]` holds the program-level figures only (quarters, trends, the
earlier-access and unexpected-business lists, the settings version); every account's and executive's series
and every executive's scorecard is one `MeasureSnapshotRow` of that snapshot. The document and its rows are
written in one transaction: until it commits, readers see the snapshot before it, whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import fields
from typing import Any, Generic, TypeVar

from django.db import transaction
from django.db.models import QuerySet

from execsponsor.core.measures import QuarterFigures, trends
from execsponsor.insights.models import MeasureRowKind, MeasureSnapshotRow, ProgramKpiSnapshot

SNAPSHOT_KEY = "measures"
FORMAT = 2  # figures["measures"]["format"]: 2 = rows apart (before: everything in the one document)
BATCH = 2_000  # rows per INSERT
KEEP_ROWS_DAYS = 7  # the rows of older snapshots are deleted by the job (their program figures stay)

FIGURES = tuple(f.name for f in fields(QuarterFigures))
DATES = ("start", "end")

T = TypeVar("T")


def series_columns(series: Sequence[QuarterFigures]) -> dict[str, list]:
    """The quarters' figures by column: {figure: [value per quarter, oldest first]} (dates as ISO text)."""
    columns: dict[str, list] = {name: [getattr(q, name) for q in series] for name in FIGURES}
    for name in DATES:
        columns[name] = [d.isoformat() for d in columns[name]]
    return columns


def series_from_columns(columns: dict[str, list]) -> list[QuarterFigures]:
    if not columns:
        return []
    values = {**columns, **{name: [dt.date.fromisoformat(d) for d in columns[name]] for name in DATES}}
    return [QuarterFigures(**{name: values[name][i] for name in FIGURES}) for i in range(len(columns["label"]))]


class StoredRows(Sequence[T], Generic[T]):
    """Stored rows as a sequence that reads only what is asked for: `len()` counts, a slice reads that slice
    (what Django's Paginator does), iterating reads in batches."""

    def __init__(self, queryset: QuerySet, convert: Callable[[MeasureSnapshotRow], T]):
        self._queryset = queryset
        self._convert = convert
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self._queryset.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __bool__(self) -> bool:
        return self._count > 0 if self._count is not None else self._queryset.exists()

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self._convert(row) for row in self._queryset[index]]
        if index < 0:
            index += self.count()
        if index < 0:
            raise IndexError(index)
        found = list(self._queryset[index : index + 1])
        if not found:
            raise IndexError(index)
        return self._convert(found[0])

    def __iter__(self) -> Iterator[T]:
        for row in self._queryset.iterator(chunk_size=BATCH):
            yield self._convert(row)


def _rows(snapshot_id: int, kind: str) -> QuerySet:
    return MeasureSnapshotRow.objects.filter(snapshot_id=snapshot_id, kind=kind).order_by("position")


def measure_row(row: MeasureSnapshotRow):
    from execsponsor.insights.measures import MeasureRow

    series = series_from_columns(row.series)
    return MeasureRow(row.key, row.name, row.detail, row.url, series, trends(series))


def scorecard_of(row: MeasureSnapshotRow):
    from execsponsor.insights.measures import Scorecard

    quarters = series_from_columns(row.series)
    return Scorecard.from_dict(
        {**row.card, "executive_id": row.key, "name": row.name, "function": row.detail, "rank": row.rank,
         "quarters": [q.as_dict() for q in quarters], "trends": {k: t.as_dict() for k, t in trends(quarters).items()}}
    )  # fmt: skip


# ---- reading -------------------------------------------------------------------------------------------------


def stored_document(taken_on: dt.date) -> tuple[int, dict[str, Any]] | None:
    """The snapshot's id and its measures document, when the snapshot of `taken_on` holds one with its rows."""
    found = ProgramKpiSnapshot.objects.filter(taken_on=taken_on).values_list("pk", f"figures__{SNAPSHOT_KEY}").first()
    if not found or not isinstance(found[1], dict) or found[1].get("format") != FORMAT:
        return None
    return found[0], found[1]


def stored_accounts(snapshot_id: int) -> StoredRows:
    return StoredRows(_rows(snapshot_id, MeasureRowKind.ACCOUNT), measure_row)


def stored_executives(snapshot_id: int) -> StoredRows:
    return StoredRows(_rows(snapshot_id, MeasureRowKind.EXECUTIVE), measure_row)


def stored_scorecards(snapshot_id: int) -> StoredRows:
    return StoredRows(_rows(snapshot_id, MeasureRowKind.SCORECARD), scorecard_of)


def stored_scorecard_summaries(snapshot_id: int) -> list[dict[str, Any]]:
    """Each ranked scorecard's headline (for the quarterly review): name, rank, function, this quarter's
    figures, the latest NRR and the counts; not its accounts or objectives."""
    rows = _rows(snapshot_id, MeasureRowKind.SCORECARD).values_list(
        "key", "name", "detail", "rank", "series", "card__summary"
    )
    out = []
    for key, name, function, rank, series, summary in rows:
        quarters = series_from_columns(series)
        out.append(
            {"executive_id": key, "name": name, "function": function, "rank": rank,
             "quarters": [q.as_dict() for q in quarters], **(summary or {})}
        )  # fmt: skip
    return out


# ---- writing -------------------------------------------------------------------------------------------------


def _row(snapshot: ProgramKpiSnapshot, kind: str, position: int, key: int, name: str, detail: str, url: str,
         series: Sequence[QuarterFigures], **extra) -> MeasureSnapshotRow:  # fmt: skip
    now = series[-1] if series else None
    return MeasureSnapshotRow(
        snapshot=snapshot, kind=kind, position=position, key=key, name=name[:300], detail=detail, url=url,
        live_sponsorships=now.live_sponsorships if now else 0,
        engagements_counting=now.engagements_counting if now else 0,
        cadence_adherence=now.cadence_adherence if now else None,
        revenue=now.revenue if now else None,
        series=series_columns(series), **extra,
    )  # fmt: skip


def _scorecard_row(snapshot: ProgramKpiSnapshot, position: int, card) -> MeasureSnapshotRow:
    rest = card.as_dict()
    for name in ("executive_id", "name", "function", "rank", "quarters", "trends"):
        rest.pop(name)
    rest["summary"] = {
        "accounts": len(card.accounts),
        "earlier_access": len(card.earlier_access),
        "unexpected_business": len(card.unexpected_business),
        "objectives_moving": card.objectives_moving,
        "enablement": list(card.enablement),
    }
    return _row(snapshot, MeasureRowKind.SCORECARD, position, card.executive_id, card.name, card.function, "",
                card.quarters, rank=card.rank, card=rest)  # fmt: skip


def write_snapshot(*, as_of: dt.date, program, cards: Sequence) -> ProgramKpiSnapshot:
    """Replace the measures of the snapshot of `as_of` (creating it if need be; its other figures are kept):
    the program's figures in the document, the rows apart, in one transaction."""
    document = {
        **program.as_dict(rows=False),
        "account_count": len(program.accounts),
        "executive_count": len(program.executives),
    }
    with transaction.atomic():
        snapshot, _ = ProgramKpiSnapshot.objects.select_for_update().get_or_create(taken_on=as_of)
        MeasureSnapshotRow.objects.filter(snapshot=snapshot).delete()
        rows: list[MeasureSnapshotRow] = []

        def flush(force: bool = False) -> None:
            if rows and (force or len(rows) >= BATCH):
                MeasureSnapshotRow.objects.bulk_create(rows, batch_size=BATCH)
                rows.clear()

        for kind, found in ((MeasureRowKind.ACCOUNT, program.accounts), (MeasureRowKind.EXECUTIVE, program.executives)):
            for position, r in enumerate(found):
                rows.append(_row(snapshot, kind, position, r.key, r.name, r.detail, r.url, r.series))
                flush()
        for position, card in enumerate(cards):
            rows.append(_scorecard_row(snapshot, position, card))
            flush()
        flush(force=True)
        stored = {"format": FORMAT, "program": document, "scorecard_count": len(cards)}
        snapshot.figures = {**(snapshot.figures or {}), SNAPSHOT_KEY: stored}
        snapshot.save(update_fields=["figures"])
        MeasureSnapshotRow.objects.filter(snapshot__taken_on__lt=as_of - dt.timedelta(days=KEEP_ROWS_DAYS)).delete()
    return snapshot
