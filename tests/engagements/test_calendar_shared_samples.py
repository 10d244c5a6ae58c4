"""The two sample exports in shared/data/calendar (a Google export, an Outlook invitation) import as they read."""

from __future__ import annotations

import datetime as dt

import pytest

from execsponsor.common.constraints import Source
from execsponsor.customers.models import Contact
from execsponsor.engagements.models import Engagement
from execsponsor.users.models import Role
from tests.customers.importing_support import SHARED, esp
from tests.engagements.calendar_support import WINDOW
from tests.factories import AccountFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

CALENDAR = SHARED / "calendar"


@pytest.fixture
def sample_company(db):
    morgan = UserFactory(username="morgan.vale", first_name="Morgan", last_name="Vale", role=Role.EXECUTIVE)
    UserFactory(username="dana.kim", role=Role.CSM)
    blue = AccountFactory(name="Blue Harbor Bank", domain="blue.example")
    elena = ContactFactory(account=blue, first_name="Elena", last_name="Okafor", email="elena.okafor@blue.example")
    sakura = AccountFactory(name="Sakura Denki", domain="sakura.example")
    muller = AccountFactory(name="Müller & Söhne", domain="muller.example")
    return {"morgan": morgan, "blue": blue, "elena": elena, "sakura": sakura, "muller": muller}


def test_the_google_sample(sample_company):
    outcome = esp("import", "calendar", CALENDAR / "google-export.ics", "--json", *WINDOW)
    assert outcome.exit_code == 0, outcome.stdout
    report = outcome.report
    # The exec sync, six fortnightly Sakura calls (2 Sep – 11 Nov), the all-day offsite.
    assert (report["events"], report["created"]) == (8, 7)
    assert [(s["uid"], s["reason"]) for s in report["skipped"]] == [
        ("allday-offsite-1@google.com", "all-day event (not a meeting)")
    ]
    assert report["unmatched_attendees"] == ["hiro.nakamura@sakura.example"]
    assert report["proposed_contacts"] == [
        {
            "email": "hiro.nakamura@sakura.example",
            "name": "Hiro Nakamura",
            "account": "Sakura Denki",
            "account_id": sample_company["sakura"].pk,
        }
    ]
    sync = Engagement.objects.get(source=Source.CALENDAR, external_id="7kukuqrfedlm2f9t0vn4u8@google.com")
    assert sync.account == sample_company["blue"]
    assert sync.occurred_at == dt.datetime(2026, 9, 15, 14, 0, tzinfo=dt.UTC)  # 10:00 EDT
    assert list(sync.contacts.all()) == [sample_company["elena"]]
    assert sync.owner == sample_company["morgan"]
    # The last call, 11 November, is after the clocks went back: 09:00 EST is 14:00 UTC.
    last = Engagement.objects.filter(account=sample_company["sakura"]).order_by("-occurred_at").first()
    assert last.occurred_at == dt.datetime(2026, 11, 11, 14, 0, tzinfo=dt.UTC)


def test_the_outlook_invitation_and_its_attendee_as_a_new_contact(sample_company):
    outcome = esp("import", "calendar", CALENDAR / "outlook-invite.ics", "--json", *WINDOW, "--create-contacts")
    assert outcome.exit_code == 0, outcome.stdout
    assert (outcome.report["created"], outcome.report["contacts_created"]) == (1, 1)
    jonas = Contact.objects.get(email="jonas.schafer@muller.example")
    # CN="Schäfer, Jonas": Outlook writes the last name first.
    assert (jonas.first_name, jonas.last_name, jonas.account) == ("Jonas", "Schäfer", sample_company["muller"])
    ebr = Engagement.objects.get(source=Source.CALENDAR)
    assert ebr.subject == "EBR – Müller & Söhne"
    assert ebr.occurred_at == dt.datetime(2026, 11, 4, 13, 0, tzinfo=dt.UTC)  # 14:00 CET
    assert ebr.ends_at == dt.datetime(2026, 11, 4, 14, 30, tzinfo=dt.UTC)
    assert list(ebr.contacts.all()) == [jonas]
    assert list(ebr.attendees.all()) == [sample_company["morgan"]]  # the organiser, Morgan.Vale@… in capitals
