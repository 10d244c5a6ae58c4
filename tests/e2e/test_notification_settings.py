"""In the browser: a sponsor turns the digest off from the user menu; an admin opens Jobs and the webhooks."""

from __future__ import annotations

import pytest

from execsponsor.notify.models import NotificationPreference

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_sponsor_turns_the_digest_off_from_the_user_menu(cast, sign_in, live_server):
    page = sign_in("sam.sponsor", then=None)
    page.click("#user-menu")
    page.click("nav a[href='/settings/notifications/']")
    page.wait_for_url(f"{live_server.url}/settings/notifications/")
    assert page.locator("#id_digest").input_value() == "email"
    assert page.locator("#id_digest_frequency").input_value() == "weekly"
    page.select_option("#id_digest", "off")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/settings/notifications/")
    assert page.get_by_text("Saved: you will receive what you chose.").is_visible()
    assert page.locator("#id_digest").input_value() == "off"
    assert NotificationPreference.objects.get(user=cast.sponsor).digest == "off"


def test_an_admin_opens_the_jobs_page_and_the_chat_webhooks(cast, sign_in, live_server):
    page = sign_in("ada.admin", then="/people/")
    page.click("text=Background jobs")
    page.wait_for_url(f"{live_server.url}/jobs/")
    assert page.locator("tr[data-job='cadence-sweep']").is_visible()
    assert page.get_by_text("Nothing failed: every message went out.").is_visible()
    page.click("text=Chat webhooks")
    page.wait_for_url(f"{live_server.url}/notifications/webhooks/")
    page.fill("#id_name", "#sponsors")
    page.fill("#id_url", "https://10.0.0.5/hooks/x")
    page.click("form.card button[type=submit]")
    assert page.get_by_text("a private or reserved address").is_visible()
