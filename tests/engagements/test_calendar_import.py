"""esp import calendar on the Google and Outlook fixtures: what is imported, what is skipped and why, re-imports.

Expected values are read off the fixture files by hand (tests/fixtures/calendar/*.ics); the window is 2026."""

from __future__ import annotations

import datetime as dt

import pytest

from execsponsor.common.constraints import Source
from execsponsor.customers.models import Contact
from execsponsor.engagements.models import Engagement
from execsponsor.engagements.selectors import engagements_awaiting_rubric
from tests.engagements.calendar_support import GOOGLE, OUTLOOK, WINDOW
from tests.exchange.importing_support import esp

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def esp_calendar(path, *options):
    return esp("import", "calendar", path, "--json", *WINDOW, *options)


def skipped_reasons(report) -> dict[str, list[tuple[str, int]]]:
    reasons: dict[str, list[tuple[str, int]]] = {}
    for entry in report["skipped"]:
        reasons.setdefault(entry["uid"], []).append((entry["reason"], entry["occurrences"]))
    return reasons


def calendar_engagements():
    return Engagement.objects.filter(source=Source.CALENDAR)


def test_google_export_imports_the_customer_meetings_and_says_why_it_skips_the_rest(calendar_company):
    outcome = esp_calendar(GOOGLE)
    assert outcome.exit_code == 0, outcome.stdout
    report = outcome.report
    # g1 + four of g2 (five weeks minus the EXDATE) + g3, g4, g5, g6, g7, g9; g8 is from 2025.
    assert report["events"] == 11
    assert (report["created"], report["updated"], report["errors"]) == (5, 0, [])
    reasons = skipped_reasons(report)
    assert reasons["g2-weekly-77c1@google.com"] == [("cancelled", 1)]
    assert reasons["g3-siteday-0b2e@google.com"] == [("all-day event (not a meeting)", 1)]
    assert reasons["g4-pipeline-91dd@google.com"] == [("internal only: every attendee is one of our people", 1)]
    assert reasons["g5-focus-5a10@google.com"] == [("no attendees", 1)]
    assert reasons["g6-lunch-c4f2@google.com"] == [("cancelled", 1)]
    assert reasons["g7-stranger-e9e9@google.com"][0][0].startswith("no account matches the external attendees")
    assert "g8-old-2025@google.com" not in reasons
    assert report["unmatched_attendees"] == [
        "lena.moreau@eu.fabrikam.example",
        "nia.patel@northwind.example",
        "rob.lane@nowhere-inc.example",
    ]
    assert sorted((p["email"], p["name"], p["account"]) for p in report["proposed_contacts"]) == [
        ("lena.moreau@eu.fabrikam.example", "Lena Moreau", "Fabrikam"),
        ("nia.patel@northwind.example", "Nia Patel", "Northwind Traders"),
    ]
    assert calendar_engagements().count() == 5


def test_a_meeting_records_both_sides_its_time_in_utc_and_waits_for_the_rubric(calendar_company):
    company = calendar_company
    esp_calendar(GOOGLE)
    strategy = calendar_engagements().get(external_id="g1-strategy-3f8a@google.com")
    assert strategy.account == company.northwind
    assert strategy.subject == "Northwind <> OurCo strategy session"
    # Daylight time in Chicago starts on the second Sunday of March (8 March 2026): 10:00 CDT is 15:00 UTC.
    assert strategy.occurred_at == dt.datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    assert strategy.ends_at == dt.datetime(2026, 3, 10, 16, 0, tzinfo=UTC)
    assert list(strategy.contacts.all()) == [company.kofi]  # K.Osei@Northwind.Example in the file
    assert list(strategy.attendees.all()) == [company.priya]
    assert strategy.owner == company.priya
    assert strategy.rubric_pending is True
    assert strategy.counts is False
    assert "warehouse automation" in strategy.notes


def test_recurring_series_honours_exdate_moved_and_cancelled_occurrences(calendar_company):
    esp_calendar(GOOGLE)
    weekly = calendar_engagements().filter(external_id__startswith="g2-weekly-77c1@google.com|")
    # 1, 8 April at 09:00 CDT (14:00 UTC); the 15th is an EXDATE; the 22nd moved to the 23rd at 11:00 (16:00 UTC);
    # the 29th is cancelled.
    assert sorted((e.external_id.split("|")[1], e.occurred_at, e.subject) for e in weekly) == [
        ("20260401T140000Z", dt.datetime(2026, 4, 1, 14, 0, tzinfo=UTC), "Northwind weekly sponsor sync"),
        ("20260408T140000Z", dt.datetime(2026, 4, 8, 14, 0, tzinfo=UTC), "Northwind weekly sponsor sync"),
        (
            "20260422T140000Z",
            dt.datetime(2026, 4, 23, 16, 0, tzinfo=UTC),
            "Northwind weekly sponsor sync (moved to Thursday)",
        ),
    ]


def test_domain_of_an_unknown_attendee_finds_the_account(calendar_company):
    esp_calendar(GOOGLE)
    intro = calendar_engagements().get(external_id="g9-fabrikam-intro@google.com")
    # lena.moreau@eu.fabrikam.example: no contact, but fabrikam.example is Fabrikam's domain.
    assert intro.account == calendar_company.fabrikam
    assert intro.contacts.count() == 0


def test_outlook_windows_and_customized_time_zones_come_from_the_files_vtimezone(calendar_company):
    company = calendar_company
    outcome = esp_calendar(OUTLOOK)
    assert outcome.exit_code == 0, outcome.stdout
    report = outcome.report
    assert (report["events"], report["created"]) == (5, 3)
    ebr = calendar_engagements().get(subject="EBR – Contoso Gruppe")
    # W. Europe Standard Time in July is +02:00: 14:00 → 12:00 UTC.
    assert ebr.occurred_at == dt.datetime(2026, 7, 8, 12, 0, tzinfo=UTC)
    assert ebr.ends_at == dt.datetime(2026, 7, 8, 13, 30, tzinfo=UTC)
    # The file's "Customized Time Zone" is +05:30 all year: 09:30 → 04:00 UTC.
    steering = calendar_engagements().get(subject="Contoso steering (Pune office)")
    assert steering.occurred_at == dt.datetime(2026, 2, 10, 4, 0, tzinfo=UTC)
    # Both sides, the sponsor's sponsorship; the meeting room is not a person.
    assert list(ebr.contacts.all()) == [company.hanna]
    assert list(ebr.attendees.all()) == [company.sponsor]
    assert ebr.sponsorship == company.contoso_sponsorship
    assert report["unmatched_attendees"] == []
    assert len(ebr.external_id) <= 64  # Outlook's UID is 112 characters


def test_office_365_date_time_recurrence_id_replaces_the_all_day_occurrence(calendar_company):
    report = esp_calendar(OUTLOOK).report
    # Three all-day days from 7 September; the 8th (RECURRENCE-ID 00:00 W. Europe) became a timed lunch.
    assert skipped_reasons(report)["o3-onsite-week-0001"] == [("all-day event (not a meeting)", 2)]
    lunch = calendar_engagements().get(external_id__startswith="o3-onsite-week-0001|")
    assert lunch.occurred_at == dt.datetime(2026, 9, 8, 13, 0, tzinfo=UTC)
    assert lunch.subject == "Contoso on-site week: sponsor lunch"


def test_reimport_creates_nothing_and_a_changed_event_updates(calendar_company, tmp_path):
    assert esp_calendar(GOOGLE).report["created"] == 5
    again = esp_calendar(GOOGLE).report
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 5)
    assert calendar_engagements().count() == 5

    changed = GOOGLE.read_text(encoding="utf-8")
    changed = changed.replace("SUMMARY:Northwind <> OurCo strategy session", "SUMMARY:Northwind strategy (2027 plan)")
    changed = changed.replace(
        "DTSTART;TZID=America/Chicago:20260310T100000\nDTEND;TZID=America/Chicago:20260310T110000\n"
        "DTSTAMP:20260301T120000Z\nORGANIZER;CN=Priya Rao:mailto:priya.rao@ourco.example\nUID:g1-strategy-3f8a",
        "DTSTART;TZID=America/Chicago:20260311T100000\nDTEND;TZID=America/Chicago:20260311T110000\n"
        "DTSTAMP:20260301T120000Z\nORGANIZER;CN=Priya Rao:mailto:priya.rao@ourco.example\nUID:g1-strategy-3f8a",
    )
    changed = changed.replace(
        "SEQUENCE:0\nSTATUS:CONFIRMED\nSUMMARY:Northwind strategy",
        "SEQUENCE:1\nSTATUS:CONFIRMED\nSUMMARY:Northwind strategy",
    )
    path = tmp_path / "changed.ics"
    path.write_text(changed, encoding="utf-8")
    third = esp_calendar(path).report
    assert (third["created"], third["updated"], third["unchanged"]) == (0, 1, 4)
    strategy = calendar_engagements().get(external_id="g1-strategy-3f8a@google.com")
    assert strategy.subject == "Northwind strategy (2027 plan)"
    assert strategy.occurred_at == dt.datetime(2026, 3, 11, 15, 0, tzinfo=UTC)
    assert calendar_engagements().count() == 5


def test_a_cancelled_reimport_removes_the_meeting_still_waiting_for_its_rubric(calendar_company, tmp_path):
    esp_calendar(GOOGLE)
    text = GOOGLE.read_text(encoding="utf-8").replace(
        "SEQUENCE:0\nSTATUS:CONFIRMED\nSUMMARY:Northwind <> OurCo strategy session",
        "SEQUENCE:1\nSTATUS:CANCELLED\nSUMMARY:Northwind <> OurCo strategy session",
    )
    path = tmp_path / "cancelled.ics"
    path.write_text(text, encoding="utf-8")
    report = esp_calendar(path).report
    assert report["removed"] == 1
    assert not calendar_engagements().filter(external_id="g1-strategy-3f8a@google.com").exists()


def test_dry_run_writes_nothing_and_reports_the_same_counts(calendar_company):
    outcome = esp_calendar(GOOGLE, "--dry-run")
    assert outcome.exit_code == 0
    assert (outcome.report["created"], outcome.report["dry_run"], outcome.report["written"]) == (5, True, False)
    assert calendar_engagements().count() == 0


def test_create_contacts_adds_the_proposed_attendees_and_links_them(calendar_company):
    report = esp_calendar(GOOGLE, "--create-contacts").report
    assert report["contacts_created"] == 2
    nia = Contact.objects.get(email="nia.patel@northwind.example")
    assert (nia.account, nia.first_name, nia.last_name) == (calendar_company.northwind, "Nia", "Patel")
    strategy = calendar_engagements().get(external_id="g1-strategy-3f8a@google.com")
    assert set(strategy.contacts.all()) == {calendar_company.kofi, nia}
    assert report["unmatched_attendees"] == ["rob.lane@nowhere-inc.example"]
    assert not Contact.objects.filter(email="rob.lane@nowhere-inc.example").exists()


def test_imported_meetings_wait_for_the_sponsors_rubric(calendar_company):
    esp_calendar(OUTLOOK)
    waiting = engagements_awaiting_rubric(calendar_company.sponsor)
    # The sponsor organised all three (February, July, September 2026: all in the past).
    assert sorted(e.subject for e in waiting) == [
        "Contoso on-site week: sponsor lunch",
        "Contoso steering (Pune office)",
        "EBR – Contoso Gruppe",
    ]
    assert all(e.counts is False for e in calendar_engagements())
    assert list(engagements_awaiting_rubric(calendar_company.priya)) == []
