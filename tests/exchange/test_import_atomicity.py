"""A real run is all or nothing unless --skip-bad-rows; the engine is the same one the page uses."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied

from execsponsor.customers.models import Account, Contact
from execsponsor.engagements.models import Engagement
from execsponsor.exchange.importing.services import import_run
from execsponsor.exchange.models import ImportBatch
from tests.exchange.importing_support import esp_import, import_salesforce_basics, write_csv

pytestmark = pytest.mark.django_db


def _accounts_file(rows: int, *, bad_at: int) -> str:
    lines = ["Id,Name,NumberOfEmployees"]
    for n in range(rows):
        lines.append(f"001A{n:05d},Account {n},{'many' if n == bad_at else n}")
    return "\n".join(lines) + "\n"


def test_a_bad_row_in_the_middle_of_a_long_file_means_nothing_is_written(tmp_path):
    path = write_csv(tmp_path, "Account.csv", _accounts_file(12_000, bad_at=6_000))

    outcome = esp_import("salesforce", "accounts", path)

    assert outcome.exit_code == 1
    assert outcome.report["errors"] == [
        {"line": 6_002, "column": "NumberOfEmployees", "message": "'many' is not a number"}
    ]
    assert Account.objects.count() == 0
    assert not ImportBatch.objects.exists()


def test_skip_bad_rows_writes_every_batch_but_the_bad_row(tmp_path):
    path = write_csv(tmp_path, "Account.csv", _accounts_file(12_000, bad_at=6_000))

    outcome = esp_import("salesforce", "accounts", path, "--skip-bad-rows")

    assert (outcome.report["created"], outcome.report["skipped"]) == (11_999, 1)
    assert Account.objects.count() == 11_999


def test_an_activity_file_with_one_bad_row_writes_no_engagement(tmp_path):
    import_salesforce_basics()
    path = write_csv(
        tmp_path,
        "Event.csv",
        "Id,WhoId,AccountId,Subject,StartDateTime\n"
        "00UX1,0035g0000000000010,0015g0000000000001,QBR,2026-03-01T10:00:00.000+0000\n"
        "00UX2,0035g0000000000010,0015g0000000000001,QBR,last Tuesday\n",
    )

    outcome = esp_import("salesforce", "activities", path)

    assert outcome.errors_on(3) == [{"line": 3, "column": "StartDateTime", "message": "'last Tuesday' is not a date"}]
    assert Engagement.objects.count() == 0


def test_only_people_who_run_the_program_may_import(cast):
    stream = io.BytesIO(b"Id,Name\n001A,Acme\n")

    with pytest.raises(PermissionDenied):
        import_run(stream=stream, source="salesforce", kind="accounts", file_name="Account.csv", by=cast.ae)

    report = import_run(stream=stream, source="salesforce", kind="accounts", file_name="Account.csv", by=cast.owner)
    assert report.created == 1
    assert Contact.objects.count() == 0


def test_a_bad_row_at_row_50000_of_a_staged_activities_import_writes_nothing(tmp_path):
    """The fast path (staged tuples, many short transactions) stays all or nothing: every batch before the bad row
    is checked, staged, written and rolled back; no engagement, no link, no job is left. 50,000 rows are 25 staged
    batches of 2,000 (MAX_ROWS_PER_TRANSACTION) and several time-bounded transactions, as many as a larger file
    would cross on a quiet machine."""
    import_salesforce_basics()
    before, jobs_before = Engagement.objects.count(), ImportBatch.objects.count()
    rows = ["Id,WhoId,AccountId,Subject,StartDateTime,OwnerId"]
    for n in range(1, 60_001):
        when = "the day after" if n == 50_000 else f"2026-03-{1 + n % 28:02d}T{n % 24:02d}:00:00.000+0000"
        rows.append(f"00UZ{n:014d},0035g0000000000010,0015g0000000000001,Sync {n},{when},0055g0000000000003")
    path = write_csv(tmp_path, "Event.csv", "\n".join(rows) + "\n")

    outcome = esp_import("salesforce", "activities", path)

    assert outcome.exit_code == 1
    assert outcome.report["errors"] == [
        {"line": 50_001, "column": "StartDateTime", "message": "'the day after' is not a date"}
    ]
    assert outcome.report["written"] is False and outcome.report["created"] == 0
    assert outcome.report["would_create"] == 59_999
    assert Engagement.objects.count() == before
    assert not Engagement.objects.filter(external_id__startswith="00UZ").exists()
    assert ImportBatch.objects.count() == jobs_before
