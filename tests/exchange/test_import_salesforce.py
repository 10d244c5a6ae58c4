"""Importing the Salesforce Data Loader sample exports through `esp import salesforce …`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from execsponsor.customers.models import Account, Contact, Opportunity, Seniority
from execsponsor.engagements.models import Engagement, EngagementAttendee, EngagementContact, EngagementKind
from execsponsor.exchange.models import ImportBatch
from execsponsor.users.models import Role, User
from tests.exchange.importing_support import SALESFORCE, esp_import, import_salesforce_basics

pytestmark = pytest.mark.django_db


def test_it_imports_our_users_with_roles_from_their_titles_and_no_usable_password():
    outcome = esp_import("salesforce", "users", SALESFORCE / "User.csv")

    assert outcome.exit_code == 0
    assert outcome.report["created"] == 5
    seller = User.objects.get(source="salesforce", external_id="0055g0000000000001")
    assert seller.email == "priya.raman@ourco.example"
    assert (seller.first_name, seller.last_name) == ("Priya", "Raman")
    assert seller.role == Role.ACCOUNT_EXECUTIVE
    assert not seller.has_usable_password()


def test_it_imports_accounts_with_owners_and_history():
    esp_import("salesforce", "users", SALESFORCE / "User.csv")

    outcome = esp_import("salesforce", "accounts", SALESFORCE / "Account.csv")

    assert outcome.exit_code == 0
    assert outcome.report["rows"] == outcome.report["created"] == 20
    halvorsen = Account.objects.get(source="salesforce", external_id="0015g0000000000001")
    assert halvorsen.name == "Halvorsen Shipping"
    assert halvorsen.domain == "halvorsen.example"
    assert halvorsen.company_revenue == Decimal("1250000000.00")
    assert halvorsen.employees == 2300
    assert halvorsen.segment == "enterprise"
    assert halvorsen.owner.external_id == "0055g0000000000002"
    assert halvorsen.created_at == dt.datetime(2022, 11, 3, 14, 45, tzinfo=dt.UTC)
    assert halvorsen.history.count() == 1
    assert set(Account.objects.values_list("name", flat=True)) >= {"São Jorge Seguros S.A.", "東雲電機株式会社"}
    assert ImportBatch.objects.filter(kind="accounts", status="committed").count() == 1


def test_a_reimport_creates_no_duplicates_and_counts_every_row_unchanged():
    import_salesforce_basics()

    again = esp_import("salesforce", "contacts", SALESFORCE / "Contact.csv")

    assert again.exit_code == 0
    assert again.report["created"] == again.report["updated"] == 0
    assert again.report["unchanged"] == again.report["rows"] == Contact.objects.count() == 78


def test_a_changed_row_is_updated_and_shows_in_field_history(tmp_path):
    import_salesforce_basics()
    original = (SALESFORCE / "Account.csv").read_text(encoding="utf-8")
    text = original.replace("Halvorsen Shipping", "Halvorsen Shipping Group")
    changed = tmp_path / "Account.csv"
    changed.write_text(text, encoding="utf-8")

    outcome = esp_import("salesforce", "accounts", changed)

    assert (outcome.report["updated"], outcome.report["unchanged"]) == (1, 19)
    halvorsen = Account.objects.get(external_id="0015g0000000000001")
    assert halvorsen.name == "Halvorsen Shipping Group"
    assert [h.name for h in halvorsen.history.order_by("history_date")] == [
        "Halvorsen Shipping",
        "Halvorsen Shipping Group",
    ]


def test_contacts_keep_a_description_that_spans_lines_and_get_seniority_from_their_title():
    import_salesforce_basics()

    specialist = Contact.objects.get(external_id="0035g0000000000013")
    assert specialist.notes == "Joined from the Oslo user group.\nWants agendas sent a week ahead."
    assert specialist.seniority == Seniority.INDIVIDUAL
    assert Contact.objects.get(external_id="0035g0000000000010").seniority == Seniority.C_LEVEL
    assert Contact.objects.get(external_id="0035g0000000000010").persona == "ceo_coo"
    assert Contact.objects.get(external_id="0035g0000000000021").seniority == Seniority.VP
    assert Contact.objects.get(external_id="0035g0000000000031").seniority == Seniority.DIRECTOR


def test_it_imports_opportunities_with_stage_flags():
    import_salesforce_basics()

    outcome = esp_import("salesforce", "opportunities", SALESFORCE / "Opportunity.csv")

    assert outcome.exit_code == 0
    assert outcome.report["created"] == Opportunity.objects.count() == 21
    won = Opportunity.objects.get(external_id="0065g0000000000010")
    assert (won.is_closed, won.is_won, won.amount, won.close_date) == (
        True,
        True,
        Decimal(310000),
        dt.date(2026, 3, 27),
    )
    assert won.capability_area == "Platform"
    assert won.opened_on == dt.date(2025, 11, 4)


def test_events_become_engagements_with_their_contact_and_owner():
    import_salesforce_basics()

    outcome = esp_import("salesforce", "activities", SALESFORCE / "Event.csv")

    assert outcome.exit_code == 0
    assert outcome.report["created"] == 40
    qbr = Engagement.objects.get(source="salesforce", external_id="00U5g0000000000002")
    assert qbr.kind == EngagementKind.QBR
    assert qbr.occurred_at == dt.datetime(2026, 2, 10, 13, 30, tzinfo=dt.UTC)
    assert qbr.ends_at == dt.datetime(2026, 2, 10, 14, 30, tzinfo=dt.UTC)
    assert qbr.account.external_id == "0015g0000000000001"
    assert [c.external_id for c in qbr.contacts.all()] == ["0035g0000000000011"]
    assert qbr.owner.external_id == "0055g0000000000003"
    assert list(qbr.attendees.all()) == [qbr.owner]
    roadmap_call = Engagement.objects.get(external_id="00U5g0000000000003")
    assert roadmap_call.kind == EngagementKind.CALL


def test_tasks_become_emails_calls_and_tasks_by_subtype():
    import_salesforce_basics()

    outcome = esp_import("salesforce", "activities", SALESFORCE / "Task.csv")

    assert outcome.exit_code == 0
    assert outcome.report["created"] == 40
    kinds = dict(Engagement.objects.filter(external_id__startswith="00T").values_list("external_id", "kind"))
    assert kinds["00T5g0000000000001"] == EngagementKind.EMAIL
    assert kinds["00T5g0000000000002"] == EngagementKind.CALL
    assert kinds["00T5g0000000000003"] == EngagementKind.TASK
    email = Engagement.objects.get(external_id="00T5g0000000000001")
    assert email.occurred_at.date() == dt.date(2026, 1, 5) and not email.two_way


def test_reimporting_activities_changes_nothing():
    import_salesforce_basics()
    esp_import("salesforce", "activities", SALESFORCE / "Event.csv")

    again = esp_import("salesforce", "activities", SALESFORCE / "Event.csv")

    assert (again.report["created"], again.report["updated"], again.report["unchanged"]) == (0, 0, 40)
    assert Engagement.objects.count() == 40
    assert EngagementContact.objects.count() == 40
    assert EngagementAttendee.objects.count() == 40


def test_every_sample_file_imports_cleanly_in_order():
    import_salesforce_basics()
    for kind, name in (("opportunities", "Opportunity.csv"), ("activities", "Event.csv"), ("activities", "Task.csv")):
        outcome = esp_import("salesforce", kind, SALESFORCE / name)
        assert outcome.exit_code == 0 and outcome.report["errors"] == [], name
    assert Engagement.objects.count() == 80
