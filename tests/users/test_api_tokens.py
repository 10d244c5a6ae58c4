"""API tokens: created on the page (the secret shown once), revoked there, and checked on every request."""

import pytest
from django.test import Client
from typer.testing import CliRunner

from execsponsor.cli import app
from execsponsor.users.models import ApiToken, Role, User
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def api_get(raw: str, path: str = "/api/v1/accounts", header: str = "bearer"):
    if header == "bearer":
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(path)
    return Client(HTTP_X_API_KEY=raw).get(path)


def test_the_page_creates_a_token_and_shows_its_secret_once(cast):
    page = client_for(cast.ae)
    response = page.post("/executives/me/api-tokens/", {"name": "Nightly CRM sync"})
    assert response.status_code == 201
    token = ApiToken.objects.get(user=cast.ae)
    raw = response.context["raw_token"]
    assert raw.startswith("esp_") and raw.encode() in response.content
    assert token.key_hash != raw and raw not in token.key_hash
    assert raw.encode() not in page.get("/executives/me/api-tokens/").content
    assert b"Nightly CRM sync" in page.get("/executives/me/api-tokens/").content


def test_the_page_asks_for_a_name(cast):
    response = client_for(cast.ae).post("/executives/me/api-tokens/", {"name": "   "})
    assert response.status_code == 422
    assert b"Give the token a name" in response.content
    assert not ApiToken.objects.exists()


def test_a_new_token_reads_the_api_with_its_owners_access(cast):
    _, raw = ApiToken.issue(user=cast.ae, name="script")
    response = api_get(raw)
    assert response.status_code == 200
    assert [a["name"] for a in response.json()["items"]] == ["Cobalt Health Systems"]


def test_the_x_api_key_header_works_too(cast):
    _, raw = ApiToken.issue(user=cast.ae, name="script")
    assert api_get(raw, header="x-api-key").status_code == 200


def test_using_a_token_records_when_it_was_last_used(cast):
    token, raw = ApiToken.issue(user=cast.ae, name="script")
    assert token.last_used_at is None
    api_get(raw)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_is_refused(cast):
    token, raw = ApiToken.issue(user=cast.ae, name="script")
    response = client_for(cast.ae).post(f"/executives/me/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_get(raw).status_code == 401


def test_revoking_needs_a_post(cast):
    token, _ = ApiToken.issue(user=cast.ae, name="script")
    assert client_for(cast.ae).get(f"/executives/me/api-tokens/{token.pk}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_nobody_can_revoke_someone_elses_token(cast):
    token, raw = ApiToken.issue(user=cast.ae, name="script")
    response = client_for(cast.outsider_ae).post(f"/executives/me/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    assert api_get(raw).status_code == 200


def test_the_page_lists_only_your_own_tokens(cast):
    ApiToken.issue(user=cast.ae, name="Alex's script")
    ApiToken.issue(user=cast.csm, name="Casey's script")
    content = client_for(cast.csm).get("/executives/me/api-tokens/").content
    assert b"Casey&#x27;s script" in content
    assert b"Alex&#x27;s script" not in content


def test_a_token_of_a_deactivated_user_is_refused(cast):
    _, raw = ApiToken.issue(user=cast.ae, name="script")
    User.objects.filter(pk=cast.ae.pk).update(is_active=False)
    assert api_get(raw).status_code == 401


def test_a_token_with_one_character_changed_is_refused(cast):
    _, raw = ApiToken.issue(user=cast.ae, name="script")
    tampered = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    assert api_get(tampered).status_code == 401


def test_the_cli_issues_a_token_that_works(cast):
    result = CliRunner().invoke(app, ["token", "create", "alex.ae", "--name", "Warehouse export"])
    assert result.exit_code == 0, result.output
    raw = result.stdout.strip().splitlines()[-1]
    assert api_get(raw).status_code == 200
    assert ApiToken.objects.get(user=cast.ae).name == "Warehouse export"


def test_the_cli_says_when_the_user_does_not_exist(db):
    result = CliRunner().invoke(app, ["token", "create", "nobody", "--name", "x"])
    assert result.exit_code == 2
    assert "There is no user 'nobody'" in result.output


def test_the_cli_creates_a_user_with_a_role(db):
    result = CliRunner().invoke(app, ["user", "create", "jo.csm", "--role", "csm", "--email", "jo@ourco.example"])
    assert result.exit_code == 0, result.output
    user = User.objects.get(username="jo.csm")
    assert user.role == Role.CSM and not user.has_usable_password()


def test_the_cli_refuses_an_unknown_role(db):
    UserFactory(username="someone")
    result = CliRunner().invoke(app, ["user", "create", "jo", "--role", "wizard"])
    assert result.exit_code == 2
    assert "'wizard' is not one of" in result.output
    assert not User.objects.filter(username="jo").exists()


def test_a_burst_of_requests_does_not_rewrite_last_used_at_each_time(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, raw = ApiToken.issue(user=cast.ae, name="script")
    api_get(raw)
    with CaptureQueriesContext(connection) as captured:
        assert api_get(raw).status_code == 200
    assert not [q for q in captured if q["sql"].lstrip().upper().startswith("UPDATE")]
