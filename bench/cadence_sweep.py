"""The cadence sweep over every live sponsorship, against one hand-written SQL query as the reference.

    ESP_DATA_DIR=/tmp/esp-cadence PYTHONPATH=$PWD/src .venv/bin/python bench/cadence_sweep.py [--repeat 7]

Run it against an existing demo (make one with `esp demo --no-serve`, or `--accounts 100000` for the big one).
Times, median of --repeat runs each, after one warm-up:

  ExecSponsor  going_cold(user=<the program owner>): every live sponsorship's latest engagement that counts
               (one query), its cadence state from core.cadence (per-sponsorship interval, at-risk day, paused,
               clock start before the first counting meeting), filtered to at-risk/overdue and sorted by days
               overdue then ARR — what the "Going cold" page and the sweep compute;
  reference    one SQL statement: days since the last engagement that counts, per live sponsorship
               (GROUP BY over the same join), rows fetched into Python.

Checks that both give the same days for every sponsorship with a counting engagement, then prints both times
and the ratio (target: within 3×).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
sys.path.insert(0, str(SRC))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "execsponsor.settings")

REFERENCE_SQL = {
    "sqlite": """
        SELECT s.id, CAST(julianday(date('now')) - julianday(date(MAX(e.occurred_at))) AS INTEGER)
        FROM program_sponsorship s
        JOIN engagements_engagement e ON e.sponsorship_id = s.id AND e.counts
        WHERE s.status IN ('approved', 'introduced', 'active', 'paused')
        GROUP BY s.id
    """,
    "postgresql": """
        SELECT s.id, CURRENT_DATE - MAX(e.occurred_at AT TIME ZONE 'UTC')::date
        FROM program_sponsorship s
        JOIN engagements_engagement e ON e.sponsorship_id = s.id AND e.counts
        WHERE s.status IN ('approved', 'introduced', 'active', 'paused')
        GROUP BY s.id
    """,
}


def timed(work, repeat: int) -> tuple[float, object]:
    result = work()  # warm-up: page cache, query plans
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from execsponsor.engagements.cadence import cadence_for_sponsorships, going_cold
    from execsponsor.program.models import Sponsorship
    from execsponsor.users.models import Role, User

    owner = User.objects.filter(role=Role.PROGRAM_OWNER, is_active=True).first()
    if owner is None:
        sys.exit("No program owner in this database: generate a demo first (esp demo --no-serve)")
    today = timezone.localdate()
    live = Sponsorship.objects.live().count()

    ours_s, cold = timed(lambda: going_cold(user=owner, today=today), args.repeat)

    def reference():
        with connection.cursor() as cursor:
            cursor.execute(REFERENCE_SQL[connection.vendor])
            return cursor.fetchall()

    ref_s, rows = timed(reference, args.repeat)

    # Same answer: every live sponsorship's days since its last counting engagement.
    expected = dict(rows)
    ours = {
        row.sponsorship.pk: row.cadence.days_since
        for row in cadence_for_sponsorships(Sponsorship.objects.live(), today)
        if row.cadence.last_counting_on is not None
    }
    mismatches = {pk: (ours.get(pk), days) for pk, days in expected.items() if ours.get(pk) != days}
    overdue = sum(1 for row in cold if row.cadence.state == "overdue")

    print(f"database          {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"live sponsorships {live:,}; with a counting engagement {len(expected):,}")
    print(f"going cold        {len(cold)} ({overdue} overdue, {len(cold) - overdue} at risk)")
    print(f"ExecSponsor       {ours_s * 1000:8.1f} ms  (going_cold: query + cadence + sort, median of {args.repeat})")
    print(f"reference SQL     {ref_s * 1000:8.1f} ms  (one GROUP BY query, median of {args.repeat})")
    print(f"ratio             {ours_s / ref_s:8.2f}×")
    print(f"agreement         {'same days for every sponsorship' if not mismatches else f'{len(mismatches)} differ'}")
    if mismatches:
        print(f"first mismatches  {list(mismatches.items())[:5]}")
        sys.exit(1)


if __name__ == "__main__":
    main()
