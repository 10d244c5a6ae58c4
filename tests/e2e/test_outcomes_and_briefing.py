"""In a real browser under the Content-Security-Policy: the sponsor adds an outcome, meets the evidence rule,
marks it delivered, records what an advocate did, and opens the briefing pack; no policy violation."""

from __future__ import annotations

import pytest

from execsponsor.customers.models import Outcome
from execsponsor.customers.services_outcomes import advocate_create
from tests.e2e.test_content_security_policy import _violations, _watch
from tests.factories import PASSWORD, ContactFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def page(browser):
    """A page that obeys the policy (the shared fixture bypasses it)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_the_sponsor_records_an_outcome_and_an_advocacy_then_reads_the_pack(cast, page, live_server):
    account = cast.sponsored_account
    contact = ContactFactory(account=account, first_name="Søren", last_name="Jørgensen", title="CFO")
    advocate = advocate_create(by=cast.owner, contact=contact, fields={"agreed_to": ["reference_call"]})
    console = _watch(page)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "sam.sponsor")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/accounts/{account.pk}/")
    page.wait_for_load_state("networkidle")

    page.click("#outcomes >> text=Add an outcome")
    page.fill("#outcome-new-form [name=title]", "Halve the time to approve a loan")
    page.select_option("#outcome-new-form [name=status]", "delivered")
    page.click("#outcome-new-form >> text=Save")
    page.locator("#outcome-new-form .invalid-feedback", has_text="what shows the result was delivered").wait_for()
    page.fill("#outcome-new-form [name=evidence]", "Approval took 4 days in Q3, down from 9")
    page.click("#outcome-new-form >> text=Save")
    page.locator("#outcomes .outcome", has_text="Halve the time to approve a loan").wait_for()
    assert "Approval took 4 days" in page.locator("#outcomes").inner_text()
    assert Outcome.objects.get().status == "delivered"

    page.click(f"#advocate-{advocate.pk} >> text=Record what they did")
    page.fill(f"#advocate-{advocate.pk} [name=note]", "Call with a prospect in Lisbon")
    page.click(f"#advocate-{advocate.pk} >> text=Save")
    page.locator("#advocates", has_text="Call with a prospect in Lisbon").wait_for()
    assert _violations(page, console) == []

    page.click("text=Briefing pack")
    page.wait_for_url(f"**/accounts/{account.pk}/briefing/")
    text = page.locator(".brief-page").inner_text()
    assert "Halve the time to approve a loan" in text and "Søren Jørgensen" in text
    assert _violations(page, console) == []
