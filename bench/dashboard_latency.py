"""The program dashboard and the quarterly review PDF over HTTP, against the dashboard's figures computed by
raw SQL on the same database file.

    .venv/bin/python bench/dashboard_latency.py [--accounts 100000] [--requests 50] [--data /tmp]

Uses (or generates) the demo company in <data>/esp-search-<N>/ like bench/search_latency.py, serves it with
`esp serve` (gunicorn, 2 workers, no background worker), signs in as the program owner and times:

  dashboard    GET /program/dashboard/ — coverage, going cold (the cadence of every live sponsorship), open
               alerts, every executive's load, the stored impact headline and quarterly measures;
  reference    the same figures by hand-written SQL through sqlite3 on the same file: accounts and ARR, the
               accounts and ARR with a live sponsorship, days since the last engagement that counts per live
               sponsorship, open alerts with the ten most urgent, live sponsorships per executive;
  quarterly    GET /program/review/quarterly.pdf (gathering, templates and WeasyPrint), seconds.
Target (issue 11): the dashboard fast at 100,000 accounts, never waiting on a computation.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_latency import Browser, ensure_demo, percentile, start_server, stop_server  # noqa: E402

REFERENCE = (
    "SELECT count(*), sum(arr) FROM customers_account",
    """SELECT count(*), sum(arr) FROM customers_account WHERE id IN (SELECT account_id FROM program_sponsorship
       WHERE status IN ('approved', 'introduced', 'active', 'paused'))""",
    """SELECT s.id, CAST(julianday(date('now')) - julianday(date(MAX(e.occurred_at))) AS INTEGER)
       FROM program_sponsorship s LEFT JOIN engagements_engagement e ON e.sponsorship_id = s.id AND e.counts
       WHERE s.status IN ('approved', 'introduced', 'active') GROUP BY s.id""",
    "SELECT count(*) FROM signals_alert WHERE status != 'resolved'",
    """SELECT a.id, a.reason, acc.name FROM signals_alert a JOIN customers_account acc ON acc.id = a.account_id
       WHERE a.status != 'resolved' ORDER BY a.due_on, a.created_at DESC LIMIT 20""",
    """SELECT e.id, count(s.id) FROM users_executive e LEFT JOIN program_sponsorship s ON s.executive_id = e.id
       AND s.status IN ('approved', 'introduced', 'active', 'paused') WHERE e.is_active GROUP BY e.id""",
)


def reference_times(db_file: Path, requests: int) -> list[float]:
    db = sqlite3.connect(db_file)
    timings = []
    try:
        for _ in range(requests):
            started = time.perf_counter()
            for sql in REFERENCE:
                db.execute(sql).fetchall()
            timings.append((time.perf_counter() - started) * 1000)
    finally:
        db.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--pdfs", type=int, default=5)
    parser.add_argument("--data", type=Path, default=Path("/tmp"))
    args = parser.parse_args()

    data_dir = args.data / f"esp-search-{args.accounts}"
    ensure_demo(data_dir, args.accounts)
    db_file = data_dir / "execsponsor.sqlite3"
    owner = (
        sqlite3.connect(db_file)
        .execute("SELECT username FROM users_user WHERE role = 'program_owner' ORDER BY id LIMIT 1")
        .fetchone()[0]
    )
    server, base = start_server(data_dir)
    try:
        browser = Browser(base, owner)
        browser.time(["/program/dashboard/"] * 3)  # warm both workers
        ours, reference = [], []
        for _ in range(args.requests):  # interleaved, so load from elsewhere hits both alike
            elapsed, size = browser.time(["/program/dashboard/"])
            ours.extend(elapsed)
            reference.extend(reference_times(db_file, 1))
        pdf_times, pdf_size = browser.time(["/program/review/quarterly.pdf"] * args.pdfs)
    finally:
        stop_server(server)

    p95, ref_p95 = percentile(ours, 95), percentile(reference, 95)
    print(f"accounts          {args.accounts:,} ({db_file})")
    print(f"dashboard         median {statistics.median(ours):7.1f} ms  p95 {p95:7.1f} ms  ({size / 1024:.0f} KB)")
    print(f"reference SQL     median {statistics.median(reference):7.1f} ms  p95 {ref_p95:7.1f} ms")
    print(f"ratio (p95)       {p95 / ref_p95:7.2f}×")
    print(
        f"quarterly PDF     median {statistics.median(pdf_times) / 1000:7.2f} s  "
        f"max {max(pdf_times) / 1000:7.2f} s  ({pdf_size / 1024:.0f} KB, {args.pdfs} downloads)"
    )


if __name__ == "__main__":
    main()
