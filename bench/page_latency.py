"""Latency of the accounts list (filtered, sorted, paginated) and the account detail page at 100,000 accounts.

    .venv/bin/python bench/page_latency.py [--accounts 100000] [--requests 200]

Generates the demo company once into bench/out/pages-<N>/ (reused when present), then times requests through
Django's full stack in-process (middleware, sessions, visibility, templates) as a signed-in program owner and
as an account executive. The reference is the list page's own SQL run raw through the same connection.
Target: p95 under 150 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))
    return ordered[index]


def ensure_demo(data_dir: Path, accounts: int) -> None:
    marker = data_dir / f".demo-{accounts}"
    if marker.exists():
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "ESP_DATA_DIR": str(data_dir), "SECRET_KEY": "bench-only-secret-key-" + "x" * 40}
    started = time.perf_counter()
    subprocess.check_call([str(ROOT / ".venv/bin/esp"), "demo", "--accounts", str(accounts), "--no-serve"], env=env)
    print(f"demo company with {accounts} accounts generated in {time.perf_counter() - started:.0f} s", flush=True)
    marker.touch()


def time_requests(client, urls: list[str]) -> list[float]:
    timings = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return timings


def report(label: str, timings: list[float], reference: list[float] | None = None) -> None:
    line = f"{label:<55} median {statistics.median(timings):7.1f} ms   p95 {percentile(timings, 95):7.1f} ms"
    if reference:
        ratio = percentile(timings, 95) / max(percentile(reference, 95), 1e-6)
        line += f"   (raw SQL p95 {percentile(reference, 95):6.1f} ms, ratio {ratio:5.1f}x)"
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    data_dir = HERE / "out" / f"pages-{args.accounts}"
    ensure_demo(data_dir, args.accounts)
    os.environ["ESP_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ["DJANGO_SETTINGS_MODULE"] = "execsponsor.settings"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from execsponsor.customers.models import Account
    from execsponsor.users.models import Role, User

    owner = User.objects.filter(role=Role.PROGRAM_OWNER).first()
    ae = User.objects.filter(role=Role.ACCOUNT_EXECUTIVE, owned_accounts__isnull=False).distinct().first()
    ids = list(Account.objects.order_by("?").values_list("id", flat=True)[: args.requests])
    total = Account.objects.count()
    print(f"{total} accounts; {args.requests} requests per case", flush=True)

    owner_client = Client()
    owner_client.force_login(owner)
    ae_client = Client()
    ae_client.force_login(ae)

    segments = ["enterprise", "mid_market", "smb"]
    sorts = ["name", "-arr", "health", "-renewal"]
    list_urls = [
        f"/accounts/?segment={segments[i % 3]}&sort={sorts[i % 4]}&page={1 + i % 20}" for i in range(args.requests)
    ]
    search_urls = [f"/accounts/?q={chr(65 + i % 26)}&sort=-arr&page=2" for i in range(args.requests)]
    health_urls = [
        f"/accounts/?health={['red', 'yellow', 'green'][i % 3]}&program=no&sort={sorts[(i + 1) % 4]}&page={1 + i % 5}"
        for i in range(args.requests)
    ]
    time_requests(owner_client, list_urls[:10])  # warm caches

    raw = []
    for i in range(args.requests):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, name, segment, industry, arr, health_score, renewal_date FROM customers_account"
                " WHERE segment = %s ORDER BY name LIMIT 50 OFFSET %s",
                [segments[i % 3], 50 * (i % 20)],
            )
            cursor.fetchall()
        raw.append((time.perf_counter() - started) * 1000)

    report("accounts list, owner (segment filter, sort, page)", time_requests(owner_client, list_urls), raw)
    report("accounts list, owner (search, sort by ARR, page 2)", time_requests(owner_client, search_urls))
    report("accounts list, owner (health band, not in program, sort)", time_requests(owner_client, health_urls))
    report("accounts list, account executive (own accounts)", time_requests(ae_client, list_urls[:50]))
    report("account detail, owner", time_requests(owner_client, [f"/accounts/{pk}/" for pk in ids]))


if __name__ == "__main__":
    main()
