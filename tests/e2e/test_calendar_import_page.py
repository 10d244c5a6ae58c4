"""An AE imports their calendar on a 390 px phone: upload, preview, one new contact, commit, then the rubric."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from execsponsor.common.constraints import Source
from execsponsor.customers.models import Contact
from execsponsor.engagements.models import Engagement
from tests.engagements import calendar_support
from tests.engagements.calendar_support import GOOGLE

pytestmark = pytest.mark.django_db(transaction=True)
calendar_company = calendar_support.calendar_company


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_ae_imports_a_calendar_and_answers_a_rubric_on_a_phone(calendar_company, sign_in, live_server):
    page = sign_in("priya.rao")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/engagements/calendar/")
    page.set_input_files("#id_file", str(GOOGLE))
    page.fill("#id_since", "2026-01-01")
    page.fill("#id_until", "2027-01-01")
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="Upload and preview").click()

    page.wait_for_url(re.compile(r".*/engagements/calendar/[\w-]+/$"))
    expect(page.locator("[data-count=created]")).to_have_text("5")
    expect(page.locator("#calendar-skipped")).to_contain_text("no attendees")
    assert no_sideways_scroll(page)
    page.get_by_label(re.compile("nia.patel@northwind.example")).check()
    page.get_by_role("button", name="Import 5 meetings").click()

    expect(page.get_by_role("alert")).to_contain_text("5 meetings created, 0 updated, 0 unchanged, 1 new contact")
    assert Engagement.objects.filter(source=Source.CALENDAR).count() == 5
    assert Contact.objects.filter(email="nia.patel@northwind.example", account=calendar_company.northwind).exists()

    page.get_by_role("link", name="Meetings waiting for your rubric").click()
    strategy = Engagement.objects.get(external_id="g1-strategy-3f8a@google.com")
    card = page.locator(f"#rubric-{strategy.pk}")
    assert no_sideways_scroll(page)
    card.get_by_label(re.compile("customer's strategy")).check()
    card.get_by_label("Next step agreed").check()
    card.get_by_role("button", name="Save the rubric").click()

    expect(page.get_by_role("alert")).to_contain_text("it counts")
    strategy.refresh_from_db()
    assert (strategy.counts, strategy.rubric_pending) == (True, False)
