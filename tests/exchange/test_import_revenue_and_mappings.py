"""Quarterly revenue and any CSV with a saved mapping."""

from __future__ import annotations

from decimal import Decimal

import pytest

from execsponsor.customers.models import Account, QuarterlyRevenue
from execsponsor.exchange.importing.services import import_mapping_save
from execsponsor.exchange.models import ImportMapping
from tests.exchange.importing_support import esp_import, import_salesforce_basics, write_csv

pytestmark = pytest.mark.django_db


def test_revenue_reads_periods_in_every_common_spelling(tmp_path):
    import_salesforce_basics()
    path = write_csv(
        tmp_path,
        "revenue.csv",
        "AccountId,Period,Revenue,ARR\n"
        '0015g0000000000001,2026 Q1,"$250,000.00",1000000\n'
        "0015g0000000000001,2026-Q2,260000,\n"
        "0015g0000000000001,2026-07-01,270000,\n"
        "0015g0000000000002,Q4 2025,99.5,\n",
    )

    outcome = esp_import("salesforce", "revenue", path)

    assert outcome.exit_code == 0, outcome.report["errors"]
    acme = Account.objects.get(external_id="0015g0000000000001")
    assert list(acme.quarterly_revenue.values_list("year", "quarter", "revenue")) == [
        (2026, 1, Decimal("250000.00")),
        (2026, 2, Decimal("260000.00")),
        (2026, 3, Decimal("270000.00")),
    ]
    assert QuarterlyRevenue.objects.get(account__external_id="0015g0000000000002").quarter == 4


def test_revenue_is_upserted_by_account_and_quarter(tmp_path):
    import_salesforce_basics()
    first = write_csv(tmp_path, "q.csv", "AccountId,Year,Quarter,Revenue\n0015g0000000000001,2026,1,100\n")
    second = write_csv(tmp_path, "q2.csv", "AccountId,Year,Quarter,Revenue\n0015g0000000000001,2026,Q1,150\n")
    esp_import("salesforce", "revenue", first)

    outcome = esp_import("salesforce", "revenue", second)

    assert (outcome.report["created"], outcome.report["updated"]) == (0, 1)
    assert QuarterlyRevenue.objects.get().revenue == Decimal("150.00")


def test_a_period_that_is_not_a_quarter_start_is_reported(tmp_path):
    import_salesforce_basics()
    path = write_csv(tmp_path, "q.csv", "AccountId,Period,Revenue\n0015g0000000000001,2026-02-15,100\n")

    outcome = esp_import("salesforce", "revenue", path)

    assert outcome.report["errors"] == [
        {"line": 2, "column": "Period", "message": "'2026-02-15' is not the first day of a quarter"}
    ]


def test_a_csv_with_a_mapping_file_imports_contacts_onto_crm_accounts(tmp_path):
    import_salesforce_basics()
    path = write_csv(
        tmp_path,
        "people.csv",
        "Ref,Firm,Given,Family,Role\nP-1,0015g0000000000001,Aiko,Tanaka,Head of Procurement\n",
    )
    mapping = write_csv(
        tmp_path,
        "mapping.json",
        '{"kind": "contacts", "columns": {"external_id": "Ref", "account": "Firm", "first_name": "Given",'
        ' "last_name": "Family", "title": "Role"}}',
    )

    outcome = esp_import("csv", "contacts", path, "--mapping", str(mapping))

    assert outcome.exit_code == 0
    contact = Account.objects.get(external_id="0015g0000000000001").contacts.get(source="csv")
    assert (contact.first_name, contact.seniority) == ("Aiko", "director")


def test_a_mapping_naming_an_unknown_field_is_a_usage_error(tmp_path):
    path = write_csv(tmp_path, "people.csv", "Ref\nP-1\n")
    mapping = write_csv(tmp_path, "mapping.json", '{"kind": "accounts", "columns": {"shoe_size": "Ref"}}')

    outcome = esp_import("csv", "accounts", path, "--mapping", str(mapping))

    assert outcome.exit_code == 2
    assert "shoe_size" in outcome.report["errors"][0]["message"]


def test_a_csv_import_without_a_mapping_is_a_usage_error(tmp_path):
    path = write_csv(tmp_path, "people.csv", "Ref\nP-1\n")

    outcome = esp_import("csv", "accounts", path)

    assert outcome.exit_code == 2


def test_a_saved_mapping_is_kept_for_the_upload_page(cast):
    mapping = import_mapping_save(
        by=cast.owner,
        name="Finance revenue sheet",
        kind="revenue",
        columns={"account": "Customer", "period": "Quarter", "revenue": "Net"},
        date_format="dmy",
    )

    assert ImportMapping.objects.get(name="Finance revenue sheet") == mapping
    assert mapping.columns["revenue"] == "Net"
