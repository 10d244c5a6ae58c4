"""Executives from a Salesforce User export with custom columns, or a mapped CSV; and `esp match` without any."""

import json

import pytest
from typer.testing import CliRunner

from execsponsor.cli import app
from execsponsor.users.models import Executive, Role, User
from tests.exchange.importing_support import esp_import, write_csv
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

USER_EXPORT = (
    "Id,Name,Email,Title,IsActive,ManagerId,Level__c,Industries__c,Regions__c,Languages__c,TimeZoneSidKey,"
    "Capacity_Min__c,Capacity_Max__c,Working_Style__c\n"
    "0051,Maria Lindqvist,maria@ourco.example,Chief Executive Officer,true,,C-suite,Banking;Insurance,EMEA,en;sv,"
    "Europe/Stockholm,0,2,Strategic and calm\n"
    "0052,Kenji Watanabe,kenji@ourco.example,Chief Technology Officer,true,0051,C-suite,Manufacturing,APAC,"
    "English;Japanese,Asia/Tokyo,1,3,Deep technical dives\n"
    "0053,Sam Seller,sam@ourco.example,Account Executive,true,0051,,,,,America/New_York,,,\n"
)


@pytest.fixture
def our_users(db):
    """Users as the `users` import leaves them: Salesforce ids, viewer or AE roles, no password."""
    made = {}
    for key, username, role in (
        ("0051", "maria@ourco.example", Role.VIEWER),
        ("0052", "kenji@ourco.example", Role.VIEWER),
        ("0053", "sam@ourco.example", Role.ACCOUNT_EXECUTIVE),
    ):
        made[key] = UserFactory(username=username, email=username, role=role, source="salesforce", external_id=key)
    return made


def test_a_salesforce_user_export_with_custom_columns_makes_executives(our_users, tmp_path):
    outcome = esp_import("salesforce", "executives", write_csv(tmp_path, "User.csv", USER_EXPORT))
    assert outcome.exit_code == 0, outcome.stdout
    assert (outcome.report["created"], outcome.report["errors"]) == (2, [])
    assert any("1 row(s) without a level" in warning for warning in outcome.report["file_warnings"])
    maria = Executive.objects.get(user__username="maria@ourco.example")
    kenji = Executive.objects.get(user__username="kenji@ourco.example")
    assert (maria.function, maria.level, maria.industries, maria.languages) == (
        "ceo",
        "c_suite",
        ["Banking", "Insurance"],
        ["en", "sv"],
    )
    assert (kenji.function, kenji.languages, kenji.time_zone) == ("cto", ["en", "ja"], "Asia/Tokyo")
    assert (kenji.capacity_min, kenji.capacity_max, kenji.reports_to) == (1, 3, maria)
    assert not Executive.objects.filter(user__username="sam@ourco.example").exists()
    assert User.objects.get(username="kenji@ourco.example").role == Role.EXECUTIVE


def test_a_reimport_changes_nothing_twice(our_users, tmp_path):
    path = write_csv(tmp_path, "User.csv", USER_EXPORT)
    esp_import("salesforce", "executives", path)
    again = esp_import("salesforce", "executives", path)
    assert (again.report["created"], again.report["updated"], again.report["unchanged"]) == (0, 0, 2)


def test_a_bad_level_and_capacity_are_reported_on_their_line(our_users, tmp_path):
    text = USER_EXPORT.replace("C-suite,Manufacturing", "Grand Vizier,Manufacturing").replace(
        "Europe/Stockholm,0,2", "Europe/Stockholm,3,1"
    )
    outcome = esp_import("salesforce", "executives", write_csv(tmp_path, "User.csv", text))
    assert outcome.exit_code != 0
    messages = {(e["line"], e["message"]) for e in outcome.report["errors"]}
    assert any(line == 3 and "'Grand Vizier' is not a level" in message for line, message in messages)
    assert any(line == 2 and "above the maximum" in message for line, message in messages)
    assert not Executive.objects.exists()


def test_a_user_not_imported_yet_is_an_error_that_says_what_to_do(db, tmp_path):
    outcome = esp_import("salesforce", "executives", write_csv(tmp_path, "User.csv", USER_EXPORT))
    assert "import our users first" in outcome.report["errors"][0]["message"]


def test_a_mapped_csv_finds_users_by_email(our_users, tmp_path):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps(
            {
                "kind": "executives",
                "columns": {"email": "E-mail", "level": "Rank", "function": "Role", "languages": "Speaks"},
            }
        )
    )
    path = write_csv(tmp_path, "execs.csv", "E-mail,Rank,Role,Speaks\nmaria@ourco.example,EVP,CFO,German\n")
    outcome = esp_import("csv", "executives", path, "--mapping", str(mapping))
    assert outcome.exit_code == 0, outcome.stdout
    maria = Executive.objects.get(user__username="maria@ourco.example")
    assert (maria.level, maria.function, maria.languages) == ("evp", "cfo", ["de"])


def test_esp_match_without_executives_exits_1_and_says_so(db):
    UserFactory(username="olivia.owner", role=Role.PROGRAM_OWNER)
    result = CliRunner().invoke(app, ["match", "--dry-run"])
    assert result.exit_code == 1
    assert "no executives" in result.output


def test_the_import_page_offers_executives_and_writes_them_on_commit(our_users, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from execsponsor.exchange.models import ImportBatch
    from tests.conftest import client_for

    client = client_for(cast.owner)
    assert b'value="executives"' in client.get("/accounts/import/").content
    upload = SimpleUploadedFile("User.csv", USER_EXPORT.encode())
    response = client.post("/accounts/import/", {"source": "salesforce", "kind": "executives", "file": upload})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.report["would_create"] == 2
    client.post(f"/accounts/import/{batch.pk}/commit/", {"action": "commit"})
    assert set(Executive.objects.values_list("user__username", flat=True)) >= {
        "maria@ourco.example",
        "kenji@ourco.example",
    }
