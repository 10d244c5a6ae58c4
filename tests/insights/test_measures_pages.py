"""The measures and scorecard pages, their CSV and API: who may see what, the settings form and the override."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from execsponsor.program.models import ProgramSetting
from tests.conftest import client_for
from tests.factories import ExecutiveFactory, OpportunityFactory, SponsorshipFactory

ROLES = ("admin", "owner", "viewer", "sponsor", "ae", "csm")
SEE_THE_PROGRAM = {"admin", "owner", "viewer"}


@pytest.fixture
def started(cast):
    """The cast's sponsorship started in September, and a second executive sponsors another account."""
    sponsorship = cast.sponsored_account.sponsorships.get()
    sponsorship.started_on = dt.date(2026, 9, 1)
    sponsorship.save()
    other = ExecutiveFactory(user__username="other.sponsor", user__first_name="Otto", user__last_name="Other")
    SponsorshipFactory(account=cast.other_account, executive=other, started_on=dt.date(2026, 10, 1))
    return {"own": sponsorship.executive, "other": other}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", ["/program/measures/", "/program/scorecards/", "/program/scorecards.csv"])
def test_program_pages_are_for_owner_admin_and_viewer(cast, started, role, url):
    response = client_for(cast.user(role)).get(url)
    assert response.status_code == (200 if role in SEE_THE_PROGRAM else 403)


@pytest.mark.parametrize("role", ROLES)
def test_a_scorecard_is_for_its_executive_and_those_who_see_the_program(cast, started, role):
    own = client_for(cast.user(role)).get(f"/program/scorecards/{started['own'].pk}/")
    other = client_for(cast.user(role)).get(f"/program/scorecards/{started['other'].pk}/")
    expected = 200 if role in SEE_THE_PROGRAM | {"sponsor"} else 403
    assert own.status_code == expected
    assert other.status_code == (200 if role in SEE_THE_PROGRAM else 403)


def test_the_sponsor_sees_their_own_accounts_on_their_scorecard(cast, started):
    html = client_for(cast.sponsor).get(f"/program/scorecards/{started['own'].pk}/").content.decode()
    assert "My scorecard" in html and cast.sponsored_account.name in html
    assert cast.other_account.name not in html


def test_an_unknown_scorecard_is_a_404(cast):
    assert client_for(cast.owner).get("/program/scorecards/99999/").status_code == 404


def test_the_measures_page_lists_executives_and_accounts(cast, started):
    html = client_for(cast.viewer).get("/program/measures/").content.decode()
    assert 'id="measures-quarters"' in html and "Otto Other" in html and cast.sponsored_account.name in html
    assert 'name="window_days"' not in html  # the viewer reads the settings, the owner edits them
    assert 'name="window_days"' in client_for(cast.owner).get("/program/measures/").content.decode()


def test_with_no_sponsorship_the_page_says_what_to_do(cast):
    cast.sponsored_account.sponsorships.all().update(status="proposed")
    html = client_for(cast.owner).get("/program/measures/").content.decode()
    assert 'id="measures-empty"' in html and "Match sponsors to accounts" in html


def test_the_owner_saves_the_settings(cast):
    response = client_for(cast.owner).post(
        "/program/measures/settings/", {"version": 0, "window_days": 45, "formal_stages": "RFP\nProposal\nrfp"}
    )
    assert response.status_code == 302
    assert ProgramSetting.objects.get(key="measures").value == {"window_days": 45, "formal_stages": ["RFP", "Proposal"]}


def test_bad_settings_are_a_form_error(cast):
    response = client_for(cast.owner).post("/program/measures/settings/", {"version": 0, "window_days": 0})
    assert response.status_code == 422 and "greater than or equal to 1" in response.content.decode()


def test_a_stale_settings_form_is_refused(cast):
    client = client_for(cast.owner)
    client.post("/program/measures/settings/", {"version": 0, "window_days": 45, "formal_stages": ""})
    response = client.post("/program/measures/settings/", {"version": 0, "window_days": 20, "formal_stages": ""})
    assert response.status_code == 409 and "Someone else saved" in response.content.decode()


@pytest.mark.parametrize("role", ["viewer", "sponsor", "ae"])
def test_only_the_owner_or_admin_changes_settings_or_overrides(cast, role):
    client = client_for(cast.user(role))
    assert client.post("/program/measures/settings/", {"version": 0, "window_days": 9}).status_code == 403
    assert client.post("/program/measures/earlier-access/", {"opportunity": "x", "value": "yes"}).status_code == 403
    assert not ProgramSetting.objects.filter(key="measures").exists()


def test_the_owner_counts_an_opportunity_by_its_crm_id(cast, started):
    opportunity = OpportunityFactory(
        account=cast.sponsored_account, external_id="006A1", opened_on=dt.date(2026, 10, 3), name="Unlogged talk"
    )
    response = client_for(cast.owner).post(
        "/program/measures/earlier-access/", {"opportunity": "006A1", "value": "yes", "reason": "Dinner in Lisbon"}
    )
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert (opportunity.earlier_access_override, opportunity.earlier_access_override_by) == (True, cast.owner)
    html = client_for(cast.owner).get("/program/measures/").content.decode()
    assert "Unlogged talk" in html and "Dinner in Lisbon" in html


def test_an_override_needs_a_reason(cast, started):
    opportunity = OpportunityFactory(account=cast.sponsored_account, external_id="006A2")
    client_for(cast.owner).post("/program/measures/earlier-access/", {"opportunity": "006A2", "value": "no"})
    opportunity.refresh_from_db()
    assert opportunity.earlier_access_override is None


def test_the_scorecards_csv_is_formula_safe(cast, started):
    started["other"].user.first_name = "=HYPERLINK(1)"
    started["other"].user.save()
    started["other"].enablement = ["@sponsor-101", "cfo-briefing"]
    started["other"].save()
    response = client_for(cast.owner).get("/program/scorecards.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["rank", "executive", "function"]
    by_name = {row[1]: row for row in rows[1:]}
    assert "'=HYPERLINK(1) Other" in by_name
    assert by_name["'=HYPERLINK(1) Other"][-1] == "'@sponsor-101; cfo-briefing"
    assert {row[0] for row in rows[1:]} == {"1", "2"}


@pytest.mark.parametrize("role", ROLES)
def test_the_api_follows_the_same_rules(cast, started, role):
    client = client_for(cast.user(role))
    ok = role in SEE_THE_PROGRAM
    measures = client.get("/api/v1/program/measures")
    assert measures.status_code == (200 if ok else 403)
    assert client.get("/api/v1/program/scorecards").status_code == (200 if ok else 403)
    own = client.get(f"/api/v1/program/scorecards/{started['own'].pk}")
    other = client.get(f"/api/v1/program/scorecards/{started['other'].pk}")
    assert own.status_code == (200 if ok or role == "sponsor" else 403)
    assert other.status_code == (200 if ok else 403)
    if ok:
        body = measures.json()
        assert body["quarters"][-1]["label"] and "accounts" not in body
        assert body["window_days"] == 30


def test_the_api_refuses_a_silly_number_of_quarters(cast):
    assert client_for(cast.owner).get("/api/v1/program/measures?quarters=40").status_code == 422


def test_the_homes_and_the_program_page_link_the_measures(cast, started):
    sponsor_home = client_for(cast.sponsor).get("/").content.decode()
    assert f'href="/program/scorecards/{started["own"].pk}/"' in sponsor_home
    viewer = client_for(cast.viewer)
    assert 'href="/program/dashboard/"' in viewer.get("/").content.decode()  # the navigation
    assert 'href="/program/measures/"' in viewer.get("/program/dashboard/").content.decode()  # and from there
    assert 'href="/program/scorecards/"' in client_for(cast.owner).get("/").content.decode()
    program_page = client_for(cast.owner).get("/program/").content.decode()
    assert 'href="/program/measures/"' in program_page and 'href="/program/scorecards/"' in program_page


def test_the_scorecard_says_how_far_the_executive_is_with_the_required_enablement(cast, client):
    from execsponsor.users.enablement import catalogue
    from execsponsor.users.models import Executive

    executive = Executive.objects.get(user=cast.sponsor)
    required = [item for item in catalogue() if item.audience == "everyone"]
    client.force_login(cast.sponsor)
    text = client.get(f"/program/scorecards/{executive.pk}/").content.decode()
    assert f"0 of {len(required)} required completed; still to do: {required[0].label}" in text
