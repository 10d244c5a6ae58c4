"""In a real browser: a sponsor logs an engagement that counts in at most ten interactions, on a laptop (from
the account's log form) and on a 390 px phone (from the sponsor's home); the counts badge follows the rubric
as it is ticked."""

from __future__ import annotations

import pytest

from execsponsor.engagements.models import Engagement
from execsponsor.playbooks.models import Task
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db(transaction=True)

MAX_INTERACTIONS = 10


class Counted:
    """The page's fills, clicks, checks and selects, counted: logging must take no more than ten."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def __getattr__(self, name):
        action = getattr(self.page, name)
        if name not in ("fill", "click", "check", "select_option", "press", "type"):
            return action

        def counted(*args, **kwargs):
            self.count += 1
            return action(*args, **kwargs)

        return counted


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in_on(page, live_server, username):
    from tests.factories import PASSWORD

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def log_one(page, live_server, account, *, subject_hint, from_home=False):
    counted = Counted(page)
    if from_home:  # the sponsor's home: each sponsored account's card has the button
        page.goto(f"{live_server.url}/")
        counted.click(f"article.sponsored-account:has-text('{account.name}') a.log-engagement")
        page.wait_for_url(f"**/accounts/{account.pk}/engagements/new/")
    else:
        page.goto(f"{live_server.url}/accounts/{account.pk}/engagements/new/")
    counted.select_option("#id_kind", "call")
    counted.fill("#id_contact_1", "Grace Okafor")
    counted.check("#id_discussed_strategy")
    page.wait_for_selector('#counts-badge :text("Doesn\'t count yet")')
    counted.check("#id_next_step_agreed")
    page.wait_for_selector("#counts-badge .badge:text-is('Counts')")  # shown as it is filled, before saving
    counted.fill("#id_outcome", f"Agreed a pilot ({subject_hint})")
    counted.click("form.engagement-log summary")
    counted.fill("#id_commitment_1_description", "Send the pilot plan")
    counted.click("form.engagement-log button[type=submit]")
    page.wait_for_url(f"**/accounts/{account.pk}/**")
    assert counted.count <= MAX_INTERACTIONS
    return counted.count


def test_a_sponsor_logs_an_engagement_that_counts_on_a_laptop(cast, page, live_server):
    ContactFactory(account=cast.sponsored_account, first_name="Grace", last_name="Okafor", title="CIO")
    sign_in_on(page, live_server, "sam.sponsor")
    assert page.viewport_size["width"] == 1280
    # The type-ahead offers the account's contacts.
    page.goto(f"{live_server.url}/accounts/{cast.sponsored_account.pk}/engagements/new/")
    assert page.locator("#theirs-people option[value='Grace Okafor']").count() == 1
    interactions = log_one(page, live_server, cast.sponsored_account, subject_hint="laptop")
    assert interactions == 8
    item = page.locator("#engagement-timeline .timeline-item").first
    assert "Call with Blue Harbor Bank" in item.inner_text()
    assert item.locator(".badge:text-is('Counts')").count() == 1
    engagement = Engagement.objects.get()
    assert engagement.counts and list(engagement.contacts.values_list("last_name", flat=True)) == ["Okafor"]
    assert engagement.sponsorship == cast.sponsored_account.sponsorships.get()
    assert Task.objects.get().title == "Send the pilot plan"


def test_a_sponsor_logs_an_engagement_on_a_390px_phone(cast, phone, live_server):
    ContactFactory(account=cast.sponsored_account, first_name="Grace", last_name="Okafor", title="CIO")
    sign_in_on(phone, live_server, "sam.sponsor")
    phone.goto(f"{live_server.url}/accounts/{cast.sponsored_account.pk}/engagements/new/")
    # Nothing wider than the phone: no sideways scrolling to reach a field.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # From the sponsor's home, the button on the account's card included: still at most ten interactions.
    assert log_one(phone, live_server, cast.sponsored_account, subject_hint="phone", from_home=True) == 9
    item = phone.locator("#engagement-timeline .timeline-item").first
    assert item.locator(".badge:text-is('Counts')").count() == 1
    assert Engagement.objects.get().counts is True
