"""Every endpoint answers bad requests in kind: a body that is not a JSON object is a 422 (and does nothing),
a write without a valid token is a 401, and every error (wrong method, too large a body) is JSON."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from execsponsor.api import api
from execsponsor.program.models import MatchingRun
from execsponsor.users.models import ApiToken

pytestmark = pytest.mark.django_db

NOT_OBJECTS = ["[]", "null", '"x"', "123", "true", "[{}]"]
WRITE_METHODS = {"post", "put", "patch", "delete"}


def _operations():
    """(method, path) of every documented operation, path parameters filled with 1."""
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method, re.sub(r"\{[^}]+\}", "1", path), operation


def _with_bodies():
    return [(method, path) for method, path, operation in _operations() if "requestBody" in operation]


def _writes():
    """Writes that take a token: not the signed webhooks, whose credential is their signature (tests/signals)."""
    return [
        (method, path)
        for method, path, operation in _operations()
        if method in WRITE_METHODS and operation.get("security")
    ]


def test_the_sweep_finds_the_endpoints_that_take_a_body():
    assert ("post", "/api/v1/matching/runs") in _with_bodies()
    assert ("patch", "/api/v1/sponsorships/1") in _with_bodies()
    assert ("post", "/api/v1/signals") in _writes()


@pytest.mark.parametrize(("method", "path"), _with_bodies())
@pytest.mark.parametrize("body", NOT_OBJECTS)
def test_a_body_that_is_not_a_json_object_is_a_422(cast, method, path, body):
    _, raw = ApiToken.issue(user=cast.admin, name="sweep")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    response = getattr(client, method)(path, body, content_type="application/json")

    assert response.status_code == 422, (method, path, body, response.content[:300])
    assert "message" in response.json()
    assert MatchingRun.objects.count() == 0


def _revoked_token(user) -> str:
    token, raw = ApiToken.issue(user=user, name="old")
    token.revoked_at = timezone.now()
    token.save()
    return raw


@pytest.mark.parametrize(("method", "path"), _writes())
@pytest.mark.parametrize("credentials", ["none", "wrong", "revoked", "wrong-header"])
def test_a_write_without_a_valid_token_is_a_401_in_json(cast, method, path, credentials):
    headers = {
        "none": {},
        "wrong": {"HTTP_AUTHORIZATION": "Bearer esp_made-up"},
        "revoked": {"HTTP_AUTHORIZATION": f"Bearer {_revoked_token(cast.owner)}"},
        "wrong-header": {"HTTP_X_API_KEY": "esp_made-up"},
    }[credentials]
    client = Client(enforce_csrf_checks=True, **headers)

    response = getattr(client, method)(path, "{}", content_type="application/json")

    assert response.status_code == 401, (method, path, response.content[:300])
    assert "Bearer" in response.json()["message"]


def test_a_signed_in_browser_still_needs_the_csrf_token_to_write(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.owner)

    response = client.post("/api/v1/matching/runs", "{}", content_type="application/json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("delete", "/api/v1/accounts/1"), ("put", "/api/v1/sponsorships"), ("post", "/api/v1/selection")],
)
def test_a_wrong_method_is_a_405_in_json(cast, method, path):
    _, raw = ApiToken.issue(user=cast.owner, name="sweep")

    response = getattr(Client(HTTP_AUTHORIZATION=f"Bearer {raw}"), method)(path)

    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert "not allowed" in response.json()["message"]


def test_an_unknown_api_version_is_a_404_in_json(cast):
    response = Client().get("/api/v9/accounts")

    assert response.status_code == 404 and response.json()["message"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_too_large_is_a_413_in_json(cast):
    _, raw = ApiToken.issue(user=cast.owner, name="sweep")
    body = json.dumps({"label": "x" * 2000})

    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").post(
        "/api/v1/matching/runs", body, content_type="application/json"
    )

    assert response.status_code == 413
    assert "too large" in response.json()["message"]
    assert MatchingRun.objects.count() == 0
