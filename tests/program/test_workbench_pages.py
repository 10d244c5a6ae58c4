"""The selection settings page and the matching workbench, through the pages."""

import pytest

from execsponsor.customers.models import Account
from execsponsor.program.matching.inputs import selection_settings
from execsponsor.program.models import MatchingRun, Sponsorship
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_only_program_owners_and_admins_open_the_workbench(cast):
    for name in ("ae", "csm", "sponsor", "viewer"):
        assert client_for(cast.user(name)).get("/program/matching/").status_code == 403
    assert client_for(cast.owner).get("/program/matching/").status_code == 200
    assert client_for(cast.admin).get("/program/selection/").status_code == 200


def test_a_run_from_the_page_shows_pairs_with_reasons_and_writes_no_sponsorship(company):
    client = client_for(company["owner"])
    response = client.post("/program/matching/runs/", {"label": "first try"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dana Whitfield" in page and "CFO to CFO: matches the customer counterpart" in page
    assert "no eligible executive speaks German" in page
    assert Sponsorship.objects.count() == 0


def test_forbidding_a_pair_runs_again_without_it_and_approval_writes_sponsorships(company):
    client = client_for(company["owner"])
    client.post("/program/matching/runs/", {})
    run = MatchingRun.objects.get()
    response = client.post(
        f"/program/matching/runs/{run.pk}/what-if/",
        {"action": "forbid", "account_id": company["bank"].pk, "executive_id": company["cfo"].pk},
    )
    second = MatchingRun.objects.exclude(pk=run.pk).get()
    assert response["Location"] == f"/program/matching/runs/{second.pk}/"
    assert all(
        p["executive_id"] != company["cfo"].pk or p["account_id"] != company["bank"].pk for p in second.result["pairs"]
    )
    compare = client.get(f"/program/matching/compare/?a={run.pk}&b={second.pk}")
    assert "Blue Harbor Bank" in compare.content.decode()
    client.post(f"/program/matching/runs/{second.pk}/approve/")
    assert Sponsorship.objects.filter(matching_run=second).count() == len(second.result["pairs"])


def test_a_bad_capacity_line_is_a_clear_form_error(company):
    response = client_for(company["owner"]).post("/program/matching/runs/", {"capacity": "Dana Whitfield = five-six"})
    assert response.status_code == 422
    assert "Line 1: write &#x27;executive name = min-max&#x27;" in response.content.decode()
    unknown = client_for(company["owner"]).post("/program/matching/runs/", {"capacity": "Nobody Known = 1-2"})
    assert unknown.status_code == 422 and "no active executive is called" in unknown.content.decode()


def test_the_workbench_takes_accounts_and_capacities_by_name(company):
    client = client_for(company["owner"])
    options = client.get("/program/matching/search/accounts/?q=harbor").content.decode()
    assert '<option value="Blue Harbor Bank">' in options
    page = client.get("/program/matching/").content.decode()
    assert '<option value="Dana Whitfield">' in page  # the executives' datalist
    client.post(
        "/program/matching/runs/",
        {"extra_accounts": "corner shop", "capacity": "Dana Whitfield = 0-1\nKenji Watanabe = 0-3"},
    )
    run = MatchingRun.objects.get()
    assert run.options["extra_accounts"] == [Account.objects.get(name="Corner Shop").pk]
    assert run.options["capacity"] == {str(company["cfo"].pk): [0, 1], str(company["cto"].pk): [0, 3]}
    loads = {row["executive_name"]: row for row in run.result["executives"]}
    assert loads["Dana Whitfield"]["capacity_max"] == 1


def test_a_what_if_is_labelled_in_words_and_changes_only_what_it_must(company):
    client = client_for(company["owner"])
    client.post("/program/matching/runs/", {})
    run = MatchingRun.objects.get()
    client.post(
        f"/program/matching/runs/{run.pk}/what-if/",
        {"action": "forbid", "account_id": company["bank"].pk, "executive_id": company["cfo"].pk},
    )
    second = MatchingRun.objects.exclude(pk=run.pk).get()
    assert second.label == "forbid Dana Whitfield for Blue Harbor Bank"
    first_pairs = {p["account_name"]: p["executive_name"] for p in run.result["pairs"]}
    second_pairs = {p["account_name"]: p["executive_name"] for p in second.result["pairs"]}
    assert {a for a in first_pairs if first_pairs[a] != second_pairs.get(a)} == {"Blue Harbor Bank"}
    compare = client.get(f"/program/matching/compare/?a={run.pk}&b={second.pk}").content.decode()
    assert "1 account(s) differ" in compare


def test_the_selection_preview_saves_nothing_and_save_detects_concurrent_edits(company):
    client = client_for(company["owner"])
    form = {
        "segments": ["enterprise"],
        "exclude_in_churn": "on",
        "version": "0",
        "weight_strategic_value": "0",
        "weight_revenue": "100",
        "weight_retention_risk": "0",
        "weight_growth_potential": "0",
        "weight_health_need": "0",
        "weight_c_level_access": "0",
    }
    preview = client.post("/program/selection/", {**form, "preview": "1"})
    assert "Preview" in preview.content.decode()
    assert selection_settings().version == 0
    client.post("/program/selection/", {**form, "save": "1"})
    assert selection_settings().weights["revenue"] == 100
    stale = client.post("/program/selection/", {**form, "save": "1"}, follow=True)  # still says version 0
    assert "Someone else saved these settings" in stale.content.decode()
