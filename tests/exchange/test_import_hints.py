"""The import preview says which fields selection needs and the file leaves empty; ARR maps from a custom column."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from execsponsor.customers.models import Account
from execsponsor.exchange.importing.columns import ColumnMapping, mapping_for
from execsponsor.exchange.importing.coverage import FieldCoverage, coverage_of, selection_hints
from execsponsor.exchange.models import ImportMapping
from tests.conftest import client_for
from tests.exchange.importing_support import SALESFORCE, esp_import, write_csv

# The pure part: counting and wording


def test_blank_cells_do_not_count_as_filled():
    records = [["A1", "1200", ""], ["A2", "  ", "2027-01-31"], ["A3", "900", "2027-02-28"]]
    coverage = coverage_of(records=records, positions={"external_id": 0, "arr": 1, "renewal_date": 2})
    assert coverage.rows == 3
    assert coverage.missing("arr") == 1
    assert coverage.missing("renewal_date") == 1
    assert coverage.mapped == frozenset({"arr", "renewal_date"})


def test_a_short_record_leaves_its_missing_cells_empty():
    coverage = coverage_of(records=[["A1"]], positions={"external_id": 0, "arr": 1})
    assert coverage.missing("arr") == 1


def test_salesforce_accounts_without_arr_get_the_annual_revenue_warning():
    coverage = FieldCoverage(
        rows=20,
        mapped=frozenset({"segment"}),
        filled={"segment": 20},
    )
    hints = selection_hints(source="salesforce", kind="accounts", coverage=coverage)
    assert hints[0].startswith("ARR missing on 20 of 20 accounts (the file has no column for it); ")
    assert "Salesforce's AnnualRevenue is the customer's company revenue" in hints[0]
    assert "map your ARR field" in hints[0]
    assert not any(hint.startswith("Segment") for hint in hints)


def test_every_selection_field_left_empty_is_named_with_what_it_costs():
    coverage = FieldCoverage(rows=4, mapped=frozenset({"arr", "segment"}), filled={"arr": 4, "segment": 1})
    hints = selection_hints(source="csv", kind="accounts", coverage=coverage)
    assert hints == [
        "Strategic value missing on 4 of 4 accounts (the file has no column for it): "
        "the strategic-value criterion skips them.",
        "Renewal date missing on 4 of 4 accounts (the file has no column for it): the renewal criterion skips them.",
        "Growth potential missing on 4 of 4 accounts (the file has no column for it): "
        "the whitespace criterion skips them.",
        "Segment missing on 3 of 4 accounts: the default eligibility takes enterprise accounts only, "
        "so they are left out.",
    ]


def test_a_file_that_fills_every_field_has_no_hints():
    filled = dict.fromkeys(("arr", "strategic_value", "renewal_date", "growth_potential", "segment"), 2)
    coverage = FieldCoverage(rows=2, mapped=frozenset(filled), filled=filled)
    assert selection_hints(source="salesforce", kind="accounts", coverage=coverage) == []


def test_other_kinds_have_no_selection_hints():
    assert selection_hints(source="salesforce", kind="contacts", coverage=FieldCoverage(rows=5)) == []


# ARR from a custom column, through a saved mapping of the same kind


def test_a_salesforce_mapping_names_the_arr_column_before_the_standard_ones():
    mapping = ColumnMapping(kind="accounts", columns={"arr": "Annual_Recurring_Revenue__c"})
    columns = mapping_for(source="salesforce", kind="accounts", mapping=mapping)
    assert columns.columns["arr"] == ("Annual_Recurring_Revenue__c", "ARR__c", "ARR")
    assert columns.columns["company_revenue"] == "AnnualRevenue"


def test_a_mapping_for_another_kind_leaves_the_salesforce_columns_alone():
    mapping = ColumnMapping(kind="contacts", columns={"title": "Job"})
    columns = mapping_for(source="salesforce", kind="accounts", mapping=mapping)
    assert columns.columns["arr"] == ("ARR__c", "ARR")


@pytest.mark.django_db
def test_the_cli_imports_arr_from_a_custom_salesforce_column(tmp_path):
    path = write_csv(
        tmp_path,
        "Account.csv",
        "Id,Name,AnnualRevenue,Annual_Recurring_Revenue__c\n001A,Acme Logistics,840000000,1250000\n",
    )
    mapping = write_csv(tmp_path, "arr.json", '{"kind": "accounts", "columns": {"arr": "Annual_Recurring_Revenue__c"}}')
    outcome = esp_import("salesforce", "accounts", path, "--mapping", str(mapping))
    assert outcome.exit_code == 0, outcome.stdout
    account = Account.objects.get(external_id="001A")
    assert account.arr == Decimal("1250000")
    assert account.company_revenue == Decimal("840000000")


# The preview page


def _upload(client, content: bytes, **fields):
    data = {"source": "salesforce", "kind": "accounts", **fields, "file": SimpleUploadedFile("Account.csv", content)}
    return client.post("/accounts/import/", data)


@pytest.mark.django_db
def test_the_preview_of_the_standard_salesforce_export_says_arr_is_missing(cast):
    client = client_for(cast.owner)
    response = _upload(client, (SALESFORCE / "Account.csv").read_bytes())
    page = client.get(response["Location"]).content.decode()
    hints = page[page.index('id="import-hints"') :]
    assert "ARR missing on 20 of 20 accounts" in hints
    assert "AnnualRevenue is the customer&#x27;s company revenue" in hints


@pytest.mark.django_db
def test_the_preview_has_no_arr_hint_once_the_arr_column_is_mapped(cast):
    ImportMapping.objects.create(name="Our ARR", kind="accounts", columns={"arr": "Annual_Recurring_Revenue__c"})
    client = client_for(cast.owner)
    content = b"Id,Name,Annual_Recurring_Revenue__c\n001A,Acme,1250000\n001B,Beta,800000\n"
    response = _upload(client, content, mapping=ImportMapping.objects.get().pk)
    page = client.get(response["Location"]).content.decode()
    assert "ARR missing" not in page
    assert "Renewal date missing on 2 of 2 accounts" in page
