"""Run one import: read the file, parse rows a batch at a time, upsert, report; atomic unless told otherwise."""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from django.db import transaction

from execsponsor.customers.importing.columns import ColumnMapping, column_positions, mapping_for
from execsponsor.customers.importing.dates import date_orders
from execsponsor.customers.importing.kinds import IMPORTERS
from execsponsor.customers.importing.kinds.base import Row
from execsponsor.customers.importing.reader import CsvFile
from execsponsor.customers.importing.references import References
from execsponsor.customers.importing.report import ImportReport


class _RollBack(Exception):
    """Leave the transaction without writing: a dry run, or bad rows without skip_bad_rows."""


def run_import(
    *,
    stream: BinaryIO,
    source: str,
    kind: str,
    mapping: ColumnMapping | None = None,
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    by=None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import one CSV export. Raises ImportFileError when nothing can be read (exit status 2 at the CLI).

    A dry run does the whole import inside a transaction and rolls it back, so its counts are exactly
    what the real run would write.
    """
    column_map = mapping_for(source=source, kind=kind, mapping=mapping)
    csv_file = CsvFile(stream)
    positions = column_positions(mapping=column_map, header=csv_file.header)
    importer_class = IMPORTERS[kind]
    orders = date_orders(
        csv_file=csv_file,
        positions=positions,
        date_fields=importer_class.date_fields,
        date_format=column_map.date_format,
    )
    report = ImportReport(source=source, kind=kind, dry_run=dry_run, skip_bad_rows=skip_bad_rows)
    report.file_warnings.extend(csv_file.warnings)
    try:
        with transaction.atomic():
            importer = importer_class(
                source=source,
                positions=positions,
                report=report,
                references=References(source=source),
                date_orders=orders,
                by=by,
            )
            _import_rows(csv_file, importer, positions, report, progress)
            importer.finish()
            if dry_run or (report.has_errors and not skip_bad_rows):
                raise _RollBack
            report.written = True
    except _RollBack:
        pass
    report.skipped = len(report.bad_lines)
    return report


def _import_rows(csv_file: CsvFile, importer, positions: dict[str, tuple[int, str]], report, progress) -> None:
    width = len(csv_file.header)
    fields = list(positions.items())
    batch: list[tuple[Row, dict]] = []
    for line, record in csv_file.records():
        report.rows += 1
        if len(record) < width:
            record = record + [""] * (width - len(record))
        elif len(record) > width and any(cell.strip() for cell in record[width:]):
            report.error(line, None, f"the row has {len(record)} values but the header names {width} columns")
            continue
        row = Row(importer, line, {field: record[index] for field, (index, _column) in fields})
        parsed = importer.parse(row)
        if parsed is None:
            continue
        if len(report.first_rows) < 10:
            report.sample(line, {positions[f][1]: v for f, (i, _c) in fields if (v := record[i])})
        batch.append((row, parsed))
        if len(batch) >= importer.batch_size:
            _write(importer, batch, progress, line)
            batch = []
    if batch:
        _write(importer, batch, progress, batch[-1][0].line)


def _write(importer, batch, progress, line: int) -> None:
    importer.write(batch)
    if progress is not None:
        progress(line)
