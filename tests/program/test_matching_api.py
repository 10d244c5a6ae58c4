"""Selection and matching through the JSON API."""

import pytest
from django.test import Client

from execsponsor.program.models import Sponsorship
from execsponsor.users.models import ApiToken

pytestmark = pytest.mark.django_db


def api_client(user) -> Client:
    _, raw = ApiToken.issue(user=user, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_the_owner_ranks_accounts_through_the_api(company):
    response = api_client(company["owner"]).get("/api/v1/selection")
    assert response.status_code == 200
    assert response.json()["accounts"][0]["name"] == "Blue Harbor Bank"


def test_a_dry_run_returns_explained_pairs_and_writes_nothing(company):
    response = api_client(company["owner"]).post(
        "/api/v1/matching/runs", {"dry_run": True}, content_type="application/json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["run"] is None and body["status"] == "optimal"
    assert all(pair["reasons"] for pair in body["pairs"])
    assert Sponsorship.objects.count() == 0


def test_a_run_with_what_ifs_is_kept_then_approved(company):
    client = api_client(company["owner"])
    created = client.post(
        "/api/v1/matching/runs",
        {"forbidden": [{"account_id": company["bank"].pk, "executive_id": company["cfo"].pk}]},
        content_type="application/json",
    )
    assert created.status_code == 201
    run = created.json()
    assert (company["bank"].pk, company["cfo"].pk) not in {(p["account_id"], p["executive_id"]) for p in run["pairs"]}
    approved = client.post(f"/api/v1/matching/runs/{run['run']}/approve")
    assert approved.status_code == 200 and approved.json()["run_status"] == "approved"
    assert Sponsorship.objects.filter(matching_run_id=run["run"]).count() == len(run["pairs"])
    again = client.post(f"/api/v1/matching/runs/{run['run']}/approve")
    assert again.status_code in (400, 422) and "already" in again.json()["message"]


def test_other_roles_get_403_and_bad_input_gets_422(company, cast):
    assert api_client(cast.ae).get("/api/v1/selection").status_code == 403
    bad = api_client(company["owner"]).post(
        "/api/v1/matching/runs",
        {"capacity": [{"executive_id": 1, "capacity_min": -1, "capacity_max": 99}]},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "message" in bad.json()


def test_the_api_run_carries_its_decisions_and_a_stale_run_is_refused(company):
    from tests.factories import SponsorshipFactory

    SponsorshipFactory(account=company["bank"], executive=company["cfo"])
    client = api_client(company["owner"])
    run = client.post("/api/v1/matching/runs", {}, content_type="application/json").json()
    assert run["stale"] is False
    assert [(d["account_name"], d["change"]) for d in run["sponsorships"]] == [("Blue Harbor Bank", "keep")]
    assert run["changes"]["keep"] == 1
    company["cfo"].capacity_max = 1
    company["cfo"].save()
    assert client.get(f"/api/v1/matching/runs/{run['run']}").json()["stale"] is True
    refused = client.post(f"/api/v1/matching/runs/{run['run']}/approve")
    assert refused.status_code in (400, 422) and "Run it again" in refused.json()["message"]
