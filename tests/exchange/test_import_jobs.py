"""The import page's jobs: uploads kept as files (never in the database) with a size limit and a retention
period; progress while a job runs; a commit that stops midway is resumable; reports say what was written."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from execsponsor.customers.models import Account
from execsponsor.exchange.importing import engine, services
from execsponsor.exchange.models import ImportBatch
from tests.conftest import client_for
from tests.exchange.importing_support import esp_import, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "imports"


def _upload(client, content: bytes, name: str = "Account.csv"):
    data = {"source": "salesforce", "kind": "accounts", "file": SimpleUploadedFile(name, content)}
    return client.post("/accounts/import/", data)


def _stored(batch: ImportBatch) -> Path:
    return Path(settings.IMPORT_UPLOAD_DIR) / batch.upload_path


def _accounts(rows: int) -> bytes:
    return ("Id,Name\n" + "".join(f"001J{n:06d},Account {n}\n" for n in range(rows))).encode()


def test_an_upload_is_a_file_under_the_data_dir_until_it_is_committed(cast):
    client = client_for(cast.owner)
    _upload(client, b"Id,Name\n001A,Acme\n")
    batch = ImportBatch.objects.get()
    stored = _stored(batch)
    assert batch.status == "previewed" and batch.upload_path
    assert stored.read_bytes() == b"Id,Name\n001A,Acme\n"
    assert not any(f.name == "content" for f in ImportBatch._meta.get_fields())

    client.post(f"/accounts/import/{batch.pk}/commit/", {"action": "commit"})

    batch.refresh_from_db()
    assert batch.status == "committed" and batch.upload_path == "" and not stored.exists()


def test_discard_deletes_the_file(cast):
    client = client_for(cast.owner)
    _upload(client, b"Id,Name\n001A,Acme\n")
    batch = ImportBatch.objects.get()
    stored = _stored(batch)

    client.post(f"/accounts/import/{batch.pk}/commit/", {"action": "discard"})

    assert not stored.exists()


def test_a_file_that_cannot_be_read_fails_and_is_deleted(cast):
    _upload(client_for(cast.owner), b"Id,AccountName\n001A,Acme\n")

    batch = ImportBatch.objects.get()
    assert batch.status == "failed" and batch.upload_path == ""
    assert list(Path(settings.IMPORT_UPLOAD_DIR).iterdir()) == []


def test_a_file_over_the_size_limit_is_refused_with_a_message(cast, settings):
    settings.IMPORT_UPLOAD_MAX_BYTES = 1000

    response = _upload(client_for(cast.owner), _accounts(100))

    assert response.status_code == 422
    assert b"the import page takes files up to" in response.content
    assert not ImportBatch.objects.exists()
    assert list(Path(settings.IMPORT_UPLOAD_DIR).glob("*.csv")) == []


def test_uploads_older_than_the_retention_period_are_deleted(cast, settings):
    settings.IMPORT_UPLOAD_RETENTION_HOURS = 24
    client = client_for(cast.owner)
    _upload(client, b"Id,Name\n001A,Acme\n")
    _upload(client, b"Id,Name\n001B,Beta\n")
    old, recent = ImportBatch.objects.order_by("pk")
    ImportBatch.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(hours=25))
    stray = Path(settings.IMPORT_UPLOAD_DIR) / "left-by-a-crash.csv"
    stray.write_bytes(b"x")
    two_days_ago = time.time() - 48 * 3600
    os.utime(stray, (two_days_ago, two_days_ago))

    assert services.import_uploads_expire() == 2

    old.refresh_from_db()
    assert old.status == "discarded" and _stored(recent).exists()
    assert not stray.exists() and old.upload_path == ""


def test_a_running_job_shows_progress_that_htmx_polls_until_it_is_done(cast):
    client = client_for(cast.owner)
    batch = ImportBatch.objects.create(
        source="salesforce",
        kind="accounts",
        file_name="Account.csv",
        status="previewing",
        rows_done=250,
        rows_total=1000,
    )

    page = client.get(f"/accounts/import/{batch.pk}/")
    poll = client.get(f"/accounts/import/{batch.pk}/progress/", HTTP_HX_REQUEST="true")

    assert b'hx-trigger="every 1s"' in page.content and b'value="25"' in page.content
    assert poll.status_code == 200 and b"line 250 of 1000" in poll.content
    ImportBatch.objects.filter(pk=batch.pk).update(status="previewed")
    done = client.get(f"/accounts/import/{batch.pk}/progress/", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def _stop_inserts_at(external_id: str) -> None:
    """A database that fails midway (as a full disk would), at one row of the second batch."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TRIGGER stop_import BEFORE INSERT ON {Account._meta.db_table} "
            f"WHEN NEW.external_id = '{external_id}' BEGIN SELECT RAISE(ABORT, 'disk I/O error (test)'); END"
        )


def _let_inserts_through() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER stop_import")


@pytest.fixture
def one_batch_per_transaction(monkeypatch):
    """Each staged batch (2,000 rows) commits on its own, whatever the machine's speed."""
    monkeypatch.setattr(engine, "TRANSACTION_SECONDS", 0)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the midway failure is a SQLite trigger")
def test_a_commit_that_stops_midway_keeps_its_batches_and_resumes(cast, one_batch_per_transaction):
    client = client_for(cast.owner)
    _upload(client, _accounts(12_000))
    batch = ImportBatch.objects.get()
    _stop_inserts_at("001J007000")

    client.post(f"/accounts/import/{batch.pk}/commit/", {"action": "commit"})

    batch.refresh_from_db()
    assert (batch.status, batch.resumable) == ("failed", True)
    # The batches before the failing one (rows 6,001-8,000) are written: the import never holds one long
    # transaction.
    assert Account.objects.filter(source="salesforce").count() == 6_000
    assert _stored(batch).exists()
    assert b"Commit the rest" in client.get(f"/accounts/import/{batch.pk}/").content

    _let_inserts_through()
    client.post(f"/accounts/import/{batch.pk}/commit/", {"action": "commit"})

    batch.refresh_from_db()
    assert batch.status == "committed" and Account.objects.filter(source="salesforce").count() == 12_000
    assert (batch.report["created"], batch.report["unchanged"]) == (12_000, 0)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the midway failure is a SQLite trigger")
def test_the_cli_says_how_to_finish_an_import_that_stopped_midway(tmp_path, one_batch_per_transaction):
    path = write_csv(tmp_path, "Account.csv", _accounts(12_000).decode())
    _stop_inserts_at("001J007000")

    stopped = esp_import("salesforce", "accounts", path)

    assert stopped.exit_code == 2 and "run the same command again" in stopped.report["errors"][0]["message"]
    assert ImportBatch.objects.get().status == "failed" and Account.objects.count() == 6_000
    _let_inserts_through()
    again = esp_import("salesforce", "accounts", path)
    assert (again.exit_code, again.report["created"], again.report["unchanged"]) == (0, 6_000, 6_000)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the midway failure is a SQLite trigger")
def test_batches_written_within_one_transactions_time_are_undone_together(tmp_path, monkeypatch):
    # A transaction takes staged batches until TRANSACTION_SECONDS have passed; with a long enough budget the
    # whole file is one transaction, so a failure in its fourth batch leaves nothing written.
    monkeypatch.setattr(engine, "TRANSACTION_SECONDS", 3600)
    path = write_csv(tmp_path, "Account.csv", _accounts(12_000).decode())
    _stop_inserts_at("001J007000")

    stopped = esp_import("salesforce", "accounts", path)

    assert stopped.exit_code == 2 and Account.objects.count() == 0


def test_a_refused_atomic_import_reports_what_it_would_have_created_apart_from_created(tmp_path):
    path = write_csv(tmp_path, "Account.csv", "Id,Name,NumberOfEmployees\n001A,Acme,10\n001B,Beta,lots\n001C,Gamma,3\n")

    outcome = esp_import("salesforce", "accounts", path)

    report = outcome.report
    assert (report["written"], report["created"], report["updated"]) == (False, 0, 0)
    assert (report["would_create"], report["would_update"], report["skipped"]) == (2, 0, 1)


def test_a_file_level_error_has_the_same_keys_as_a_row_level_report(tmp_path):
    rows = esp_import("salesforce", "accounts", write_csv(tmp_path, "a.csv", "Id,Name\n001A,Acme\n"), "--dry-run")
    file_error = esp_import("salesforce", "accounts", write_csv(tmp_path, "b.csv", "Id,AccountName\n001A,Acme\n"))

    assert file_error.exit_code == 2
    assert set(file_error.report) == set(rows.report)
    assert file_error.report["written"] is False and file_error.report["errors"][0]["message"]


def test_a_commit_whose_worker_died_is_failed_and_resumable_after_a_silent_half_hour(cast):
    client = client_for(cast.owner)
    _upload(client, b"Id,Name\n001A,Acme\n")
    batch = ImportBatch.objects.get()
    stale = timezone.now() - dt.timedelta(minutes=31)
    ImportBatch.objects.filter(pk=batch.pk).update(status="committing", updated_at=stale)
    running = ImportBatch.objects.create(source="salesforce", kind="accounts", file_name="B.csv", status="previewing")

    services.import_uploads_expire()

    batch.refresh_from_db()
    running.refresh_from_db()
    assert (batch.status, batch.resumable) == ("failed", True) and _stored(batch).exists()
    assert running.status == "previewing"
    client.post(f"/accounts/import/{batch.pk}/commit/", {"action": "commit"})
    assert Account.objects.filter(source="salesforce", external_id="001A").exists()


def test_a_preview_queued_before_the_move_to_exchange_still_runs(cast):
    """Huey names a task by its module: a job queued as execsponsor.customers.tasks.… before an upgrade must run."""
    from huey.contrib.djhuey import HUEY

    _upload(client_for(cast.owner), b"Id,Name\n001A,Acme\n")
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(status="queued", report={})
    old = HUEY._registry.string_to_task("execsponsor.customers.tasks.import_preview")
    queued = HUEY.serialize_task(old(args=(batch.pk,)))

    HUEY.deserialize_task(queued).execute()

    batch.refresh_from_db()
    assert batch.status == "previewed" and batch.report["dry_run"] is True


def test_a_commit_queued_before_the_move_to_exchange_still_runs(cast):
    from huey.contrib.djhuey import HUEY

    client = client_for(cast.owner)
    _upload(client, b"Id,Name\n001A,Acme\n")
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(status="committing")
    old = HUEY._registry.string_to_task("execsponsor.customers.tasks.import_commit")
    queued = HUEY.serialize_task(old(args=(batch.pk, cast.owner.pk)))

    HUEY.deserialize_task(queued).execute()

    batch.refresh_from_db()
    assert batch.status == "committed" and Account.objects.filter(external_id="001A").exists()
