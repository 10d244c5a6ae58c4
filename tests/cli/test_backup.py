"""`esp backup FILE` / `esp restore FILE`: every table comes back as it was; a database with data is refused."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from execsponsor.customers.models import Account
from tests.exchange.importing_support import esp, import_salesforce_basics

pytestmark = pytest.mark.django_db(transaction=True)


def _every_table() -> dict[str, list[str]]:
    """Every row of every table, in a stable order."""
    snapshot = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 — names from the schema
            snapshot[table] = sorted(repr(row) for row in cursor.fetchall())
    return snapshot


def _round_trip(cast, tmp_path) -> None:
    import_salesforce_basics()
    before = _every_table()
    assert len(before["customers_account"]) > 20 and before["users_user"]
    backup = tmp_path / "esp.backup"

    made = esp("backup", backup)
    assert made.exit_code == 0, made.stderr
    Account.objects.create(name="Made after the backup")

    refused = esp("restore", backup)
    assert refused.exit_code == 2 and "already holds program data" in refused.stderr
    assert Account.objects.filter(name="Made after the backup").exists()

    forced = esp("restore", backup, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert _every_table() == before

    call_command("flush", interactive=False, verbosity=0)
    into_empty = esp("restore", backup)
    assert into_empty.exit_code == 0, into_empty.stderr
    assert _every_table() == before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's backup API")
def test_a_sqlite_backup_restores_every_table(cast, tmp_path):
    _round_trip(cast, tmp_path)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL=postgres://…")
def test_a_postgres_backup_restores_every_table(cast, tmp_path):
    _round_trip(cast, tmp_path)


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    stray = tmp_path / "notes.txt"
    stray.write_text("not a backup")

    outcome = esp("restore", stray)

    assert outcome.exit_code == 2 and "is not a" in outcome.stderr


@pytest.mark.skipif(connection.vendor != "sqlite", reason="checks the SQLite file's header")
def test_an_admin_downloads_a_backup_from_the_backup_page(cast):
    from tests.conftest import client_for

    client = client_for(cast.admin)
    assert b"Download a backup" in client.get("/backup/").content

    response = client.post("/backup/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="execsponsor-')
    assert b"".join(response.streaming_content).startswith(b"SQLite format 3\x00")
    for name in ("owner", "viewer", "ae"):
        assert client_for(cast.user(name)).post("/backup/").status_code == 403, name
