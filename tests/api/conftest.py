"""An API client that authenticates like a script does: with a per-user token."""

from __future__ import annotations

import json
import re

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
        """A well-behaved client: it sends back the updated_at it read (expected_updated_at) unless the test
        names one. `patch_as_sent` sends the body as it is."""
        if isinstance(body, dict) and _CHECKED.match(path) and "expected_updated_at" not in body:
            read = self.get(path)
            if read.status_code == 200:
                body = {**body, "expected_updated_at": read.json()["updated_at"]}
        return self.patch_as_sent(path, body)

    def patch_as_sent(self, path, body):
        return self.client.patch(f"/api/v1{path}", _encode(body), content_type="application/json")


# The PATCHes that must name the updated_at they read (docs/api.md).
_CHECKED = re.compile(r"^/(accounts|contacts|engagements|outcomes|advocates)/\d+$")


def _encode(body) -> str:
    return body if isinstance(body, str) else json.dumps(body)


@pytest.fixture
def api_as(cast):
    """api_as("ae") -> an ApiClient for that member of the cast."""
    return lambda name: ApiClient(cast.user(name))
