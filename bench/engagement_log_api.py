"""Time to log an engagement through the API: POST /api/v1/engagements, p50 and p95.

    ESP_DATA_DIR=/tmp/esp-cadence PYTHONPATH=$PWD/src .venv/bin/python bench/engagement_log_api.py [--requests 200]

Run it against a scratch demo (it WRITES engagements and tasks into it). Each request is what a sponsor's
script sends: a meeting on one of their accounts with two contacts, our sponsor, the rubric and one
commitment (which becomes a task), authenticated with an API token, through Django's full request stack
(middleware, ninja parsing, the service's permission checks and one transaction, the response schema).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
sys.path.insert(0, str(SRC))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "execsponsor.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    import django

    django.setup()
    from django.test import Client

    from execsponsor.program.models import Sponsorship, SponsorshipStatus
    from execsponsor.users.models import ApiToken

    sponsorship = (
        Sponsorship.objects.filter(status=SponsorshipStatus.ACTIVE, account__contacts__isnull=False)
        .select_related("account", "executive__user")
        .first()
    )
    if sponsorship is None:
        sys.exit("No active sponsorship with contacts: generate a demo first (esp demo --no-serve)")
    sponsor = sponsorship.executive.user
    contacts = list(sponsorship.account.contacts.values_list("pk", flat=True)[:2])
    _, raw = ApiToken.issue(user=sponsor, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = {
        "account_id": sponsorship.account_id,
        "kind": "meeting",
        "occurred_at": "2026-11-20T15:00:00+00:00",
        "contact_ids": contacts,
        "discussed_strategy": True,
        "next_step_agreed": True,
        "outcome": "Agreed a pilot",
        "commitments": [{"description": "Send the pilot plan", "owner_id": sponsor.pk, "due_on": "2026-11-27"}],
    }
    payload = json.dumps(body)
    times = []
    for n in range(args.requests + 5):
        start = time.perf_counter()
        response = client.post("/api/v1/engagements", payload, content_type="application/json")
        elapsed = time.perf_counter() - start
        if response.status_code != 201:
            sys.exit(f"request {n}: {response.status_code} {response.content[:300]!r}")
        if n >= 5:  # the first few warm caches and compile queries
            times.append(elapsed)
    times.sort()
    p95 = times[max(int(len(times) * 0.95) - 1, 0)]
    print(f"account           {sponsorship.account.name} (sponsor {sponsor.username})")
    print(f"requests          {len(times)}")
    print(f"p50               {statistics.median(times) * 1000:7.1f} ms")
    print(f"p95               {p95 * 1000:7.1f} ms")
    print(f"max               {times[-1] * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
