"""Account fields the program needs (strategic value, whitespace, churn, time zone, language) come in by import."""

import pytest

from execsponsor.customers.models import Account
from tests.exchange.importing_support import esp_import

pytestmark = pytest.mark.django_db


def write(tmp_path, text):
    path = tmp_path / "Account.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_it_imports_the_fields_selection_and_matching_use(tmp_path):
    path = write(
        tmp_path,
        "Id,Name,Segment__c,Strategic_Value__c,Whitespace__c,In_Churn__c,Time_Zone__c,Required_Language__c\n"
        '0015X1,Sakura Denki K.K.,Enterprise,90,"$2,500,000",false,Asia/Tokyo,JA\n',
    )
    outcome = esp_import("salesforce", "accounts", path)
    assert outcome.exit_code == 0, outcome.stdout
    account = Account.objects.get(external_id="0015X1")
    assert (account.strategic_value, account.growth_potential, account.in_churn) == (90, 2_500_000, False)
    assert (account.time_zone, account.required_language) == ("Asia/Tokyo", "ja")


def test_bad_program_fields_are_reported_per_column(tmp_path):
    path = write(
        tmp_path,
        "Id,Name,Strategic_Value__c,Time_Zone__c,Required_Language__c\n0015X2,Mars Corp,120,Mars/Olympus,japanese\n",
    )
    outcome = esp_import("salesforce", "accounts", path)
    assert outcome.exit_code == 1
    columns = {error["column"] for error in outcome.errors_on(2)}
    assert columns == {"Strategic_Value__c", "Time_Zone__c", "Required_Language__c"}
    assert not Account.objects.exists()
