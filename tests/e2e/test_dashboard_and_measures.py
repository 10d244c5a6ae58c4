"""The program dashboard, the measures and the scorecards in a real browser under the Content-Security-Policy:
the charts draw from the nightly job's stored measures, the links lead through measures to one executive's
scorecard, and on a 390 px phone nothing is wider than the screen."""

from __future__ import annotations

import datetime as dt

import pytest

from execsponsor.insights.measures import snapshot_record
from execsponsor.users.services import system_user
from tests.e2e.test_content_security_policy import _violations, _watch, page  # noqa: F401 — the policy-obeying page
from tests.factories import PASSWORD, EngagementFactory, ExecutiveFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def program(cast):
    """Two executives sponsoring since the autumn, an engagement that counts, and the nightly measures stored."""
    sponsorship = cast.sponsored_account.sponsorships.get()
    sponsorship.started_on = dt.date(2026, 9, 1)
    sponsorship.save()
    other = ExecutiveFactory(user__username="otto.other", user__first_name="Otto", user__last_name="Other")
    SponsorshipFactory(account=cast.other_account, executive=other, started_on=dt.date(2026, 10, 1))
    EngagementFactory(account=cast.sponsored_account, sponsorship=sponsorship, counts=True)
    snapshot_record(by=system_user())
    return sponsorship


def _sign_in(page, live_server, username: str, then: str) -> None:  # noqa: F811
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}{then}")


def test_the_owner_reads_the_dashboard_charts_then_measures_then_a_scorecard(cast, program, page, live_server):  # noqa: F811
    console = _watch(page)
    _sign_in(page, live_server, "olivia.owner", "/program/dashboard/")
    for chart in ("#leading-chart", "#lagging-chart", "#loads-chart"):
        page.locator(f"{chart} svg").first.wait_for()
        assert page.locator(chart).bounding_box()["height"] > 100, chart
    assert "As computed by the nightly job" in page.locator("main").inner_text()
    assert _violations(page, console) == []

    page.click("text=All measures")
    page.wait_for_url("**/program/measures/")
    executives = page.locator("#measures-executives").inner_text()
    assert "Otto Other" in executives and program.executive.user.get_full_name() in executives
    assert cast.sponsored_account.name in page.locator("#measures-accounts").inner_text()

    page.goto(f"{live_server.url}/program/scorecards/")
    page.click("text=Otto Other")
    page.wait_for_url("**/program/scorecards/*/")
    text = page.locator("main").inner_text()
    assert "Otto Other" in text and cast.other_account.name in text
    assert _violations(page, console) == []


def test_on_a_phone_the_dashboard_and_the_measures_fit_the_screen(cast, program, browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    try:
        _sign_in(phone, live_server, "victor.viewer", "/program/dashboard/")
        phone.locator("#leading-chart svg").first.wait_for()
        for path in ("/program/dashboard/", "/program/measures/", "/program/scorecards/"):
            phone.goto(f"{live_server.url}{path}")
            phone.wait_for_load_state("networkidle")
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} is {width} px wide on a 390 px phone"
    finally:
        context.close()
