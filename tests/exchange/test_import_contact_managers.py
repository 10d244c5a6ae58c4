"""A contact reports to a colleague at their own account: a contacts import rejects a manager from another
account as a row error, as the API does, whether the manager comes before or after them in the file."""

from __future__ import annotations

import pytest
from django.db.models import F

from execsponsor.customers.models import Contact
from tests.exchange.importing_support import esp_import, write_csv

pytestmark = pytest.mark.django_db

ACCOUNTS = "Id,Name\n001A,Acme Logistics\n001B,Beta Bank\n"
CONTACTS = (
    "Id,AccountId,FirstName,LastName,ReportsToId\n"
    "003A1,001A,Ada,Boss,\n"
    "003B1,001B,Ben,Other,003A1\n"  # the manager is earlier in the file, at Acme
    "003B2,001B,Bea,Later,003A2\n"  # the manager comes later, at Acme
    "003A2,001A,Al,Manager,\n"
    "003A3,001A,Ann,Colleague,003A1\n"
)


@pytest.fixture
def accounts(tmp_path):
    assert esp_import("salesforce", "accounts", write_csv(tmp_path, "Account.csv", ACCOUNTS)).exit_code == 0


def test_a_manager_at_another_account_is_a_row_error_and_nothing_is_written(tmp_path, accounts):
    outcome = esp_import("salesforce", "contacts", write_csv(tmp_path, "Contact.csv", CONTACTS))

    assert outcome.exit_code != 0
    assert [e["line"] for e in outcome.report["errors"]] == [3, 4]
    assert all("another account" in e["message"] and e["column"] == "ReportsToId" for e in outcome.report["errors"])
    assert Contact.objects.count() == 0


def test_skipping_bad_rows_never_links_across_accounts(tmp_path, accounts):
    esp_import("salesforce", "contacts", write_csv(tmp_path, "Contact.csv", CONTACTS), "--skip-bad-rows")

    across = Contact.objects.exclude(reports_to=None).exclude(reports_to__account=F("account"))
    assert not across.exists()
    assert Contact.objects.get(external_id="003A3").reports_to.external_id == "003A1"


def test_a_later_import_cannot_point_at_another_accounts_contact(tmp_path, accounts):
    first = "Id,AccountId,FirstName,LastName\n003A1,001A,Ada,Boss\n003B1,001B,Ben,Other\n"
    assert esp_import("salesforce", "contacts", write_csv(tmp_path, "c1.csv", first)).exit_code == 0

    second = "Id,AccountId,FirstName,LastName,ReportsToId\n003B1,001B,Ben,Other,003A1\n"
    outcome = esp_import("salesforce", "contacts", write_csv(tmp_path, "c2.csv", second))

    assert outcome.exit_code != 0 and outcome.errors_on(2)
    assert Contact.objects.get(external_id="003B1").reports_to is None
