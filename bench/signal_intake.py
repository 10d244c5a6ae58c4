"""Signal intake: 100,000 mixed messages through `signals_ingest`, the path of `esp signals ingest` and the
upload page, against the standard library parsing the same files as the reference.

    ESP_DATA_DIR=/tmp/esp-100k PYTHONPATH=$PWD/src .venv/bin/python bench/signal_intake.py [--messages 100000]

Run it against an existing demo (its contacts are the addresses the messages name). Everything it writes is
rolled back at the end, so the demo is left as it was.

The mix, built from the test fixtures with each message's address and id replaced: 40% hard bounces (Postfix
RFC 3464 and qmail's non-standard text), 10% delayed (4.x.x) bounces, 20% ordinary out-of-office replies, 5%
"no longer with the company" replies, 25% enrichment job-change rows (CSV); 90% name a demo contact, 10%
nobody we know. Files of --batch messages each, as an operations team would upload them.

  ExecSponsor  signals_ingest per file: parse, classify (DSN Status, flufl.bounce, auto-reply wording),
               match contacts, record signals, review each touched contact for departure, raise alerts.
  reference    the standard library alone reading the same files: mailbox + email.message_from_bytes and
               the Status/Final-Recipient fields of each delivery report; csv.DictReader for the feed.
  latency      ingest-to-alert: one "left the company" reply ingested alone, until its alert exists
               (median and p95 of 30).
"""

from __future__ import annotations

import argparse
import csv
import email
import email.policy
import io
import mailbox
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "execsponsor.settings")
MAIL = ROOT / "tests" / "fixtures" / "mail"

# fixture file, the address it is about, its message id, share of the mix
TEMPLATES = (
    ("postfix-user-unknown.eml", "tomas.lindqvist@fjordbank.example",
     "20261116130311.7F3E21C0B9@relay.northwind-soft.example", 0.30),
    ("qmail-bounce.eml", "henrik.dahl@nordkyst-shipping.example",
     "20261121073012.4411.qmail@mail.northwind-soft.example", 0.10),
    ("postfix-delayed.eml", None, "20261117084000.C0FFEE1234@relay.northwind-soft.example", 0.10),
    ("ooo-en.eml", "grace.whitfield@harbourline.example", "ooo-7781@harbourline.example", 0.20),
    ("left-en.eml", "michael.osei@harbourline.example", "left-4410@harbourline.example", 0.05),
)  # fmt: skip
ENRICHMENT_SHARE = 0.25


class Rollback(Exception):
    pass


def delayed_address() -> str:
    text = (MAIL / "postfix-delayed.eml").read_text()
    for line in text.splitlines():
        if line.startswith("Final-Recipient:"):
            return line.split(";", 1)[1].strip()
    raise SystemExit("postfix-delayed.eml has no Final-Recipient")


def build_files(emails: list[str], total: int, batch: int, seed: int = 5) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    templates = []
    for name, address, message_id, share in TEMPLATES:
        templates.append(((MAIL / name).read_text(), address or delayed_address(), message_id, share))
    weights = [t[3] for t in templates] + [ENRICHMENT_SHARE]
    files: list[tuple[str, bytes]] = []
    mails: list[str] = []
    rows: list[list[str]] = []

    def flush(final: bool = False) -> None:
        nonlocal mails, rows
        if mails and (len(mails) >= batch * 0.75 or final):
            body = "".join(f"From MAILER-DAEMON Mon Nov 23 10:00:00 2026\n{m}\n" for m in mails)
            files.append((f"bounces-{len(files):03}.mbox", body.encode()))
            mails = []
        if rows and (len(rows) >= batch * 0.25 or final):
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(["email", "full_name", "title", "company", "company_domain", "changed_at"])
            writer.writerows(rows)
            files.append((f"job-changes-{len(files):03}.csv", out.getvalue().encode()))
            rows = []

    for n in range(total):
        known = rng.random() < 0.9
        address = rng.choice(emails) if known else f"nobody{n}@unknown-{n % 97}.example"
        pick = rng.choices(range(len(weights)), weights=weights)[0]
        if pick == len(templates):
            rows.append(
                [address, "Someone", "VP Operations", f"Elsewhere {n % 50} Ltd", f"else{n % 50}.example", "2026-11-20"]
            )
        else:
            text, template_address, message_id, _ = templates[pick]
            mails.append(text.replace(template_address, address).replace(message_id, f"bench-{n}@bench.example"))
        if len(mails) + len(rows) >= batch:
            flush()
    flush(final=True)
    return files


def reference_parse(files: list[tuple[str, bytes]]) -> int:
    """The standard library alone: every message parsed, every delivery report's fields read."""
    seen = 0
    with tempfile.TemporaryDirectory() as folder:
        for name, raw in files:
            if name.endswith(".csv"):
                seen += sum(1 for _ in csv.DictReader(io.StringIO(raw.decode())))
                continue
            path = Path(folder) / name
            path.write_bytes(raw)
            box = mailbox.mbox(
                str(path), factory=lambda f: email.message_from_binary_file(f, policy=email.policy.default)
            )
            for message in box:
                seen += 1
                for part in message.walk():
                    if part.get_content_type() == "message/delivery-status":
                        for block in part.get_payload():
                            block.get("Status"), block.get("Final-Recipient")
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=5_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction

    from execsponsor.customers.models import Contact
    from execsponsor.signals.models import Alert, Signal
    from execsponsor.signals.services import signals_ingest
    from execsponsor.users.models import Role, User

    owner = User.objects.filter(role=Role.PROGRAM_OWNER, is_active=True).first()
    if owner is None:
        sys.exit("No program owner in this database: generate a demo first (esp demo --no-serve)")
    emails = list(Contact.objects.exclude(email="").filter(status="active").values_list("email", flat=True)[:200_000])
    files = build_files(emails, args.messages, args.batch)
    size = sum(len(raw) for _, raw in files)

    start = time.perf_counter()
    parsed = reference_parse(files)
    reference_s = time.perf_counter() - start

    results = {}
    try:
        with transaction.atomic():
            alerts_before, signals_before = Alert.objects.count(), Signal.objects.count()
            start = time.perf_counter()
            items = 0
            for name, raw in files:
                report = signals_ingest(by=owner, name=name, raw=raw)
                items += report.messages
            results["ours_s"] = time.perf_counter() - start
            results["items"] = items
            results["signals"] = Signal.objects.count() - signals_before
            results["alerts"] = Alert.objects.count() - alerts_before

            # Ingest-to-alert latency: one reply that says the person has left, alone.
            template = (MAIL / "left-en.eml").read_text()
            latencies = []
            fresh = list(
                Contact.objects.filter(status="active")
                .exclude(email="")
                .exclude(email__in=emails[:0])
                .order_by("?")
                .values_list("pk", "email")[:400]
            )
            for pk, address in fresh[:30]:
                raw = template.replace("michael.osei@harbourline.example", address).replace(
                    "left-4410@harbourline.example", f"latency-{pk}@bench.example"
                )
                start = time.perf_counter()
                signals_ingest(by=owner, name="reply.eml", raw=raw.encode())
                found = Alert.objects.filter(contact_id=pk).exists()
                latencies.append((time.perf_counter() - start, found))
            results["latency"] = latencies
            raise Rollback
    except Rollback:
        pass

    rate = results["items"] / results["ours_s"]
    reference_rate = parsed / reference_s
    times = sorted(t for t, _ in results["latency"])
    raised = sum(found for _, found in results["latency"])
    print(f"database          {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"input             {results['items']:,} messages and rows in {len(files)} files, {size / 1e6:.0f} MB")
    print(f"recorded          {results['signals']:,} signals, {results['alerts']:,} alerts (rolled back)")
    print(f"ExecSponsor       {results['ours_s']:8.1f} s   {rate:8.0f} messages/s  (signals_ingest per file)")
    print(f"reference         {reference_s:8.1f} s   {reference_rate:8.0f} messages/s  (stdlib parse only)")
    print(f"ratio             {results['ours_s'] / reference_s:8.2f}×")
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"ingest-to-alert   median {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
        f" ({raised} of {len(times)} raised an alert at once)"
    )


if __name__ == "__main__":
    main()
