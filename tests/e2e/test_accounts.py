"""In a real browser: a program owner filters the accounts list, opens an account, reads it; and on a phone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from execsponsor.customers.models import Segment
from tests.factories import (
    AccountFactory,
    ContactFactory,
    EngagementFactory,
    QuarterlyRevenueFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def customers(cast):
    """The cast's accounts plus a few in other segments, one of them with contacts, revenue and engagements."""
    AccountFactory(name="Acme Logistics", segment=Segment.MID_MARKET, arr=Decimal("90000"))
    AccountFactory(name="Northwind Traders", segment=Segment.SMB, arr=Decimal("25000"))
    AccountFactory(name="Initech", segment=Segment.SMB, arr=Decimal("61000"))
    account = cast.sponsored_account
    cio = ContactFactory(account=account, first_name="Grace", last_name="Okafor", title="CIO", seniority="c_level")
    ContactFactory(account=account, first_name="Hiro", last_name="Tanaka", title="VP Platform", reports_to=cio)
    for quarter, revenue in enumerate(("110000", "125000", "131500", "140250"), start=1):
        QuarterlyRevenueFactory(account=account, year=2026, quarter=quarter, revenue=Decimal(revenue))
    for days in range(1, 13):
        EngagementFactory(
            account=account, subject=f"Working session {days}", occurred_at=timezone.now() - dt.timedelta(days=days)
        )
    return account


def result_names(page) -> list[str]:
    return page.locator("#account-results tbody td.account-name > a").all_inner_texts()


def test_a_program_owner_filters_by_segment_and_the_address_follows(cast, customers, sign_in, live_server):
    page = sign_in("olivia.owner")
    assert "Blue Harbor Bank" in result_names(page)
    page.select_option("#id_segment", "smb")
    page.wait_for_url("**/accounts/?*segment=smb*")
    page.wait_for_function("document.querySelectorAll('#account-results tbody tr').length === 2")
    assert result_names(page) == ["Initech", "Northwind Traders"]
    page.reload()  # the filtered address is shareable: it renders the same results on its own
    assert result_names(page) == ["Initech", "Northwind Traders"]
    assert page.locator("#id_segment").input_value() == "smb"


def test_a_program_owner_searches_and_opens_an_account(cast, customers, sign_in):
    page = sign_in("olivia.owner")
    page.fill("#id_q", "harbor")
    page.wait_for_url("**/accounts/?*q=harbor*")
    page.wait_for_function("document.querySelectorAll('#account-results tbody tr').length === 1")
    assert result_names(page) == ["Blue Harbor Bank"]
    page.click("text=Blue Harbor Bank")
    page.wait_for_url(f"**/accounts/{customers.pk}/")
    contacts = page.locator("#contacts table")
    assert "Grace Okafor" in contacts.inner_text()
    assert "Hiro Tanaka" in contacts.inner_text()
    chart = page.locator("#revenue-chart")
    chart.locator("svg").first.wait_for()
    assert chart.bounding_box()["height"] > 100
    assert "2026 Q4" in chart.inner_text() or chart.get_attribute("data-drawn") == "true"


def test_sorting_by_a_column_header_reorders_the_list(cast, customers, sign_in):
    page = sign_in("olivia.owner")
    page.click("#account-results th >> text=ARR")
    page.wait_for_url("**/accounts/?sort=-arr*")
    names = result_names(page)
    assert names[-1] == "Northwind Traders"
    assert page.locator("#id_sort").input_value() == "-arr"


def test_older_engagements_load_without_leaving_the_page(cast, customers, sign_in, live_server):
    page = sign_in("olivia.owner")
    page.goto(f"{live_server.url}/accounts/{customers.pk}/")
    timeline = page.locator("#engagement-timeline .timeline-item")
    assert timeline.count() == 10
    page.click("text=Load older engagements")
    page.wait_for_function("document.querySelectorAll('#engagement-timeline .timeline-item').length === 12")
    assert page.url.endswith(f"/accounts/{customers.pk}/")
    assert "Working session 12" in page.locator("#engagement-timeline").inner_text()


def test_an_account_executive_sees_only_their_accounts(cast, customers, sign_in):
    page = sign_in("alex.ae")
    assert result_names(page) == ["Cobalt Health Systems"]


def test_the_accounts_list_fits_a_phone(cast, customers, browser, live_server):
    from tests.factories import PASSWORD

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "olivia.owner")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/accounts/")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        assert page.locator("#account-results td.account-name").first.is_visible()
        assert page.locator("#id_q").is_visible()
        page.goto(f"{live_server.url}/accounts/{customers.pk}/")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
    finally:
        context.close()


def test_a_program_owner_picks_an_owner_by_typing_part_of_their_name(cast, customers, sign_in):
    page = sign_in("olivia.owner")
    page.fill("#id_owner_search", cast.ae.last_name[:4].lower())
    choice = page.locator(f'#owner-options [data-owner-id="{cast.ae.pk}"]')
    choice.wait_for()
    assert page.locator('#owner-options [data-owner-id]:not([data-owner-id=""])').count() >= 1
    choice.click()

    page.wait_for_url(f"**/accounts/?*owner={cast.ae.pk}*")
    page.wait_for_function("document.querySelectorAll('#account-results tbody tr').length === 1")
    assert result_names(page) == ["Cobalt Health Systems"]
    assert page.locator("#id_owner_search").input_value() == cast.ae.get_full_name()
    assert page.locator("#owner-options [data-owner-id]").count() == 0
    page.reload()  # the address alone brings back the filter and the owner's name
    assert result_names(page) == ["Cobalt Health Systems"]
    assert page.locator("#id_owner_search").input_value() == cast.ae.get_full_name()

    page.fill("#id_owner_search", "")
    page.locator('#owner-options [data-owner-id=""]').click()  # "Any owner"
    page.wait_for_function("document.querySelectorAll('#account-results tbody tr').length > 1")
    assert "Blue Harbor Bank" in result_names(page)
