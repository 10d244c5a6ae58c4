"""What real exports contain: BOM + CRLF, quoted newlines, currency amounts, ambiguous dates, bad rows, …"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from execsponsor.customers.models import Account, Contact
from tests.exchange.importing_support import esp, esp_import, import_salesforce_basics, write_csv

pytestmark = pytest.mark.django_db

ACCOUNT_HEADER = "Id,Name,AnnualRevenue,NumberOfEmployees,Website,CreatedDate"


def test_it_reads_utf8_with_bom_and_crlf_line_endings(tmp_path):
    path = write_csv(
        tmp_path,
        "Account.csv",
        "\ufeffId,Name,Website\n001A,Müller & Söhne GmbH,www.mueller.example\n001B,株式会社サンプル,sample.example\n",
        newline="\r\n",
    )

    outcome = esp_import("salesforce", "accounts", path)

    assert outcome.exit_code == 0
    assert set(Account.objects.values_list("name", flat=True)) == {"Müller & Söhne GmbH", "株式会社サンプル"}


def test_line_numbers_stay_physical_after_a_quoted_newline(tmp_path):
    import_salesforce_basics()
    path = write_csv(
        tmp_path,
        "Contact.csv",
        "Id,AccountId,LastName,Description,Email\n"
        '003X1,0015g0000000000001,Okafor,"Met in Lisbon.\nLikes short agendas.\nThird line.",grace@acme.example\n'
        "003X2,0015g0000000000001,Ngata,,not-an-email\n",
    )

    outcome = esp_import("salesforce", "contacts", path, "--dry-run")

    assert outcome.exit_code == 1
    assert outcome.report["errors"] == [
        {"line": 5, "column": "Email", "message": "'not-an-email' is not an email address"}
    ]


def test_amounts_with_currency_symbols_and_thousands_separators_are_numbers(tmp_path):
    path = write_csv(
        tmp_path,
        "Account.csv",
        'Id,Name,AnnualRevenue,NumberOfEmployees\n001A,Acme,"$1,250,000.00","4,500"\n'
        '001B,Beta,"1.250.000,00 €",12\n001C,Gamma,£980000,\n',
    )

    outcome = esp_import("salesforce", "accounts", path)

    assert outcome.exit_code == 0
    revenue = dict(Account.objects.values_list("external_id", "company_revenue"))
    assert revenue == {"001A": Decimal("1250000.00"), "001B": Decimal("1250000.00"), "001C": Decimal("980000.00")}
    assert Account.objects.get(external_id="001A").employees == 4500


def test_a_value_that_is_not_a_number_is_reported_with_line_and_column(tmp_path):
    path = write_csv(tmp_path, "Account.csv", "Id,Name,AnnualRevenue\n001A,Acme,twelve million\n")

    outcome = esp_import("salesforce", "accounts", path)

    assert outcome.exit_code == 1
    assert outcome.report["errors"] == [
        {"line": 2, "column": "AnnualRevenue", "message": "'twelve million' is not a number"}
    ]


def test_dates_that_fit_both_orders_are_reported_not_guessed(tmp_path):
    path = write_csv(
        tmp_path,
        "companies.csv",
        "Record ID,Company name,Create Date\n1,Acme,01/02/2024 10:00\n2,Beta,03/04/2024 11:00\n",
    )

    outcome = esp_import("hubspot", "accounts", path)

    assert outcome.exit_code == 2
    [error] = outcome.report["errors"]
    assert error["column"] == "Create Date"
    assert "fits both day-first and month-first" in error["message"]
    assert Account.objects.count() == 0


def test_one_unambiguous_date_decides_the_order_of_the_whole_column(tmp_path):
    path = write_csv(
        tmp_path,
        "companies.csv",
        "Record ID,Company name,Create Date\n1,Acme,01/02/2024 10:00\n2,Beta,05/24/2024 11:00\n",
    )

    outcome = esp_import("hubspot", "accounts", path)

    assert outcome.exit_code == 0
    assert Account.objects.get(external_id="1").created_at.date() == dt.date(2024, 1, 2)


def test_a_mapping_date_format_settles_ambiguous_dates(tmp_path):
    path = write_csv(tmp_path, "accounts.csv", "Ref;Company;Since\nA-1;Acme;01/02/2024\n")
    mapping = write_csv(
        tmp_path,
        "mapping.json",
        '{"kind": "accounts", "columns": {"external_id": "Ref", "name": "Company", "created_at": "Since"},'
        ' "date_format": "dmy"}',
    )

    outcome = esp_import("csv", "accounts", path, "--mapping", str(mapping))

    assert outcome.exit_code == 0
    assert Account.objects.get(source="csv", external_id="A-1").created_at.date() == dt.date(2024, 2, 1)


def test_a_missing_required_column_is_one_error_before_any_row_is_read(tmp_path):
    path = write_csv(tmp_path, "Account.csv", "Id,AccountName\n001A,Acme\n001B,Beta\n")

    outcome = esp_import("salesforce", "accounts", path)

    assert outcome.exit_code == 2
    assert outcome.report["rows"] == 0
    assert outcome.report["errors"] == [{"line": 1, "column": "Name", "message": "required column Name is missing"}]


def test_a_missing_column_reads_well_for_people_without_json(tmp_path):
    path = write_csv(tmp_path, "Account.csv", "Id,AccountName\n001A,Acme\n")

    outcome = esp("import", "salesforce", "accounts", path)

    assert outcome.exit_code == 2
    assert "line 1, Name: required column Name is missing" in outcome.stderr


def test_semicolon_delimited_files_are_read(tmp_path):
    path = write_csv(tmp_path, "Account.csv", 'Id;Name;AnnualRevenue\n001A;Acme;"1.250.000,50"\n001B;"Beta; Inc";7\n')

    outcome = esp_import("salesforce", "accounts", path)

    assert outcome.exit_code == 0
    assert Account.objects.get(external_id="001B").name == "Beta; Inc"
    assert Account.objects.get(external_id="001A").company_revenue == Decimal("1250000.50")


def test_tab_delimited_files_and_blank_trailing_lines_are_read(tmp_path):
    path = write_csv(tmp_path, "Account.csv", "Id\tName\n001A\tAcme\n\n\n\n")

    outcome = esp_import("salesforce", "accounts", path)

    assert outcome.exit_code == 0
    assert outcome.report["rows"] == 1


def test_a_latin1_file_is_read_with_a_warning(tmp_path):
    path = write_csv(tmp_path, "Account.csv", "Id,Name\n001A,Müller & Söhne\n", encoding="latin-1")

    outcome = esp_import("salesforce", "accounts", path)

    assert outcome.exit_code == 0
    assert Account.objects.get().name == "Müller & Söhne"
    assert "not UTF-8" in outcome.report["file_warnings"][0]


def test_bad_rows_mean_nothing_is_written_by_default(tmp_path):
    path = write_csv(
        tmp_path,
        "Account.csv",
        "Id,Name,NumberOfEmployees\n001A,Acme,10\n001B,Beta,lots\n001C,Gamma,30\n",
    )

    outcome = esp_import("salesforce", "accounts", path)

    assert outcome.exit_code == 1
    assert outcome.report["written"] is False
    assert outcome.errors_on(3) == [{"line": 3, "column": "NumberOfEmployees", "message": "'lots' is not a number"}]
    assert Account.objects.count() == 0


def test_skip_bad_rows_imports_the_good_ones_and_reports_the_rest(tmp_path):
    path = write_csv(
        tmp_path,
        "Account.csv",
        "Id,Name,NumberOfEmployees,Segment__c\n001A,Acme,10,SMB\n001B,,20,SMB\n001C,Gamma,30,Galactic\n001D,Delta,4,\n",
    )

    outcome = esp_import("salesforce", "accounts", path, "--skip-bad-rows")

    assert outcome.exit_code == 1
    assert (outcome.report["created"], outcome.report["skipped"]) == (2, 2)
    assert outcome.report["errors"] == [
        {"line": 3, "column": "Name", "message": "a value is required"},
        {"line": 4, "column": "Segment__c", "message": "'Galactic' is not a segment (Enterprise, Mid-market or SMB)"},
    ]
    assert set(Account.objects.values_list("external_id", flat=True)) == {"001A", "001D"}


def test_a_dry_run_counts_what_would_happen_and_writes_nothing(tmp_path):
    path = write_csv(tmp_path, "Account.csv", "Id,Name\n001A,Acme\n001B,Beta\n")

    outcome = esp_import("salesforce", "accounts", path, "--dry-run")

    assert outcome.exit_code == 0
    assert (outcome.report["would_create"], outcome.report["created"], outcome.report["written"]) == (2, 0, False)
    assert Account.objects.count() == 0


def test_the_same_id_twice_in_one_file_is_an_error_on_the_second_line(tmp_path):
    path = write_csv(tmp_path, "Account.csv", "Id,Name\n001A,Acme\n001A,Acme again\n")

    outcome = esp_import("salesforce", "accounts", path)

    assert outcome.errors_on(3) == [{"line": 3, "column": "Id", "message": "001A appears again (first on line 2)"}]


def test_contacts_of_an_unknown_account_are_reported(tmp_path):
    import_salesforce_basics()
    path = write_csv(
        tmp_path,
        "Contact.csv",
        "Id,AccountId,FirstName,LastName,Title\n003X1,0015g0000000000001,Aiko,Tanaka,VP Sales\n"
        "003X2,0015g0000000099999,Yuki,Sato,CTO\n",
    )

    outcome = esp_import("salesforce", "contacts", path, "--skip-bad-rows")

    assert outcome.errors_on(3) == [
        {
            "line": 3,
            "column": "AccountId",
            "message": "account 0015g0000000099999 is not in ExecSponsor; import accounts first",
        }
    ]
    assert Contact.objects.filter(external_id="003X1").exists()
    assert not Contact.objects.filter(external_id="003X2").exists()


def test_reports_to_is_linked_even_when_the_manager_comes_later_in_the_file(tmp_path):
    import_salesforce_basics()
    path = write_csv(
        tmp_path,
        "Contact.csv",
        "Id,AccountId,FirstName,LastName,Title,ReportsToId\n"
        "003X1,0015g0000000000001,Aiko,Tanaka,Director of IT,003X2\n"
        "003X2,0015g0000000000001,Yuki,Sato,Chief Information Officer,\n",
    )

    outcome = esp_import("salesforce", "contacts", path)

    assert outcome.exit_code == 0
    assert Contact.objects.get(external_id="003X1").reports_to.external_id == "003X2"
    assert Contact.objects.get(external_id="003X2").persona == "functional_vp"


def test_an_activity_with_an_unknown_contact_is_imported_with_a_warning(tmp_path):
    import_salesforce_basics()
    path = write_csv(
        tmp_path,
        "Event.csv",
        "Id,WhoId,WhatId,AccountId,Subject,StartDateTime,EndDateTime,Type,Description,OwnerId\n"
        "00UX1,0035g0000000099999,,0015g0000000000001,Roadmap review,2026-03-01T10:00:00.000+0000,,Meeting,,\n"
        "00UX2,,,0015g0000000099999,Dinner,2026-03-02T19:00:00.000+0000,,,,\n",
    )

    outcome = esp_import("salesforce", "activities", path, "--skip-bad-rows")

    assert outcome.report["created"] == 1
    assert outcome.report["warnings"][0]["line"] == 2
    assert outcome.report["warnings"][0]["column"] == "WhoId"
    assert (
        outcome.errors_on(3)[0]["message"] == "account 0015g0000000099999 is not in ExecSponsor; import accounts first"
    )


def test_an_unreadable_file_is_exit_status_2(tmp_path):
    outcome = esp_import("salesforce", "accounts", tmp_path / "missing.csv")

    assert outcome.exit_code == 2
    assert "cannot read" in outcome.report["errors"][0]["message"]
