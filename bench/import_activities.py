"""Import a Salesforce Event export of 1,000,000 activities into SQLite and PostgreSQL, against the raw reference.

    .venv/bin/python bench/import_activities.py [--rows 1000000] [--accounts 20000] [--contacts 100000]
                                                [--databases sqlite,postgres]

It writes bench/out/Event-<rows>.csv (deterministic, seed 7) over <accounts> accounts and <contacts> contacts,
then, for each database in a fresh child process and a fresh database (SQLite file in bench/out/, PostgreSQL
database esp_bench_import on 127.0.0.1:5432 as user postgres, created and dropped here):

  1. loads the accounts, contacts and 50 owners (not timed),
  2. times ExecSponsor's import engine end to end from the file — run_import(), the function `esp import
     salesforce activities FILE` calls — which writes engagements plus their contact and owner links,
  3. times the raw reference on the same file, in the same database, two ways:
     "same tables": csv.reader + the same datetime parsing and id lookups, then sqlite3 executemany in one
     transaction (SQLite) or COPY (PostgreSQL) into the real engagement and link tables (same indexes and
     foreign keys — what the engine must write);
     "bare table": the same rows into one table with a single unique index.
     The insert alone (rows already parsed) is timed too.

Prints rows/s for both and the ratio (target: ExecSponsor within 3× of the raw reference).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
SRC = HERE.parent / "src"
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = "esp_bench_import"
OWNERS = 50
SUBJECTS = ("QBR", "Executive sync", "Roadmap review", "Dinner", "Renewal call", "Security review", "Intro")
TYPES = ("Meeting", "Call", "", "Meeting", "Email")


def account_id(n: int) -> str:
    return f"001B{n:014d}"


def contact_id(n: int) -> str:
    return f"003B{n:014d}"


def owner_id(n: int) -> str:
    return f"005B{n:014d}"


def generate(path: Path, *, rows: int, accounts: int, contacts: int) -> None:
    """Deterministic Event.csv: every contact belongs to account (contact % accounts)."""
    if path.exists():
        return
    rng = random.Random(7)
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(
            [
                "Id",
                "WhoId",
                "WhatId",
                "AccountId",
                "Subject",
                "StartDateTime",
                "EndDateTime",
                "Type",
                "Description",
                "OwnerId",
            ]
        )
        for n in range(rows):
            contact = rng.randrange(contacts)
            account = account_id(contact % accounts)
            begins = start + dt.timedelta(minutes=30 * rng.randrange(35_000))
            ends = begins + dt.timedelta(minutes=30 * rng.randrange(1, 5))
            description = "Agreed next steps, see notes." if n % 10 == 0 else ""
            writer.writerow(
                [
                    f"00UB{n:014d}",
                    contact_id(contact),
                    account,
                    account,
                    rng.choice(SUBJECTS),
                    begins.strftime("%Y-%m-%dT%H:%M:%S.000+0000"),
                    ends.strftime("%Y-%m-%dT%H:%M:%S.000+0000"),
                    rng.choice(TYPES),
                    description,
                    owner_id(rng.randrange(OWNERS)),
                ]
            )
    tmp.rename(path)


def load_people_and_accounts(*, accounts: int, contacts: int) -> None:
    from execsponsor.customers.models import Account, Contact
    from execsponsor.users.models import Role, User

    User.objects.bulk_create(
        User(
            username=f"owner{n}",
            email=f"owner{n}@ourco.example",
            first_name="Owner",
            last_name=str(n),
            role=Role.ACCOUNT_EXECUTIVE,
            source="salesforce",
            external_id=owner_id(n),
            password="!",
        )
        for n in range(OWNERS)
    )
    Account.objects.bulk_create(
        (Account(name=f"Account {n}", source="salesforce", external_id=account_id(n)) for n in range(accounts)),
        batch_size=5000,
    )
    ids = dict(Account.objects.values_list("external_id", "id"))
    Contact.objects.bulk_create(
        (
            Contact(
                account_id=ids[account_id(n % accounts)],
                last_name=f"Contact {n}",
                source="salesforce",
                external_id=contact_id(n),
            )
            for n in range(contacts)
        ),
        batch_size=5000,
    )


def parsed_rows(path: Path):
    """What the bare-table reference inserts: the same cells with datetimes parsed, as the engine does."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        next(reader)
        fromiso = dt.datetime.fromisoformat
        for r in reader:
            yield (r[0], r[3], r[1], r[4], fromiso(r[5]), fromiso(r[6]), r[7], r[8], r[9])


BARE_COLUMNS = "external_id, account, contact, subject, occurred_at, ends_at, kind, notes, owner"
ENGAGEMENT_COLUMNS = (
    "id, account_id, source, external_id, kind, subject, occurred_at, ends_at, owner_id, topics, outcome, notes, "
    "two_way, discussed_strategy, learned_something_new, next_step_agreed, new_scope_raised, counts, created_at, "
    "updated_at"
)
KINDS = {"Meeting": "meeting", "Call": "call", "Email": "email", "": "meeting"}


def same_table_rows(path: Path, maps: dict, *, first_id: int, as_text: bool):
    """The reference's rows for the real tables: the same parsing and id lookups, nothing else."""
    accounts, contacts, owners = maps["accounts"], maps["contacts"], maps["owners"]
    now = dt.datetime.now(dt.UTC)
    stamp = now.replace(tzinfo=None).isoformat(sep=" ") if as_text else now
    engagements, contact_links, owner_links = [], [], []
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        next(reader)
        fromiso = dt.datetime.fromisoformat
        for n, r in enumerate(reader, start=first_id):
            begins, ends = fromiso(r[5]), fromiso(r[6])
            if as_text:
                begins = begins.replace(tzinfo=None).isoformat(sep=" ")
                ends = ends.replace(tzinfo=None).isoformat(sep=" ")
            owner = owners.get(r[9])
            engagements.append(
                (
                    n,
                    accounts[r[3]],
                    "salesforce",
                    r[0],
                    KINDS.get(r[7], "meeting"),
                    r[4],
                    begins,
                    ends,
                    owner,
                    "[]",
                    "",
                    r[8],
                    True,
                    False,
                    False,
                    False,
                    False,
                    False,
                    stamp,
                    stamp,
                )
            )
            contact_links.append((n, contacts[r[1]]))
            owner_links.append((n, owner))
    return engagements, contact_links, owner_links


def id_maps() -> dict:
    from execsponsor.customers.models import Account, Contact
    from execsponsor.users.models import User

    return {
        "accounts": dict(Account.objects.values_list("external_id", "id")),
        "contacts": dict(Contact.objects.values_list("external_id", "id")),
        "owners": dict(User.objects.exclude(external_id="").values_list("external_id", "id")),
    }


def raw_sqlite(path: Path, db_file: Path, maps: dict) -> dict:
    import sqlite3

    connection = sqlite3.connect(db_file, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA cache_size=-65536")
    for table in ("engagements_engagementcontact", "engagements_engagementattendee", "engagements_engagement"):
        connection.execute(f"DELETE FROM {table}")  # noqa: S608
    figures = {}
    started = time.perf_counter()
    engagements, contact_links, owner_links = same_table_rows(path, maps, first_id=1, as_text=True)
    parsed = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany(
        f"INSERT INTO engagements_engagement ({ENGAGEMENT_COLUMNS}) VALUES ({', '.join('?' * 20)})", engagements
    )
    connection.executemany(
        "INSERT INTO engagements_engagementcontact (engagement_id, contact_id) VALUES (?, ?)", contact_links
    )
    connection.executemany(
        "INSERT INTO engagements_engagementattendee (engagement_id, user_id) VALUES (?, ?)", owner_links
    )
    connection.execute("COMMIT")
    done = time.perf_counter()
    figures["same"], figures["same_insert"] = done - started, done - parsed
    started = time.perf_counter()
    rows = list(parsed_rows(path))
    rows = [
        (*r[:4], r[4].replace(tzinfo=None).isoformat(sep=" "), r[5].replace(tzinfo=None).isoformat(sep=" "), *r[6:])
        for r in rows
    ]
    parsed = time.perf_counter()
    connection.execute(
        "CREATE TABLE raw_event (id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, account TEXT, contact TEXT, "
        "subject TEXT, occurred_at TEXT, ends_at TEXT, kind TEXT, notes TEXT, owner TEXT)"
    )
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany(f"INSERT INTO raw_event ({BARE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)", rows)
    connection.execute("COMMIT")
    done = time.perf_counter()
    figures["bare"], figures["bare_insert"] = done - started, done - parsed
    connection.close()
    return figures


def _copy(connection, table: str, columns: str, rows) -> None:
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def raw_postgres(path: Path, url: str, maps: dict) -> dict:
    import psycopg

    figures = {}
    with psycopg.connect(url) as connection:
        connection.execute(
            "TRUNCATE engagements_engagementcontact, engagements_engagementattendee, engagements_engagement CASCADE"
        )
        connection.commit()
        started = time.perf_counter()
        first_id = connection.execute("SELECT nextval(pg_get_serial_sequence('engagements_engagement', 'id'))")
        engagements, contact_links, owner_links = same_table_rows(
            path, maps, first_id=first_id.fetchone()[0], as_text=False
        )
        parsed = time.perf_counter()
        _copy(connection, "engagements_engagement", ENGAGEMENT_COLUMNS, engagements)
        _copy(connection, "engagements_engagementcontact", "engagement_id, contact_id", contact_links)
        _copy(connection, "engagements_engagementattendee", "engagement_id, user_id", owner_links)
        connection.commit()
        done = time.perf_counter()
        figures["same"], figures["same_insert"] = done - started, done - parsed
        started = time.perf_counter()
        rows = list(parsed_rows(path))
        parsed = time.perf_counter()
        connection.execute(
            "CREATE TABLE raw_event (id BIGSERIAL PRIMARY KEY, external_id TEXT UNIQUE, account TEXT, contact TEXT, "
            "subject TEXT, occurred_at TIMESTAMPTZ, ends_at TIMESTAMPTZ, kind TEXT, notes TEXT, owner TEXT)"
        )
        _copy(connection, "raw_event", BARE_COLUMNS, rows)
        connection.commit()
        done = time.perf_counter()
        figures["bare"], figures["bare_insert"] = done - started, done - parsed
    return figures


def child(database: str, path: Path, rows: int, accounts: int, contacts: int) -> None:
    """Runs in a fresh process with DATABASE_URL / ESP_DATA_DIR set by the parent."""
    sys.path.insert(0, str(SRC))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "execsponsor.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    load_people_and_accounts(accounts=accounts, contacts=contacts)
    from execsponsor.exchange.importing.engine import run_import
    from execsponsor.users.services import system_user

    by = system_user()
    started = time.perf_counter()
    with path.open("rb") as stream:
        report = run_import(stream=stream, source="salesforce", kind="activities", by=by)
    esp_seconds = time.perf_counter() - started
    assert report.written and report.created == rows, report.as_dict()["errors"][:3]
    maps = id_maps()
    connection.close()
    if database == "sqlite":
        figures = raw_sqlite(path, Path(connection.settings_dict["NAME"]), maps)
    else:
        figures = raw_postgres(path, os.environ["DATABASE_URL"], maps)
    print(json.dumps({"esp": esp_seconds, **figures}))


def run_child(database: str, args, path: Path) -> dict | None:
    (OUT / f"data-{database}").mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, ESP_DATA_DIR=str(OUT / f"data-{database}"), DEBUG="false")
    env.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    if database == "sqlite":
        for name in ("execsponsor.sqlite3", "execsponsor.sqlite3-wal", "execsponsor.sqlite3-shm"):
            (OUT / "data-sqlite" / name).unlink(missing_ok=True)
        env.pop("DATABASE_URL", None)
    else:
        if not _postgres_reset():
            print("PostgreSQL on 127.0.0.1:5432 did not answer; skipped.")
            return None
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}"
    command = [
        sys.executable,
        __file__,
        "--child",
        database,
        "--rows",
        str(args.rows),
        "--accounts",
        str(args.accounts),
        "--contacts",
        str(args.contacts),
    ]
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    finally:
        if database == "postgres":
            _postgres_drop()
    if result.returncode != 0:
        print(result.stdout, result.stderr)
        return None
    return json.loads(result.stdout.strip().splitlines()[-1])


def _postgres_reset() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            connection.execute(f"CREATE DATABASE {PG_DATABASE}")
        return True
    except Exception:  # noqa: BLE001 — any failure means "no Postgres here"
        return False


def _postgres_drop() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--child", choices=["sqlite", "postgres"])
    args, _unknown = parser.parse_known_args()
    path = OUT / f"Event-{args.rows}-{args.accounts}-{args.contacts}.csv"
    if args.child:
        child(args.child, path, args.rows, args.accounts, args.contacts)
        return 0
    started = time.perf_counter()
    generate(path, rows=args.rows, accounts=args.accounts, contacts=args.contacts)
    print(
        f"{path.name}: {args.rows:,} events over {args.accounts:,} accounts, {args.contacts:,} contacts "
        f"({path.stat().st_size / 1e6:.0f} MB, ready in {time.perf_counter() - started:.1f} s)"
    )
    print("rows/s; ratio = reference rows/s ÷ ExecSponsor rows/s (target ≤ 3). 'same tables' = hand-written")
    print("inserts of the same parsed rows into the real engagement + link tables (same indexes, foreign keys);")
    print("'bare table' = one table with one unique index. Parse = csv.reader + datetime parsing (+ id lookups).")
    for database in args.databases.split(","):
        figures = run_child(database, args, path)
        if figures is None:
            continue
        rate = {key: args.rows / seconds for key, seconds in figures.items()}
        print(f"\n{database}: ExecSponsor {rate['esp']:,.0f} rows/s ({figures['esp']:.1f} s)")
        for label, key in (("same tables", "same"), ("bare table", "bare")):
            print(
                f"  raw {label:11}: parse+insert {rate[key]:>9,.0f} rows/s  ratio {rate[key] / rate['esp']:.2f}x"
                f"   | insert only {rate[key + '_insert']:>9,.0f} rows/s"
                f"  ratio {rate[key + '_insert'] / rate['esp']:.2f}x"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
