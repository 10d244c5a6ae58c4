"""RFC 4180 quoting survives the delimiter sniffing (a quote inside a value is written twice), and NUL
characters never reach the database, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from execsponsor.customers.models import Account, Contact
from tests.exchange.importing_support import esp_import, write_csv

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "csv"
NAMES = {
    "001Q1": 'Acme "The Best" Inc',
    "001Q2": "Beta, Corp; Ltd",
    "001Q3": '"Quoted" Holdings',
    "001Q4": 'Delta 12" Pipes',
}


def _imported_names() -> dict[str, str]:
    return dict(Account.objects.values_list("external_id", "name"))


@pytest.mark.parametrize("name", ["quoting-python.csv", "quoting-spreadsheet.csv", "quoting-by-hand.csv"])
def test_doubled_quotes_are_read_as_one_quote(name):
    outcome = esp_import("salesforce", "accounts", FIXTURES / name)

    assert outcome.exit_code == 0, outcome.stdout
    assert outcome.report["errors"] == [] and outcome.report["created"] == 4
    assert _imported_names() == NAMES


def test_a_file_written_now_by_pythons_csv_module_round_trips(tmp_path):
    path = tmp_path / "Account.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, delimiter="\t")
        writer.writerow(["Id", "Name"])
        writer.writerows(NAMES.items())

    assert esp_import("salesforce", "accounts", path).exit_code == 0
    assert _imported_names() == NAMES


def test_nul_characters_are_removed_from_imported_text(tmp_path):
    accounts = write_csv(tmp_path, "Account.csv", "Id,Name\n001N,Acme\x00 Logistics\n")
    contacts = write_csv(
        tmp_path,
        "Contact.csv",
        'Id,AccountId,FirstName,LastName,Title,Description\n003N,001N,Ada\x00,Lovelace,CIO,"likes\x00\nchess"\n',
    )

    first = esp_import("salesforce", "accounts", accounts)
    second = esp_import("salesforce", "contacts", contacts)

    assert first.exit_code == 0 and second.exit_code == 0, second.stdout
    assert any("NUL" in warning for warning in first.report["file_warnings"])
    assert Account.objects.get().name == "Acme Logistics"
    contact = Contact.objects.get()
    assert (contact.first_name, contact.notes) == ("Ada", "likes\nchess")
