"""Bad input is a 4xx with a JSON message, never a 500."""

import json

import pytest
from django.test import Client

from execsponsor.customers.models import Account

pytestmark = pytest.mark.django_db


def test_it_answers_401_in_json_without_credentials(cast):
    response = Client().get("/api/v1/accounts")
    assert response.status_code == 401
    assert "Bearer" in response.json()["message"]


def test_it_answers_401_for_a_made_up_token(cast):
    response = Client(HTTP_AUTHORIZATION="Bearer esp_not-a-real-token").get("/api/v1/accounts")
    assert response.status_code == 401


def test_malformed_json_is_a_400(cast, api_as):
    response = api_as("owner").patch(f"/accounts/{cast.owned_account.pk}", '{"name": "Cobalt",')
    assert response.status_code == 400
    assert response.json()["message"] == "Cannot parse request body"


def test_a_json_list_instead_of_an_object_is_a_422(cast, api_as):
    response = api_as("owner").patch(f"/accounts/{cast.owned_account.pk}", "[1, 2, 3]")
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({"name": 12}, "name: Input should be a valid string"),
        ({"name": None}, "name: Input should be a valid string"),
        ({"name": ""}, "name: String should have at least 1 character"),
        ({"name": "x" * 256}, "name: String should have at most 255 characters"),
        ({"segment": "galactic"}, "segment: Input should be 'enterprise', 'mid_market' or 'smb'"),
        ({"strategic_value": 101}, "strategic_value: Input should be less than or equal to 100"),
        ({"arr": "-5"}, "arr: Input should be greater than or equal to 0"),
        ({"arr": "1e40"}, "arr: Decimal input should have no more than 16 digits in total"),
        ({"arr": "NaN"}, "arr"),
        ({"employees": 10**12}, "employees: Input should be less than or equal to 2147483647"),
        ({"renewal_date": "31/12/2026"}, "renewal_date"),
        ({"renewal_date": "0001-01-01"}, "renewal_date: Value error, must be between the years 1990 and 2200"),
        ({"industry": "Bank\x00ing"}, "industry: Value error, must not contain NUL characters"),
        ({"owner_id": 0}, "owner_id: Input should be greater than or equal to 1"),
        ({"owner_id": 2**70}, "owner_id: Input should be less than or equal to"),
        ({"capability_areas_in_use": ["x" * 101]}, "capability_areas_in_use"),
        ({"expected_updated_at": "yesterday"}, "expected_updated_at"),
    ],
)
def test_bad_fields_are_a_422_that_names_the_field(cast, api_as, body, complaint):
    response = api_as("owner").patch(f"/accounts/{cast.owned_account.pk}", body)
    assert response.status_code == 422, response.content
    assert complaint in response.json()["message"]
    assert Account.objects.get(pk=cast.owned_account.pk).name == "Cobalt Health Systems"


def test_a_nonexistent_owner_id_is_a_422(cast, api_as):
    response = api_as("owner").patch(f"/accounts/{cast.owned_account.pk}", {"owner_id": 424242})
    assert response.status_code == 422
    assert response.json()["message"] == "owner_id: there is no active user with id 424242"


def test_an_id_too_large_for_the_database_is_a_422_not_a_crash(cast, api_as):
    response = api_as("owner").get(f"/accounts/{2**64}")
    assert response.status_code == 422


def test_an_unknown_enum_in_a_filter_is_a_422(cast, api_as):
    response = api_as("owner").get("/engagements", kind="lunch")
    assert response.status_code == 422
    assert response.json()["message"].startswith("kind: Input should be")


def test_a_duplicate_crm_id_is_a_422_that_says_so(cast, api_as):
    Account.objects.filter(pk=cast.owned_account.pk).update(source="salesforce", external_id="001A")
    response = api_as("owner").post("/accounts", {"name": "Copy", "source": "salesforce", "external_id": "001A"})
    assert response.status_code == 422
    assert "already exists" in response.json()["message"]


def test_an_unknown_field_is_ignored_not_a_crash(cast, api_as):
    response = api_as("owner").patch(f"/accounts/{cast.owned_account.pk}", {"colour": "teal"})
    assert response.status_code == 200


def test_the_openapi_document_is_served_as_valid_json(cast):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    for path in ("/api/v1/accounts", "/api/v1/contacts", "/api/v1/executives", "/api/v1/sponsorships"):
        assert path in document["paths"]
    assert "patch" in document["paths"]["/api/v1/engagements/{engagement_id}"]


def test_the_api_docs_page_is_served(owner_client):
    assert owner_client.get("/api/v1/docs").status_code == 200


def test_a_signed_in_browser_cannot_be_made_to_write_without_the_csrf_token(cast):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.owner)
    response = browser.patch(
        f"/api/v1/accounts/{cast.owned_account.pk}", json.dumps({"name": "Hijacked"}), content_type="application/json"
    )
    assert response.status_code == 403
    assert Account.objects.get(pk=cast.owned_account.pk).name == "Cobalt Health Systems"


def test_a_token_client_needs_no_csrf_token(cast):
    from tests.api.conftest import ApiClient

    api = ApiClient(cast.owner)
    api.client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=api.client.defaults["HTTP_AUTHORIZATION"])
    assert api.patch(f"/accounts/{cast.owned_account.pk}", {"pain_points": "Ok"}).status_code == 200


def test_an_unknown_endpoint_is_a_json_404(cast, api_as):
    response = api_as("owner").get("/acounts")
    assert response.status_code == 404
    assert response.json()["message"] == "There is no API endpoint /api/v1/acounts; see /api/v1/docs"


def test_every_reference_in_the_openapi_document_resolves(cast):
    document = Client().get("/api/v1/openapi.json").json()
    components = document["components"]["schemas"]
    refs = set()

    def collect(node):
        if isinstance(node, dict):
            if "$ref" in node:
                refs.add(node["$ref"])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(document)
    assert refs
    assert {ref.removeprefix("#/components/schemas/") for ref in refs} <= set(components)
    assert not any("{path" in path or "{rest" in path for path in document["paths"])
