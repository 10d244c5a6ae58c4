"""The executives list and an executive's page: load against capacity, and only the accounts the viewer may see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from execsponsor.program.models import SponsorshipStatus
from execsponsor.users.models import ExecutiveFunction
from tests.conftest import client_for
from tests.factories import AccountFactory, EngagementFactory, ExecutiveFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_executive(cast):
    """A CFO sponsoring more accounts than her capacity, one of them owned by the cast's AE."""
    executive = ExecutiveFactory(
        user__username="fiona.cfo",
        user__first_name="Fiona",
        user__last_name="Castellano",
        function=ExecutiveFunction.CFO,
        capacity_min=2,
        capacity_max=3,
        languages=["en", "it"],
        time_zone="Europe/Rome",
    )
    SponsorshipFactory(executive=executive, account=cast.owned_account)
    for name in ("Harbor Freight Lines", "Ionic Insurance", "Juniper Foods"):
        SponsorshipFactory(executive=executive, account=AccountFactory(name=name))
    SponsorshipFactory(
        executive=executive, account=AccountFactory(name="Kestrel Mining"), status=SponsorshipStatus.ENDED
    )
    SponsorshipFactory(
        executive=executive, account=AccountFactory(name="Lumen Labs"), status=SponsorshipStatus.PROPOSED
    )
    return executive


def row_for(response, executive):
    return next(e for e in response.context["page"] if e.pk == executive.pk)


@pytest.mark.parametrize("role", ["owner", "viewer", "sponsor", "ae", "csm", "admin"])
def test_everyone_signed_in_sees_the_executives_list(cast, busy_executive, role):
    response = client_for(cast.user(role)).get("/executives/")
    assert response.status_code == 200
    assert "Fiona Castellano" in response.content.decode()


def test_load_counts_live_sponsorships_only(cast, busy_executive):
    response = client_for(cast.owner).get("/executives/")
    load = row_for(response, busy_executive).load_vs_capacity
    assert (load.load, load.capacity_min, load.capacity_max) == (4, 2, 3)


def test_an_executive_over_capacity_is_marked(cast, busy_executive):
    response = client_for(cast.owner).get("/executives/")
    assert row_for(response, busy_executive).load_vs_capacity.state == "over"
    content = response.content.decode()
    assert "load-bar flex-grow-1 over" in content
    assert "4 / 2–3" in content


def test_an_executive_within_capacity_is_not_marked(cast):
    response = client_for(cast.owner).get("/executives/")
    sponsor = next(e for e in response.context["page"] if e.user == cast.sponsor)
    assert sponsor.load_vs_capacity.state == "under"  # one account against a minimum of three


def test_the_list_names_only_accounts_the_viewer_may_see(cast, busy_executive):
    owner_view = client_for(cast.owner).get("/executives/").content.decode()
    ae_view = client_for(cast.ae).get("/executives/").content.decode()
    assert "Harbor Freight Lines" in owner_view
    assert "Harbor Freight Lines" not in ae_view
    assert "Cobalt Health Systems" in ae_view  # the AE's own account, sponsored by Fiona


def test_the_list_searches_and_filters_by_function(cast, busy_executive):
    client = client_for(cast.owner)
    assert [str(e.user) for e in client.get("/executives/", {"q": "castel"}).context["page"]] == ["Fiona Castellano"]
    by_function = client.get("/executives/", {"function": "cfo"}).context["page"]
    assert [e.pk for e in by_function] == [busy_executive.pk]


def test_the_list_sorts_the_busiest_first(cast, busy_executive):
    response = client_for(cast.owner).get("/executives/", {"sort": "-load"})
    assert list(response.context["page"])[0].pk == busy_executive.pk


def test_the_executive_page_lists_accounts_with_health_and_the_last_engagement_that_counts(cast, busy_executive):
    account = cast.owned_account
    account.health_score, account.health_band = 42, "yellow"
    account.save()
    counted = timezone.now() - dt.timedelta(days=12)
    EngagementFactory(account=account, occurred_at=counted)
    EngagementFactory(account=account, occurred_at=timezone.now() - dt.timedelta(days=2), next_step_agreed=False)
    response = client_for(cast.owner).get(f"/executives/{busy_executive.pk}/")
    rows = {row.account.name: row for row in response.context["overview"].accounts}
    assert set(rows) == {"Cobalt Health Systems", "Harbor Freight Lines", "Ionic Insurance", "Juniper Foods"}
    assert rows["Cobalt Health Systems"].last_counting_engagement == counted
    assert rows["Harbor Freight Lines"].last_counting_engagement is None
    content = response.content.decode()
    assert counted.strftime("%-d %b %Y") in content
    assert "Over capacity by 1" in content


def test_the_executive_page_shows_an_account_executive_only_their_own_accounts(cast, busy_executive):
    response = client_for(cast.ae).get(f"/executives/{busy_executive.pk}/")
    overview = response.context["overview"]
    assert [row.account.name for row in overview.accounts] == ["Cobalt Health Systems"]
    assert overview.load.load == 4
    assert overview.not_visible == 3
    content = response.content.decode()
    assert "Harbor Freight Lines" not in content
    assert "3 more accounts you cannot see" in content


def test_the_executive_page_shows_languages_time_zone_and_capacity(cast, busy_executive):
    content = client_for(cast.viewer).get(f"/executives/{busy_executive.pk}/").content.decode()
    assert "en, it" in content
    assert "Europe/Rome" in content
    assert "capacity 2–3" in content


def test_an_unknown_executive_is_not_found(cast):
    assert client_for(cast.owner).get("/executives/424242/").status_code == 404


def test_the_executives_list_needs_the_same_queries_for_few_and_many(cast, settings):
    settings.ESP_PAGE_SIZE = 50
    client = client_for(cast.owner)

    def grow(n):
        for _ in range(n):
            executive = ExecutiveFactory()
            SponsorshipFactory(executive=executive)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/executives/").status_code == 200
        return len(captured)

    grow(2)
    few = queries()
    grow(30)
    assert queries() == few
