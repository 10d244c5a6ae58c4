"""Playbook trigger evaluation over the whole program, against one hand-written SQL query as the reference.

    ESP_DATA_DIR=/tmp/esp-100k PYTHONPATH=$PWD/src .venv/bin/python bench/trigger_evaluation.py [--repeat 5]

Run it against an existing demo (`esp demo --no-serve`, or `--accounts 100000` for the big one). Each repeat
runs inside a transaction that is rolled back, so every repeat does the same work. Times, median of --repeat
runs each, after one warm-up:

  steady       triggers_evaluate(today): what the hourly job does on a running program. Every trigger of every
               active playbook reads its causes (sponsorships approved, cadence overdue — the full cadence
               sweep —, renewals near, quarter start, open alerts, health drops) and every cause already run
               is skipped by its unique key; nothing new starts.
  first        the same after deleting every playbook run and task (rolled back): the first evaluation of a
               program, which starts a run with its tasks for every cause.
  reference    one SQL statement: days since the last engagement that counts, per live sponsorship — the
               cadence part of the work, the figure issue 9 asks the sweep to stay within 3× of.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from execsponsor.users.services import system_user

SRC = Path(__file__).resolve().parent.parent / "src"
sys.path.insert(0, str(SRC))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "execsponsor.settings")

from cadence_sweep import REFERENCE_SQL  # noqa: E402


class Rollback(Exception):
    pass


def timed(work, repeat: int) -> tuple[float, object]:
    result = work()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from execsponsor.customers.models import Account
    from execsponsor.playbooks.engine import triggers_evaluate
    from execsponsor.playbooks.models import PlaybookRun, Task
    from execsponsor.program.models import Sponsorship

    today = timezone.localdate()
    if not Sponsorship.objects.exists():
        sys.exit("No sponsorships in this database: generate a demo first (esp demo --no-serve)")

    def evaluate(*, fresh: bool):
        def work():
            outcome = {}
            try:
                with transaction.atomic():
                    if fresh:
                        Task.objects.all().delete()
                        PlaybookRun.objects.all().delete()
                    outcome["evaluation"] = triggers_evaluate(today, by=system_user())
                    raise Rollback
            except Rollback:
                pass
            return outcome["evaluation"]

        return work

    steady_s, steady = timed(evaluate(fresh=False), args.repeat)
    first_s, first = timed(evaluate(fresh=True), args.repeat)

    def reference():
        with connection.cursor() as cursor:
            cursor.execute(REFERENCE_SQL[connection.vendor])
            return cursor.fetchall()

    ref_s, rows = timed(reference, args.repeat)

    print(f"database          {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"accounts          {Account.objects.count():,}; live sponsorships {Sponsorship.objects.live().count():,}")
    print(f"runs on record    {PlaybookRun.objects.count():,} with {Task.objects.count():,} tasks")
    print(f"steady            {steady_s * 1000:9.1f} ms  {steady.as_dict()}")
    print(f"first evaluation  {first_s * 1000:9.1f} ms  runs started {first.runs_started:,} {first.started}")
    print(f"reference SQL     {ref_s * 1000:9.1f} ms  ({len(rows):,} sponsorships, one GROUP BY query)")
    print(f"ratio steady/ref  {steady_s / ref_s:9.2f}×")
    print(f"ratio first/ref   {first_s / ref_s:9.2f}×")


if __name__ == "__main__":
    main()
