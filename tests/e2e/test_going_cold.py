"""In a real browser, on a clock the test controls (ESP_CADENCE_AS_OF): a sponsorship goes at risk on day 12
and overdue after day 14; a quick e-mail that does not count leaves it overdue; a meeting that counts clears it."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import EngagementFactory

pytestmark = pytest.mark.django_db(transaction=True)

DAY_0 = dt.date(2026, 3, 2)


def day(n: int) -> dt.date:
    return DAY_0 + dt.timedelta(days=n)


def test_a_sponsor_watches_their_sponsorship_go_cold_and_come_back(cast, sign_in, live_server, settings):
    sponsorship = cast.sponsored_account.sponsorships.get()
    EngagementFactory(
        account=cast.sponsored_account,
        sponsorship=sponsorship,
        occurred_at=dt.datetime(2026, 3, 2, 15, tzinfo=dt.UTC),
    )
    page = sign_in("sam.sponsor")  # their own going-cold list: the accounts they sponsor
    going_cold = f"{live_server.url}/engagements/going-cold/"

    settings.ESP_CADENCE_AS_OF = day(11)
    page.goto(going_cold)
    assert page.get_by_text("Nothing is going cold").is_visible()

    settings.ESP_CADENCE_AS_OF = day(12)
    page.goto(going_cold)
    row = page.locator("table.going-cold tbody tr")
    assert row.count() == 1
    assert "Blue Harbor Bank" in row.inner_text()
    assert row.locator(".cadence-badge").inner_text() == "Cadence at risk · day 12"

    settings.ESP_CADENCE_AS_OF = day(15)
    page.goto(going_cold)
    assert row.locator(".cadence-badge").inner_text() == "Cadence overdue · 1 day late"

    # A quick e-mail on day 15 with one rubric item: logged on the sponsorship, but it does not count.
    new = f"{live_server.url}/accounts/{cast.sponsored_account.pk}/engagements/new/"
    page.goto(new)
    assert page.locator("#id_occurred_on").input_value() == day(15).isoformat()  # the form's today is the clock's
    page.select_option("#id_kind", "email")
    page.check("#id_learned_something_new")
    page.click("form.engagement-log button[type=submit]")
    page.wait_for_url(f"**/accounts/{cast.sponsored_account.pk}/**")
    page.goto(going_cold)
    assert row.locator(".cadence-badge").inner_text() == "Cadence overdue · 1 day late"

    # A meeting that counts resets the clock.
    page.goto(new)
    page.check("#id_discussed_strategy")
    page.check("#id_next_step_agreed")
    page.click("form.engagement-log button[type=submit]")
    page.wait_for_url(f"**/accounts/{cast.sponsored_account.pk}/**")
    page.goto(going_cold)
    assert page.get_by_text("Nothing is going cold").is_visible()
    logged = sponsorship.engagements.order_by("pk")
    assert [e.counts for e in logged] == [True, False, True]
