"""The accounts list and the account page, through the pages as each role sees them."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from execsponsor.customers.models import HealthBand, Segment
from execsponsor.program.models import SponsorshipStatus
from execsponsor.users.models import Role, User
from tests.conftest import client_for
from tests.factories import (
    AccountFactory,
    ContactFactory,
    EngagementFactory,
    ExecutiveFactory,
    HealthSnapshotFactory,
    OpportunityFactory,
    QuarterlyRevenueFactory,
    SponsorshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def names_on(response) -> list[str]:
    """Account names in the list, in the order shown."""
    return [account.name for account in response.context["page"].rows]


# Who sees what


def test_a_program_owner_sees_every_account(cast):
    response = client_for(cast.owner).get("/accounts/")
    assert response.status_code == 200
    assert names_on(response) == ["Blue Harbor Bank", "Cobalt Health Systems", "Delta Retail Group", "Evergreen Energy"]


def test_an_account_executive_sees_only_the_accounts_they_own(cast):
    response = client_for(cast.ae).get("/accounts/")
    assert names_on(response) == ["Cobalt Health Systems"]
    assert b"Evergreen Energy" not in response.content


def test_a_sponsor_sees_only_the_accounts_they_sponsor(cast):
    response = client_for(cast.sponsor).get("/accounts/")
    assert names_on(response) == ["Blue Harbor Bank"]


def test_an_account_page_is_not_found_for_someone_who_may_not_see_it(cast):
    response = client_for(cast.ae).get(f"/accounts/{cast.other_account.pk}/")
    assert response.status_code == 404


def test_an_account_page_is_not_found_when_the_account_does_not_exist(cast):
    assert client_for(cast.owner).get("/accounts/999999/").status_code == 404


def test_the_owner_of_an_account_opens_its_page(cast):
    response = client_for(cast.ae).get(f"/accounts/{cast.owned_account.pk}/")
    assert response.status_code == 200
    assert b"Cobalt Health Systems" in response.content


def test_more_engagements_of_an_invisible_account_are_not_found_either(cast):
    EngagementFactory(account=cast.other_account)
    response = client_for(cast.ae).get(f"/accounts/{cast.other_account.pk}/?engagements_page=2", HTTP_HX_REQUEST="true")
    assert response.status_code == 404


# Search, filters, sort


@pytest.fixture
def portfolio(cast):
    """Seven more accounts with different segments, owners, health and programme status."""
    ae2 = UserFactory(username="bea.ae", first_name="Bea", last_name="Brooks", role=Role.ACCOUNT_EXECUTIVE)
    executive = ExecutiveFactory(user__username="cy.cto")
    accounts = {
        "Acme Logistics": AccountFactory(
            name="Acme Logistics",
            domain="acmelogistics.example",
            segment=Segment.MID_MARKET,
            owner=ae2,
            arr=Decimal("90000"),
            health_score=35,
            health_band=HealthBand.RED,
            renewal_date=timezone.localdate() + dt.timedelta(days=20),
        ),
        "Northwind Traders": AccountFactory(
            name="Northwind Traders",
            domain="northwind.example",
            external_id="0015g00000ABCDE",
            source="salesforce",
            segment=Segment.SMB,
            arr=Decimal("25000"),
            health_score=81,
            health_band=HealthBand.GREEN,
        ),
        "Globex Banking": AccountFactory(
            name="Globex Banking",
            domain="globex.example",
            segment=Segment.ENTERPRISE,
            owner=ae2,
            arr=Decimal("2400000"),
            health_score=58,
            health_band=HealthBand.YELLOW,
        ),
        "Initech": AccountFactory(name="Initech", domain="initech.example", segment=Segment.SMB, arr=None),
    }
    SponsorshipFactory(account=accounts["Globex Banking"], executive=executive)
    SponsorshipFactory(account=accounts["Initech"], executive=executive, status=SponsorshipStatus.ENDED)
    return accounts


def test_it_finds_accounts_by_a_word_inside_their_name(cast, portfolio):
    response = client_for(cast.owner).get("/accounts/", {"q": "bank"})
    assert names_on(response) == ["Blue Harbor Bank", "Globex Banking"]


def test_it_finds_accounts_by_the_start_of_their_domain(cast, portfolio):
    response = client_for(cast.owner).get("/accounts/", {"q": "northw"})
    assert names_on(response) == ["Northwind Traders"]


def test_it_finds_an_account_by_its_external_id(cast, portfolio):
    response = client_for(cast.owner).get("/accounts/", {"q": "0015g00000ABCDE"})
    assert names_on(response) == ["Northwind Traders"]


def test_a_short_search_matches_the_start_of_a_name_only(cast, portfolio):
    response = client_for(cast.owner).get("/accounts/", {"q": "in"})
    assert names_on(response) == ["Initech"]


def test_it_filters_by_segment(cast, portfolio):
    response = client_for(cast.owner).get("/accounts/", {"segment": "smb"})
    assert names_on(response) == ["Initech", "Northwind Traders"]


def test_it_filters_by_owner(cast, portfolio):
    owner_id = portfolio["Globex Banking"].owner_id
    response = client_for(cast.owner).get("/accounts/", {"owner": owner_id})
    assert names_on(response) == ["Acme Logistics", "Globex Banking"]


def test_it_filters_by_health_band(cast, portfolio):
    response = client_for(cast.owner).get("/accounts/", {"health": "red"})
    assert names_on(response) == ["Acme Logistics"]


def test_in_the_program_means_a_live_sponsorship(cast, portfolio):
    response = client_for(cast.owner).get("/accounts/", {"program": "yes"})
    assert names_on(response) == ["Blue Harbor Bank", "Globex Banking"]


def test_an_ended_sponsorship_leaves_an_account_out_of_the_program(cast, portfolio):
    response = client_for(cast.owner).get("/accounts/", {"program": "no", "segment": "smb"})
    assert names_on(response) == ["Initech", "Northwind Traders"]


def test_filters_combine(cast, portfolio):
    response = client_for(cast.owner).get("/accounts/", {"segment": "enterprise", "program": "yes", "q": "glo"})
    assert names_on(response) == ["Globex Banking"]


def test_filters_never_widen_what_a_role_may_see(cast, portfolio):
    response = client_for(cast.ae).get("/accounts/", {"program": "yes"})
    assert names_on(response) == []


def test_it_sorts_by_arr_highest_first_with_unknown_arr_last(cast, portfolio):
    response = client_for(cast.owner).get("/accounts/", {"sort": "-arr", "segment": "smb"})
    assert names_on(response) == ["Northwind Traders", "Initech"]
    response = client_for(cast.owner).get("/accounts/", {"sort": "-arr"})
    assert names_on(response)[0] == "Globex Banking"
    assert names_on(response)[-1] == "Initech"


def test_it_sorts_by_health_weakest_first(cast, portfolio):
    response = client_for(cast.owner).get("/accounts/", {"sort": "health"})
    assert names_on(response)[:3] == ["Acme Logistics", "Globex Banking", "Northwind Traders"]


def test_it_sorts_by_renewal_soonest_first(cast, portfolio):
    response = client_for(cast.owner).get("/accounts/", {"sort": "renewal"})
    assert names_on(response)[0] == "Acme Logistics"


def test_it_sorts_by_name_backwards(cast, portfolio):
    response = client_for(cast.owner).get("/accounts/", {"sort": "-name"})
    assert names_on(response)[0] == "Northwind Traders"


def test_a_column_header_link_reverses_the_current_sort(cast, portfolio):
    response = client_for(cast.owner).get("/accounts/", {"sort": "-arr", "segment": "smb"})
    arr_header = next(h for h in response.context["sort_headers"] if h["label"] == "ARR")
    assert arr_header == {"label": "ARR", "css": "text-end", "next_sort": "arr", "direction": "descending"}
    assert b"sort=arr" in response.content


def test_values_that_do_not_parse_are_ignored(cast, portfolio):
    response = client_for(cast.owner).get(
        "/accounts/", {"segment": "galactic", "owner": "nobody", "sort": "shoe size", "page": "-3"}
    )
    assert response.status_code == 200
    assert len(names_on(response)) == 8


def test_it_says_so_when_no_account_matches(cast, portfolio):
    response = client_for(cast.owner).get("/accounts/", {"q": "zzz-no-such-company"})
    assert b"No accounts match these filters" in response.content
    assert b"Clear filters" in response.content


def test_the_list_shows_owner_csm_and_sponsor(cast):
    response = client_for(cast.owner).get("/accounts/", {"q": "Blue Harbor"})
    content = response.content.decode()
    sponsor = cast.sponsor.get_full_name()
    assert sponsor in content
    assert "$480K" in content


# Pagination


@pytest.fixture
def small_pages(settings):
    settings.ESP_PAGE_SIZE = 3


def test_the_list_is_paginated_and_says_how_many_match(cast, portfolio, small_pages):
    client = client_for(cast.owner)
    first = client.get("/accounts/")
    second = client.get("/accounts/", {"page": 2})
    third = client.get("/accounts/", {"page": 3})
    assert names_on(first) == ["Acme Logistics", "Blue Harbor Bank", "Cobalt Health Systems"]
    assert names_on(second) == ["Delta Retail Group", "Evergreen Energy", "Globex Banking"]
    assert names_on(third) == ["Initech", "Northwind Traders"]
    assert "Showing 1–3 of 8 accounts" in " ".join(first.content.decode().split())
    assert b'rel="next"' in first.content
    assert b'rel="next"' not in third.content


def test_pages_keep_the_filters_in_their_links(cast, portfolio, small_pages):
    response = client_for(cast.owner).get("/accounts/", {"sort": "-arr"})
    assert b"?sort=-arr&amp;page=2" in response.content


def test_a_page_past_the_end_says_so(cast, portfolio, small_pages):
    response = client_for(cast.owner).get("/accounts/", {"page": 40})
    assert response.status_code == 200
    assert b"There is no page 40" in response.content


# htmx


def test_an_htmx_request_gets_only_the_results(cast, portfolio):
    response = client_for(cast.owner).get("/accounts/", {"segment": "smb"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert 'id="account-results"' in content
    assert '<nav class="navbar' not in content
    assert "HX-Request" in response["Vary"]


def test_a_boosted_sort_link_gets_the_whole_page(cast, portfolio):
    response = client_for(cast.owner).get("/accounts/", {"sort": "arr"}, HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true")
    assert b'id="account-filters"' in response.content


def test_the_page_works_without_javascript(cast, portfolio):
    response = client_for(cast.owner).get("/accounts/", {"segment": "smb"})
    content = response.content.decode()
    assert 'method="get"' in content
    assert '<option value="smb" selected>' in content


# Queries


def make_accounts(count: int, *, executive, owner, csm):
    for _ in range(count):
        account = AccountFactory(owner=owner, csm=csm)
        SponsorshipFactory(account=account, executive=executive)


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sort": "-arr"},
        {"program": "yes", "sort": "health"},
        {"segment": "enterprise", "sort": "renewal", "page": 2},
    ],
)
def test_the_number_of_queries_does_not_grow_with_the_number_of_rows(cast, params, settings):
    settings.ESP_PAGE_SIZE = 3
    executive = ExecutiveFactory()
    ae = UserFactory(role=Role.ACCOUNT_EXECUTIVE)
    csm = UserFactory(role=Role.CSM)
    client = client_for(cast.owner)
    make_accounts(5, executive=executive, owner=ae, csm=csm)
    few = count_queries(client, "/accounts/", params)
    settings.ESP_PAGE_SIZE = 50
    make_accounts(115, executive=executive, owner=ae, csm=csm)
    many = count_queries(client, "/accounts/", params)
    assert many == few
    assert many <= 9


# The account page


@pytest.fixture
def account_with_history(cast):
    account = cast.owned_account
    ceo = ContactFactory(account=account, first_name="Grace", last_name="Okafor", title="CEO", seniority="c_level")
    ContactFactory(
        account=account,
        first_name="Hiro",
        last_name="Tanaka",
        title="VP Engineering",
        seniority="vp",
        buying_role="champion",
        support="supporter",
        reports_to=ceo,
    )
    OpportunityFactory(
        account=account,
        name="Data platform expansion",
        capability_area="Data platform",
        began_in_executive_conversation=True,
    )
    for quarter, revenue in ((1, "110000"), (2, "125000"), (3, "131500")):
        QuarterlyRevenueFactory(account=account, year=2026, quarter=quarter, revenue=Decimal(revenue))
    HealthSnapshotFactory(
        account=account, taken_on=timezone.localdate() - dt.timedelta(days=30), score=70, band="green"
    )
    HealthSnapshotFactory(account=account, taken_on=timezone.localdate(), score=61, band="yellow")
    return account


def test_the_account_page_shows_contacts_and_who_they_report_to(cast, account_with_history):
    response = client_for(cast.owner).get(f"/accounts/{account_with_history.pk}/")
    contacts = response.context["overview"].contacts
    assert [str(c) for c in contacts] == ["Grace Okafor", "Hiro Tanaka"]  # most senior first
    content = response.content.decode()
    assert "Champion" in content and "Supporter" in content
    assert contacts[1].reports_to == contacts[0]


def test_the_account_page_flags_opportunities_that_began_with_an_executive(cast, account_with_history):
    response = client_for(cast.owner).get(f"/accounts/{account_with_history.pk}/")
    content = response.content.decode()
    assert "Data platform expansion" in content
    assert 'title="Began in an executive conversation, before any RFP">Yes' in content


def test_the_account_page_charts_quarterly_revenue_with_a_table_beside_it(cast, account_with_history):
    response = client_for(cast.owner).get(f"/accounts/{account_with_history.pk}/")
    content = response.content.decode()
    assert 'id="revenue-chart"' in content
    chart = response.context["overview"].revenue_chart
    assert chart["labels"] == ["2026 Q1", "2026 Q2", "2026 Q3"]
    assert chart["revenue"] == [110000.0, 125000.0, 131500.0]
    assert json.dumps(chart["labels"]) in content  # the data the chart reads
    assert "$131,500" in content  # the table fallback


def test_the_account_page_shows_health_and_its_change_since_the_last_snapshot(cast, account_with_history):
    response = client_for(cast.owner).get(f"/accounts/{account_with_history.pk}/")
    health = response.context["overview"].health
    assert (health.score, health.band, health.change) == (61, "yellow", -9)
    assert "−9" in response.content.decode()


def test_the_account_page_shows_the_sponsor_status_and_cadence(cast):
    response = client_for(cast.owner).get(f"/accounts/{cast.sponsored_account.pk}/")
    content = response.content.decode()
    assert cast.sponsor.get_full_name() in content
    assert "meets every 14 days" in content
    assert "In the program" in content


def test_the_engagement_timeline_is_newest_first_and_marks_what_counts(cast):
    account = cast.owned_account
    contact = ContactFactory(account=account, first_name="Lena", last_name="Schmidt")
    older = EngagementFactory(
        account=account,
        subject="Intro call",
        occurred_at=timezone.now() - dt.timedelta(days=40),
        next_step_agreed=False,
    )
    newer = EngagementFactory(
        account=account, subject="Strategy dinner", occurred_at=timezone.now() - dt.timedelta(days=2)
    )
    newer.contacts.add(contact)
    newer.attendees.add(cast.ae)
    response = client_for(cast.owner).get(f"/accounts/{account.pk}/")
    rows = response.context["overview"].engagements.rows
    assert [e.subject for e in rows] == ["Strategy dinner", "Intro call"]
    assert (rows[0].counts, rows[1].counts) == (True, False)
    content = response.content.decode()
    assert "Doesn&#x27;t count" in content or "Doesn't count" in content
    assert "Lena Schmidt" in content and cast.ae.get_full_name() in content
    assert older.pk != newer.pk


def test_older_engagements_load_into_the_timeline(cast):
    account = cast.owned_account
    for days in range(1, 15):
        EngagementFactory(
            account=account, subject=f"Meeting {days} days ago", occurred_at=timezone.now() - dt.timedelta(days=days)
        )
    client = client_for(cast.owner)
    first = client.get(f"/accounts/{account.pk}/")
    assert len(first.context["overview"].engagements.rows) == 10
    assert b"Load older engagements" in first.content
    more = client.get(f"/accounts/{account.pk}/", {"engagements_page": 2}, HTTP_HX_REQUEST="true")
    content = more.content.decode()
    assert "Meeting 11 days ago" in content and "Meeting 14 days ago" in content
    assert "Meeting 10 days ago" not in content
    assert "<html" not in content
    assert "Load older engagements" not in content


def test_the_history_shows_who_changed_which_field_from_what_to_what(cast):
    account = cast.owned_account
    account._history_user = cast.owner
    account.arr = Decimal("510000")
    account.segment = Segment.MID_MARKET
    account.save()
    response = client_for(cast.owner).get(f"/accounts/{account.pk}/")
    history = response.context["overview"].history
    assert history[0].who == str(cast.owner)
    assert [(c.field, c.old, c.new) for c in history[0].changes] == [
        ("ARR", "480,000", "510,000"),
        ("Segment", "Enterprise", "Mid-market"),
    ]
    assert history[-1].kind == "created"
    assert "Mid-market" in response.content.decode()


def test_the_history_names_people_rather_than_ids(cast):
    account = cast.owned_account
    account.csm = cast.csm
    account.save()
    response = client_for(cast.owner).get(f"/accounts/{account.pk}/")
    change = response.context["overview"].history[0].changes[0]
    assert (change.field, change.old, change.new) == ("CSM", "—", str(cast.csm))


def test_the_history_shows_the_last_twenty_changes(cast):
    account = cast.owned_account
    for step in range(25):
        account.strategic_value = step
        account.save()
    response = client_for(cast.owner).get(f"/accounts/{account.pk}/")
    history = response.context["overview"].history
    assert len(history) == 20
    assert history[0].changes[0].new == "24"


def test_the_account_page_needs_the_same_queries_for_a_small_and_a_big_account(cast):
    account = cast.owned_account
    client = client_for(cast.owner)

    def grow(n):
        for i in range(n):
            contact = ContactFactory(account=account)
            engagement = EngagementFactory(account=account)
            engagement.contacts.add(contact)
            engagement.attendees.add(cast.ae)
            OpportunityFactory(account=account)
            account.arr = Decimal(400000 + i)
            account.save()

    grow(2)
    few = count_queries(client, f"/accounts/{account.pk}/")
    grow(25)
    many = count_queries(client, f"/accounts/{account.pk}/")
    assert many == few


def test_an_htmx_request_puts_only_the_filters_in_use_in_the_address_bar(cast, portfolio):
    response = client_for(cast.owner).get(
        "/accounts/",
        {"q": "", "segment": "smb", "owner": "", "health": "", "program": "", "sort": "name"},
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Push-Url"] == "/accounts/?segment=smb&sort=name"


def test_the_account_page_draws_the_health_trend_from_its_snapshots(cast, account_with_history):
    HealthSnapshotFactory(
        account=account_with_history, taken_on=timezone.localdate() - dt.timedelta(days=60), score=74, band="green"
    )
    response = client_for(cast.owner).get(f"/accounts/{account_with_history.pk}/")
    assert response.context["overview"].health.chart["scores"] == [74, 70, 61]
    assert 'id="health-chart"' in response.content.decode()


def test_the_owner_filter_keeps_the_choice_and_shows_the_owner_by_name(cast):
    response = client_for(cast.owner).get("/accounts/", {"owner": cast.ae.pk})
    page = response.content.decode()
    assert f'<input type="hidden" name="owner" value="{cast.ae.pk}" id="id_owner">' in page
    assert f'value="{cast.ae.get_full_name()}" placeholder="Any owner"' in page
    assert [a.name for a in response.context["page"].rows] == ["Cobalt Health Systems"]


def owners_offered(user, typed: str = "") -> list[int]:
    response = client_for(user).get("/accounts/owners/", {"owner_q": typed})
    assert response.status_code == 200
    return [int(pk) for pk in re.findall(r'data-owner-id="(\d+)"', response.content.decode())]


def test_the_owner_picker_offers_every_account_executive_to_the_program_owner(cast):
    offered = owners_offered(cast.owner)
    assert cast.ae.pk in offered and cast.outsider_ae.pk in offered
    assert cast.csm.pk not in offered  # the filter is by owner (AE)


def test_an_account_executive_is_offered_only_owners_of_accounts_they_see(cast):
    assert owners_offered(cast.ae) == [cast.ae.pk]
    page = client_for(cast.ae).get("/accounts/", {"owner": cast.outsider_ae.pk}).content.decode()
    assert cast.outsider_ae.get_full_name() not in page


def test_the_owner_picker_matches_every_typed_word_in_any_order_and_case(cast):
    zoe = UserFactory(first_name="Zoë", last_name="Quartermaine", role=Role.ACCOUNT_EXECUTIVE)
    UserFactory(first_name="Zoë", last_name="Adams", role=Role.ACCOUNT_EXECUTIVE)
    UserFactory(first_name="Quentin", last_name="Quartermaine", role=Role.CSM)

    assert owners_offered(cast.owner, "QUARTERMAINE zoë") == [zoe.pk]
    assert owners_offered(cast.owner, "nobody by that name") == []


def test_with_two_thousand_owners_the_list_page_stays_small_and_the_picker_short(cast, portfolio):
    sellers = User.objects.bulk_create(
        User(username=f"seller{n:04d}", first_name="Seller", last_name=f"Number {n:04d}", role=Role.ACCOUNT_EXECUTIVE)
        for n in range(2000)
    )
    # A full page of 50 rows, with long names, owners and CSMs, as on the demo company.
    for n in range(60):
        AccountFactory(
            name=f"Alborán Ayuntamiento Digital International S.L. {n:02d}",
            domain=f"alboran-ayuntamiento-{n:02d}.com.ar",
            owner=sellers[n],
            csm=cast.csm,
            health_score=72,
            health_band=HealthBand.YELLOW,
        )

    page = client_for(cast.owner).get("/accounts/")

    assert page.status_code == 200
    assert len(page.content) < 60_000
    assert b"Number 1999" not in page.content  # owns nothing: named only if the options were inlined
    picker = client_for(cast.owner).get("/accounts/owners/", {"owner_q": "seller"}).content.decode()
    assert picker.count('data-owner-id="') - picker.count('data-owner-id=""') == 12
    assert "More owners match" in picker
    bea = portfolio["Globex Banking"].owner
    response = client_for(cast.owner).get("/accounts/", {"owner": bea.pk})
    assert names_on(response) == ["Acme Logistics", "Globex Banking"]


def test_signed_out_visitors_get_no_owner_names(client, cast):
    response = client.get("/accounts/owners/", {"owner_q": "a"})
    assert response.status_code == 302 and "/login/" in response["Location"]
