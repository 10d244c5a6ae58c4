import pytest

from execsponsor.customers.models import Account, Segment
from execsponsor.users.models import Role
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_lists_the_accounts_a_user_may_see_with_a_total(api_as):
    response = api_as("ae").get("/accounts")
    assert response.status_code == 200
    body = response.json()
    assert [a["name"] for a in body["items"]] == ["Cobalt Health Systems"]
    assert body["count"] == 1
    assert body["next_offset"] is None


def test_it_pages_with_limit_and_offset(api_as):
    api = api_as("owner")
    first = api.get("/accounts", limit=3).json()
    second = api.get("/accounts", limit=3, offset=first["next_offset"]).json()
    assert [a["name"] for a in first["items"]] == ["Blue Harbor Bank", "Cobalt Health Systems", "Delta Retail Group"]
    assert [a["name"] for a in second["items"]] == ["Evergreen Energy"]
    assert second["next_offset"] is None
    assert first["count"] == second["count"] == 4


def test_it_refuses_a_page_larger_than_the_maximum(api_as):
    response = api_as("owner").get("/accounts", limit=5000)
    assert response.status_code == 422
    assert "limit" in response.json()["message"]


def test_it_filters_by_segment_and_search(cast, api_as):
    AccountFactory(name="Fjord Shipping", segment=Segment.SMB, domain="fjord.example")
    api = api_as("owner")
    assert [a["name"] for a in api.get("/accounts", segment="smb").json()["items"]] == ["Fjord Shipping"]
    assert [a["name"] for a in api.get("/accounts", search="fjord.ex").json()["items"]] == ["Fjord Shipping"]


def test_it_looks_an_account_up_by_its_crm_id(cast, api_as):
    AccountFactory(name="Granite Insurance", source="salesforce", external_id="001Dn00000Granite")
    body = api_as("owner").get("/accounts", external_id="001Dn00000Granite", source="salesforce").json()
    assert [a["name"] for a in body["items"]] == ["Granite Insurance"]


def test_a_lookup_by_crm_id_does_not_reveal_an_invisible_account(cast, api_as):
    cast.other_account.source, cast.other_account.external_id = "salesforce", "001Dn00000Evergreen"
    cast.other_account.save()
    body = api_as("ae").get("/accounts", external_id="001Dn00000Evergreen").json()
    assert body["items"] == []


def test_it_shows_one_account_with_its_owner(cast, api_as):
    body = api_as("ae").get(f"/accounts/{cast.owned_account.pk}").json()
    assert body["name"] == "Cobalt Health Systems"
    assert body["owner"]["username"] == "alex.ae"
    assert body["updated_at"]


def test_an_account_the_user_may_not_see_is_not_found(cast, api_as):
    response = api_as("ae").get(f"/accounts/{cast.other_account.pk}")
    assert response.status_code == 404
    assert response.json() == {"message": "Not found"}


def test_the_program_owner_adds_an_account(cast, api_as):
    response = api_as("owner").post(
        "/accounts",
        {"name": "Harbor Logistics", "segment": "mid_market", "arr": "250000.00", "owner_id": cast.ae.pk},
    )
    assert response.status_code == 201, response.json()
    account = Account.objects.get(name="Harbor Logistics")
    assert account.owner == cast.ae
    assert account.history.latest().history_user == cast.owner


def test_an_account_executive_cannot_add_accounts(api_as):
    response = api_as("ae").post("/accounts", {"name": "Harbor Logistics"})
    assert response.status_code == 403
    assert "program owner" in response.json()["message"]


def test_the_account_executive_updates_their_account_and_history_names_them(cast, api_as):
    response = api_as("ae").patch(
        f"/accounts/{cast.owned_account.pk}", {"account_strategy": "Land the analytics suite in EMEA", "segment": None}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["segment"] == ""
    account = Account.objects.get(pk=cast.owned_account.pk)
    assert account.account_strategy == "Land the analytics suite in EMEA"
    assert account.history.latest().history_user == cast.ae


def test_an_account_executive_cannot_hand_the_account_to_someone_else(cast, api_as):
    response = api_as("ae").patch(f"/accounts/{cast.owned_account.pk}", {"owner_id": cast.outsider_ae.pk})
    assert response.status_code == 403
    assert Account.objects.get(pk=cast.owned_account.pk).owner == cast.ae


def test_the_owner_cannot_be_a_deactivated_user(cast, api_as):
    gone = UserFactory(username="gone.ae", role=Role.ACCOUNT_EXECUTIVE, is_active=False)
    response = api_as("owner").patch(f"/accounts/{cast.owned_account.pk}", {"owner_id": gone.pk})
    assert response.status_code == 422
    assert response.json()["message"] == f"owner_id: there is no active user with id {gone.pk}"


def test_a_stale_update_is_refused_as_a_concurrent_edit(cast, api_as):
    api = api_as("ae")
    read = api.get(f"/accounts/{cast.owned_account.pk}").json()
    first = api.patch(
        f"/accounts/{cast.owned_account.pk}",
        {"pain_points": "Slow reporting", "expected_updated_at": read["updated_at"]},
    )
    assert first.status_code == 200
    second = api.patch(
        f"/accounts/{cast.owned_account.pk}", {"pain_points": "Nothing", "expected_updated_at": read["updated_at"]}
    )
    assert second.status_code == 409
    assert "Concurrent edits detected" in second.json()["message"]
    assert Account.objects.get(pk=cast.owned_account.pk).pain_points == "Slow reporting"


def test_an_update_with_the_fresh_updated_at_goes_through(cast, api_as):
    api = api_as("ae")
    read = api.get(f"/accounts/{cast.owned_account.pk}").json()
    first = api.patch(
        f"/accounts/{cast.owned_account.pk}", {"pain_points": "A", "expected_updated_at": read["updated_at"]}
    )
    second = api.patch(
        f"/accounts/{cast.owned_account.pk}", {"pain_points": "B", "expected_updated_at": first.json()["updated_at"]}
    )
    assert second.status_code == 200


def test_a_viewer_gets_a_json_403_on_any_write(cast, api_as):
    response = api_as("viewer").patch(f"/accounts/{cast.owned_account.pk}", {"name": "Renamed"})
    assert response.status_code == 403
    assert response.json()["message"] == "Your role is read-only: you can look, not change"


def test_a_sponsor_cannot_edit_account_details(cast, api_as):
    response = api_as("sponsor").patch(f"/accounts/{cast.sponsored_account.pk}", {"customer_goals": "Grow"})
    assert response.status_code == 403


def test_a_sync_client_asks_only_for_accounts_changed_since_its_last_run(cast, api_as):
    api = api_as("owner")
    checkpoint = api.get(f"/accounts/{cast.other_account.pk}").json()["updated_at"]
    api.patch(f"/accounts/{cast.owned_account.pk}", {"pain_points": "Changed after the checkpoint"})
    body = api.get("/accounts", updated_since=checkpoint).json()
    assert "Cobalt Health Systems" in [a["name"] for a in body["items"]]
    assert "Blue Harbor Bank" not in [a["name"] for a in body["items"]]
