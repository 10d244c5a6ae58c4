"""An API client that authenticates like a script does: with a per-user token."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from execsponsor.users.models import ApiToken


class ApiClient:
    """JSON in, JSON out, as one user, through `Authorization: Bearer <token>`."""

    def __init__(self, user):
        self.user = user
        _, raw = ApiToken.issue(user=user, name="tests")
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params)

    def post(self, path, body):
        return self.client.post(f"/api/v1{path}", _encode(body), content_type="application/json")

    def patch(self, path, body):
        return self.client.patch(f"/api/v1{path}", _encode(body), content_type="application/json")


def _encode(body) -> str:
    return body if isinstance(body, str) else json.dumps(body)


@pytest.fixture
def api_as(cast):
    """api_as("ae") -> an ApiClient for that member of the cast."""
    return lambda name: ApiClient(cast.user(name))
