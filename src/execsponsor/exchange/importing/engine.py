"""Run one import: check every row first, then write in short transactions; all or nothing unless told otherwise.

Two passes, so that an import never holds the database's write lock for its whole run (on SQLite one writer
at a time; the web app must keep answering):

1. check   read the file, parse and validate every row with no write transaction open. The parsed rows are
           staged batch by batch in a temporary file (pickled), so memory stays flat at a million rows.
2. write   when nothing is wrong (or skip_bad_rows), apply the staged batches in short transactions, each
           taking batches until it has lasted TRANSACTION_SECONDS. Rows are matched by (source, external id),
           so applying a batch twice is safe: a run that stops midway can simply be run again.

A dry run (and a real run refused because of bad rows) applies the staged batches in the same transactions,
each rolled back at once: the counts are exactly what a real run would write, reported as would_create and
would_update, and again no lock is held for longer than one short transaction.
"""

from __future__ import annotations

import pickle
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import BinaryIO

from django.db import transaction

from execsponsor.access.rules import require
from execsponsor.exchange.importing.columns import ColumnMapping, column_positions, mapping_for
from execsponsor.exchange.importing.dates import date_orders
from execsponsor.exchange.importing.kinds import IMPORTERS
from execsponsor.exchange.importing.kinds.base import Row
from execsponsor.exchange.importing.reader import CsvFile
from execsponsor.exchange.importing.references import References
from execsponsor.exchange.importing.report import ImportReport

CHECKING, WRITING = "checking", "writing"

# Rows are staged, and written, in batches of at most this many, whatever the importer's batch size.
MAX_ROWS_PER_TRANSACTION = 2_000
# A write transaction takes staged batches until it has lasted this long, then commits: other writers (a
# sign-in, an API write) wait about this long for SQLite's lock, well within busy_timeout (10 s), and a quiet
# machine still writes ten thousand rows or more per commit (each commit rewrites the pages it touched, so
# many small ones cost more than a few larger ones). A loaded machine gets smaller transactions, not longer.
TRANSACTION_SECONDS = 0.75
# After each transaction the import waits this long before taking the lock again, so that a writer waiting in
# SQLite's busy handler (which sleeps up to 100 ms between tries) gets its turn instead of finding the lock
# taken again every time it looks (one write waited 10.5 s, and got 503, without this pause).
PAUSE_BETWEEN_TRANSACTIONS = 0.1

# progress(step, line): the physical line reached while checking, or the last line written.
Progress = Callable[[str, int], None]
# on_batch(report, line): called inside each committed batch's transaction, so whatever it records (the job's
# applied counts) commits together with the rows.
OnBatch = Callable[[ImportReport, int], None]


class _RollBack(Exception):
    """Leave a batch's transaction without writing (dry run, or bad rows without skip_bad_rows)."""


def run_import(
    *,
    stream: BinaryIO,
    source: str,
    kind: str,
    mapping: ColumnMapping | None = None,
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    by,
    progress: Progress | None = None,
    on_batch: OnBatch | None = None,
) -> ImportReport:
    """Import one CSV export. Raises ImportFileError when nothing can be read (exit status 2 at the CLI).

    An exception while writing (the database went away) propagates; the batches before it stay written.
    `by` is who imports (a program owner or admin; the command line's system user), named in the history rows.
    """
    require(by, "execsponsor.import_data")
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
    importer = importer_class(
        source=source,
        positions=positions,
        report=report,
        references=References(source=source),
        date_orders=orders,
        by=by,
    )
    with tempfile.TemporaryFile(prefix="esp-import-") as staging:
        batches = _stage(csv_file, importer, positions, report, staging, progress)
        rejected = importer.check_parsed()
        simulate = dry_run or (report.has_errors and not skip_bad_rows)
        staged = _staged(staging, batches, importer, rejected)
        while (last_line := _apply(importer, staged, simulate=simulate, on_batch=on_batch)) is not None:
            if progress is not None:
                progress(WRITING, last_line)
            time.sleep(PAUSE_BETWEEN_TRANSACTIONS)
        _apply_finish(importer, simulate=simulate, on_batch=on_batch)
    report.written = not simulate
    report.skipped = len(report.bad_lines)
    if simulate:
        report.move_counts_to_would()
    return report


def _stage(csv_file: CsvFile, importer, positions, report: ImportReport, staging, progress) -> int:
    """Parse every row; pickle the good ones into `staging` a batch at a time. Returns the number of batches."""
    width = len(csv_file.header)
    fields = list(positions.items())
    batch: list[tuple[int, dict]] = []
    batches = line = 0
    batch_size = min(importer.batch_size, MAX_ROWS_PER_TRANSACTION)
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
        batch.append((line, parsed))
        if len(batch) >= batch_size:
            pickle.dump(batch, staging, protocol=pickle.HIGHEST_PROTOCOL)
            batches += 1
            batch = []
            if progress is not None:
                progress(CHECKING, line)
    if batch:
        pickle.dump(batch, staging, protocol=pickle.HIGHEST_PROTOCOL)
        batches += 1
    if progress is not None:
        progress(CHECKING, line)
    return batches


def _staged(staging, batches: int, importer, rejected: set[int]) -> Iterator[list[tuple[Row, dict]]]:
    staging.seek(0)
    for _ in range(batches):
        rows = pickle.load(staging)  # noqa: S301 — our own file
        batch = [(Row(importer, line, {}), parsed) for line, parsed in rows if line not in rejected]
        if batch:
            yield batch


def _apply(
    importer, staged: Iterator[list[tuple[Row, dict]]], *, simulate: bool, on_batch: OnBatch | None
) -> int | None:
    """Write staged batches in one transaction until TRANSACTION_SECONDS have passed; the last line written, or
    None when no batch was left. The next batch is read before the transaction opens."""
    batch = next(staged, None)
    if batch is None:
        return None
    try:
        with transaction.atomic():
            started = time.monotonic()
            while True:
                importer.write(batch)
                line = batch[-1][0].line
                if time.monotonic() - started >= TRANSACTION_SECONDS or (batch := next(staged, None)) is None:
                    break
            if simulate:
                raise _RollBack
            if on_batch is not None:
                on_batch(importer.report, line)
    except _RollBack:
        pass
    return line


def _apply_finish(importer, *, simulate: bool, on_batch: OnBatch | None) -> None:
    """The importer's second pass (reports-to links), in one more short transaction."""
    try:
        with transaction.atomic():
            importer.finish()
            if simulate:
                raise _RollBack
            if on_batch is not None:
                on_batch(importer.report, 0)
    except _RollBack:
        pass
