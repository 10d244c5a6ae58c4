"""Importing HubSpot exports: day-first dates, owners named by their full name, associated company ids."""

from __future__ import annotations

import datetime as dt

import pytest

from execsponsor.customers.models import Account, Contact
from tests.exchange.importing_support import HUBSPOT, esp_import
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_imports_companies_with_day_first_dates_and_owners_by_name():
    marta = UserFactory(first_name="Marta", last_name="Kowalski")

    outcome = esp_import("hubspot", "accounts", HUBSPOT / "companies.csv")

    assert outcome.exit_code == 0
    assert outcome.report["created"] == 12
    kittiwake = Account.objects.get(source="hubspot", external_id="9200000001")
    assert kittiwake.created_at == dt.datetime(2024, 7, 23, 8, 41, tzinfo=dt.UTC)
    assert kittiwake.industry == "Maritime"
    assert kittiwake.owner == marta
    # 05/03/2024 is the fifth of March: HubSpot writes the day first.
    zuercher = Account.objects.get(external_id="9200000012")
    assert (zuercher.name, zuercher.created_at.date()) == ("Zürcher Pharmalabor AG", dt.date(2024, 3, 5))


def test_an_owner_we_do_not_know_is_a_warning_not_an_error():
    outcome = esp_import("hubspot", "accounts", HUBSPOT / "companies.csv")

    assert outcome.exit_code == 0
    assert outcome.report["warnings"][0] == {
        "line": 2,
        "column": "Company owner",
        "message": "owner Marta Kowalski is not one of our users in ExecSponsor (import users first); left blank",
    }


def test_it_imports_contacts_onto_their_companies():
    esp_import("hubspot", "accounts", HUBSPOT / "companies.csv")

    outcome = esp_import("hubspot", "contacts", HUBSPOT / "contacts.csv")

    assert outcome.exit_code == 0
    assert outcome.report["created"] == 24
    renate = Contact.objects.get(source="hubspot", external_id="8300002")
    assert (renate.last_name, renate.account.name) == ("Grünewald", "Alderbank Savings")
    assert renate.title == "Head of Procurement"


def test_contacts_before_their_companies_are_reported_not_dropped():
    outcome = esp_import("hubspot", "contacts", HUBSPOT / "contacts.csv")

    assert outcome.exit_code == 1
    assert outcome.report["skipped"] == 24
    assert outcome.errors_on(2) == [
        {
            "line": 2,
            "column": "Associated Company IDs",
            "message": "account 9200000004 is not in ExecSponsor; import accounts first",
        }
    ]
    assert Contact.objects.count() == 0


def test_reimporting_companies_counts_them_unchanged():
    esp_import("hubspot", "accounts", HUBSPOT / "companies.csv")

    again = esp_import("hubspot", "accounts", HUBSPOT / "companies.csv")

    assert (again.report["created"], again.report["unchanged"]) == (0, 12)
    assert Account.objects.count() == 12
