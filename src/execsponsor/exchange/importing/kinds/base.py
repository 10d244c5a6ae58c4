"""What every kind's importer shares: reading one row's cells into typed values, and upserting a batch."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from execsponsor.exchange.importing import values as parse
from execsponsor.exchange.importing.bulk import by_external_id
from execsponsor.exchange.importing.references import References
from execsponsor.exchange.importing.report import ImportReport

_UNSEEN = object()
DATETIME_MEMO_SIZE = 50_000  # distinct texts remembered per field


class Row:
    """One record's cells, read field by field; every problem becomes an error on this line and column."""

    __slots__ = ("line", "cells", "_importer", "bad")

    def __init__(self, importer: Importer, line: int, cells: dict[str, str]):
        self._importer = importer
        self.line = line
        self.cells = cells
        self.bad = False

    def has(self, field: str) -> bool:
        return field in self.cells

    def error(self, field: str | None, message: str) -> None:
        self.bad = True
        self._importer.report.error(self.line, self._importer.column(field), message)

    def warning(self, field: str | None, message: str) -> None:
        self._importer.report.warning(self.line, self._importer.column(field), message)

    def text(self, field: str, *, max_length: int, required: bool = False) -> str:
        value = self.cells.get(field, "").strip()
        if required and not value:
            self.error(field, "a value is required")
        elif len(value) > max_length:
            self.error(field, f"is {len(value)} characters long; at most {max_length} fit")
        return value

    def _parsed(self, field: str, parser, **options):
        try:
            return parser(self.cells.get(field, ""), **options)
        except parse.ValueProblem as problem:
            self.error(field, str(problem))
            return None

    def amount(self, field: str, *, minimum: Decimal | None = None) -> Decimal | None:
        value = self._parsed(field, parse.parse_amount)
        if value is not None and minimum is not None and value < minimum:
            self.error(field, f"{self.cells[field].strip()!r} must not be below {minimum}")
            return None
        if value is not None and abs(value) >= Decimal(10) ** 14:
            self.error(field, f"{self.cells[field].strip()!r} is too large")
            return None
        return value.quantize(Decimal("0.01")) if value is not None else None

    def whole_number(self, field: str, *, minimum: int = 0, maximum: int = 2_147_483_647) -> int | None:
        value = self._parsed(field, parse.parse_whole_number)
        if value is not None and not minimum <= value <= maximum:
            self.error(field, f"{self.cells[field].strip()!r} must be between {minimum} and {maximum}")
            return None
        return value

    def date(self, field: str):
        return self._parsed(field, parse.parse_date, order=self._importer.date_orders.get(field))

    def datetime(self, field: str):
        # Exports repeat timestamps (meetings start on the hour), so each distinct text is parsed once per field.
        text = self.cells.get(field, "")
        memo = self._importer.parsed_datetimes.setdefault(field, {})
        value = memo.get(text, _UNSEEN)
        if value is _UNSEEN:
            value = self._parsed(field, parse.parse_datetime, order=self._importer.date_orders.get(field))
            if not self.bad and len(memo) < DATETIME_MEMO_SIZE:
                memo[text] = value
        return value

    def boolean(self, field: str) -> bool | None:
        return self._parsed(field, parse.parse_bool)


class Importer:
    """Parse rows into field values, then write them a batch at a time."""

    kind = ""
    model = None
    date_fields: tuple[str, ...] = ()
    history = False
    batch_size = 5000
    # Fields an import fills only while they are blank, so that a person's later judgement survives re-imports.
    fill_only_blank: tuple[str, ...] = ()

    def __init__(
        self,
        *,
        source: str,
        positions: dict[str, tuple[int, str]],
        report: ImportReport,
        references: References,
        date_orders: dict[str, str | None],
        by,
    ):
        self.source = source
        self.positions = positions
        self.report = report
        self.refs = references
        self.date_orders = date_orders
        self.by = by
        self.seen: dict[str, int] = {}
        self.parsed_datetimes: dict[str, dict] = {}
        self.unchanged_keys: set[str] = set()

    def column(self, field: str | None) -> str | None:
        if field is None:
            return None
        return self.positions[field][1] if field in self.positions else field

    def parse(self, row: Row) -> dict | None:
        raise NotImplementedError

    def write(self, rows: list[tuple[Row, dict]]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Work that needs every row first (a second pass)."""

    def check_parsed(self) -> set[int]:
        """Checks that need every row but no writing, made before anything is written; returns the lines they
        reject (also reported as row errors), so an all-or-nothing import refuses them up front."""
        return set()

    def first_sighting(self, row: Row, key: str, field: str = "external_id") -> bool:
        """An id that appears twice in one file is an error on the second line, not a silent overwrite."""
        first = self.seen.setdefault(key, row.line)
        if first != row.line:
            row.error(field, f"{key} appears again (first on line {first})")
            return False
        return True

    def upsert(self, rows: list[tuple[Row, str, dict]]) -> dict[str, object]:
        """Create or update by (source, external id); count created, updated, unchanged. Returns key → object."""
        model = self.model
        keys = [key for _row, key, _values in rows]
        existing = {obj.external_id: obj for obj in by_external_id(model, source=self.source, keys=keys)}
        new, changed, changed_fields = [], [], set()
        for _row, key, values in rows:
            obj = existing.get(key)
            if obj is None:
                obj = model(source=self.source, external_id=key, **values)
                existing[key] = obj
                new.append(obj)
                continue
            differences = [
                name
                for name, value in values.items()
                if getattr(obj, name) != value and not (name in self.fill_only_blank and getattr(obj, name))
            ]
            if differences:
                if hasattr(obj, "updated_at"):
                    obj.updated_at = timezone.now()
                for name in differences:
                    setattr(obj, name, values[name])
                changed.append(obj)
                changed_fields.update(differences)
            else:
                self.report.unchanged += 1
                self.unchanged_keys.add(key)
        self._save(new, changed, changed_fields)
        return existing

    def _save(self, new: list, changed: list, changed_fields: set[str]) -> None:
        model = self.model
        reason = f"import from {self.source}"
        if new:
            if self.history:
                bulk_create_with_history(
                    new, model, batch_size=1000, default_user=self.by, default_change_reason=reason
                )
            else:
                model.objects.bulk_create(new, batch_size=1000)
            self.report.created += len(new)
        if changed:
            fields = sorted(changed_fields | ({"updated_at"} if hasattr(model, "updated_at") else set()))
            if self.history:
                bulk_update_with_history(
                    changed, model, fields, batch_size=1000, default_user=self.by, default_change_reason=reason
                )
            else:
                model.objects.bulk_update(changed, fields, batch_size=1000)
            self.report.updated += len(changed)
