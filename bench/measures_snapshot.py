"""The nightly measures snapshot (`snapshot_record`, the 03:45 job) on a demo company: time and stored size.

    ESP_DATA_DIR=<demo> PYTHONPATH=$PWD/src .venv/bin/python bench/measures_snapshot.py [--profile out.prof]

Runs the job once as the system user for today, like the nightly job (it replaces today's measures), then
prints the seconds it took and what it stored: the length of the snapshot's `figures` document, and the
number and total length of its `MeasureSnapshotRow` rows (the JSON and text columns) where the table exists.
`--profile` runs it under cProfile, writes the stats there and prints the 30 costliest functions by own time
and by cumulative time (cProfile slows pure-Python code: time without it for the figure).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "execsponsor.settings")


def stored_size(taken_on) -> dict[str, int | None]:
    from django.db import DatabaseError, connection, transaction

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, length(CAST(figures AS TEXT)) FROM insights_programkpisnapshot WHERE taken_on = %s",
            [taken_on],
        )
        snapshot_id, document = cursor.fetchone()
        rows = length = None
        try:
            with transaction.atomic():
                cursor.execute(
                    "SELECT count(*), sum(length(CAST(series AS TEXT)) + length(CAST(card AS TEXT)) + length(name)"
                    " + length(detail) + length(url)) FROM insights_measuresnapshotrow WHERE snapshot_id = %s",
                    [snapshot_id],
                )
                rows, length = cursor.fetchone()
        except DatabaseError:  # before the rows were kept apart
            pass
    return {"document": document, "rows": rows, "rows_length": length}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()

    import django

    django.setup()
    from execsponsor.customers.models import Account
    from execsponsor.insights.measures import snapshot_record
    from execsponsor.users.services import system_user

    by = system_user()
    print(f"accounts: {Account.objects.count():,}", flush=True)
    profiler = cProfile.Profile() if args.profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    snapshot = snapshot_record(by=by)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    print(f"snapshot_record: {seconds:.1f} s{' (under cProfile)' if profiler else ''}")
    size = stored_size(snapshot.taken_on)
    print(f"figures document: {size['document']:,} characters")
    if size["rows"] is not None:
        print(f"rows: {size['rows']:,}, {size['rows_length'] or 0:,} characters in their JSON and text columns")
    if profiler:
        profiler.dump_stats(args.profile)
        stats = pstats.Stats(str(args.profile))
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
