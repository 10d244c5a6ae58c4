"""The calendar fixture files, the window every calendar test names, and the company the files talk about."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from execsponsor.users.models import Role
from tests.factories import AccountFactory, ContactFactory, ExecutiveFactory, SponsorshipFactory, UserFactory

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "calendar"
GOOGLE = FIXTURES / "google.ics"
OUTLOOK = FIXTURES / "outlook.ics"
# Every test names its window: the fixtures' meetings are in 2026 whatever the day the tests run.
WINDOW = ("--since", "2026-01-01", "--until", "2027-01-01")


@dataclass
class CalendarCompany:
    priya: object  # AE, organizer of the Google meetings
    sponsor: object  # sam.sponsor, organizer of the Outlook meetings
    owner: object
    northwind: object
    contoso: object
    fabrikam: object
    kofi: object
    hanna: object
    contoso_sponsorship: object


@pytest.fixture
def calendar_company(db) -> CalendarCompany:
    priya = UserFactory(
        username="priya.rao", first_name="Priya", last_name="Rao", email="priya.rao@ourco.example",
        role=Role.ACCOUNT_EXECUTIVE,
    )  # fmt: skip
    owner = UserFactory(username="olivia.owner", email="olivia.owner@ourco.example", role=Role.PROGRAM_OWNER)
    sponsor = ExecutiveFactory(user__username="sam.sponsor", user__email="sam.sponsor@ourco.example").user
    northwind = AccountFactory(name="Northwind Traders", domain="northwind.example", owner=priya)
    contoso = AccountFactory(name="Contoso Gruppe", domain="contoso.example")
    fabrikam = AccountFactory(name="Fabrikam", domain="fabrikam.example", owner=priya)
    kofi = ContactFactory(account=northwind, first_name="Kofi", last_name="Osei", email="k.osei@northwind.example")
    # Stored with capitals, as CRMs often do: matching ignores case on both sides.
    hanna = ContactFactory(account=contoso, first_name="Hanna", last_name="Vogel", email="Hanna.Vogel@contoso.example")
    sponsorship = SponsorshipFactory(account=contoso, executive=sponsor.executive)
    return CalendarCompany(
        priya=priya,
        sponsor=sponsor,
        owner=owner,
        northwind=northwind,
        contoso=contoso,
        fabrikam=fabrikam,
        kofi=kofi,
        hanna=hanna,
        contoso_sponsorship=sponsorship,
    )
