"""In Chromium: the AE writes up and ticks their side of the alignment, the sponsor ticks theirs, and the
sponsorship, introduced, becomes active — the button waits, saying why, until both sides are complete."""

from __future__ import annotations

import pytest
from django.utils import timezone

from execsponsor.program.models import AlignmentChecklist, Sponsorship, SponsorshipStatus

pytestmark = pytest.mark.django_db(transaction=True)

ITEMS = ["account_strategy", "ae_promises", "open_opportunities", "customer_challenges", "sponsor_does_not_sell"]


def _sign_out(page, live_server):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")


def test_both_sides_tick_the_alignment_and_the_sponsorship_becomes_active(cast, sign_in, live_server):
    account = cast.sponsored_account
    account.owner = cast.ae
    account.save()
    sponsorship = account.sponsorships.get()
    Sponsorship.objects.filter(pk=sponsorship.pk).update(
        status=SponsorshipStatus.INTRODUCED, introduced_on=timezone.localdate()
    )
    charter = f"/program/sponsorships/{sponsorship.pk}/"

    # The AE opens the charter from the account page, writes up the items and ticks their side.
    page = sign_in("alex.ae", then=f"/accounts/{account.pk}/")
    page.click("text=Charter, alignment and lifecycle")
    page.wait_for_url(f"{live_server.url}{charter}")
    assert page.locator("#step-activate button").is_disabled()
    assert "the AE and the sponsor have not ticked" in page.locator("#why-activate").inner_text()
    page.click("text=Write up the items")
    page.fill("textarea[name=account_strategy]", "Expand from payments into treasury")
    page.fill("textarea[name=ae_promises]", "A roadmap session on instant payments")
    page.fill("textarea[name=open_opportunities]", "Treasury module, proposal stage")
    page.fill("textarea[name=customer_challenges]", "Core banking migration")
    page.click("text=Save the write-up")
    page.wait_for_selector("text=Alignment notes saved.")
    for item in ITEMS:
        page.check(f"#ae-{item}")
    page.click("text=Save my ticks (AE side)")
    page.wait_for_selector("text=Your side of the alignment is complete.")
    assert "complete" in page.locator("#alignment-ae-side").inner_text()
    assert "the sponsor has not ticked" in page.locator("#why-activate").inner_text()

    # The sponsor reads it, ticks their side and activates the sponsorship.
    _sign_out(page, live_server)
    page = sign_in("sam.sponsor", then=charter)
    assert "A roadmap session on instant payments" in page.locator("#alignment").inner_text()
    assert page.locator("#ae-ae_promises").count() == 0  # the AE's column is not theirs to tick
    for item in ITEMS:
        page.check(f"#sponsor-{item}")
    page.click("text=Save my ticks (sponsor side)")
    page.wait_for_selector("text=Your side of the alignment is complete.")
    assert page.locator("#step-activate button").is_enabled()
    page.click("#step-activate button")
    page.wait_for_selector("text=The sponsorship is now active.")
    assert page.locator("#sponsorship-status").inner_text() == "Active"

    sponsorship.refresh_from_db()
    assert sponsorship.status == SponsorshipStatus.ACTIVE
    alignment = AlignmentChecklist.objects.get(sponsorship=sponsorship)
    assert (alignment.ae_by, alignment.sponsor_by) == (cast.ae, cast.sponsor)
    assert sponsorship.history.latest().history_user == cast.sponsor


def test_the_charter_pages_run_under_the_content_security_policy(cast, browser, live_server):
    from tests.factories import PASSWORD

    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone, and the policy obeyed
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "olivia.owner")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        sponsorship = cast.sponsored_account.sponsorships.get()
        page.goto(f"{live_server.url}/program/sponsorships/{sponsorship.pk}/")
        page.wait_for_load_state("networkidle")
        page.click("text=Edit the charter")
        assert page.locator("textarea[name=charter_expectations]").is_visible()
        page.goto(f"{live_server.url}/program/charters/")
        page.wait_for_load_state("networkidle")
        assert page.locator("#charter-executive").is_visible()
        assert violations == []
    finally:
        context.close()
