"""Numbers too large for the database in a URL's path or query string are ignored or refused (4xx), never a
500, on every page and API endpoint: a sweep over every URL pattern and every known query parameter."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from execsponsor.api import api
from execsponsor.users.models import ApiToken

pytestmark = pytest.mark.django_db

HUGE = "9999999999999999999999"
# Query parameters the pages read (the API's come from its OpenAPI document).
PAGE_PARAMETERS = ["owner", "page", "engagements_page", "a", "b", "p", "o", "id", "id__exact", "q", "function"]


def _routes(patterns=None, prefix=""):
    """Every URL pattern as a regex-like string (converters kept as <name>)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route


def _filled(route: str, number: str) -> str:
    """A concrete path: every parameter (typed or regex group) becomes `number`."""
    path = re.sub(r"<(?:[a-z_]+:)?[a-z_]+>", number, route)
    path = re.sub(r"\(\?P<[a-z_]+>[^)]*\)", number, path)
    return "/" + path.lstrip("^").rstrip("$").replace("\\", "")


def _page_paths() -> list[str]:
    paths = {_filled(route, HUGE) for route in _routes() if not route.startswith("api/")}
    return sorted(path for path in paths if "(" not in path and "?" not in path)


def _api_queries() -> list[tuple[str, str]]:
    found = []
    for path, methods in api.get_openapi_schema()["paths"].items():
        if "get" not in methods:
            continue
        concrete = re.sub(r"\{[^}]+\}", HUGE, path)
        found.append((concrete, ""))
        for parameter in methods["get"].get("parameters", []):
            if parameter["in"] == "query":
                found.append((re.sub(r"\{[^}]+\}", "1", path), parameter["name"]))
    return found


def test_the_sweep_covers_the_pages_and_the_api():
    assert "/accounts/" + HUGE + "/" in _page_paths()
    assert ("/api/v1/accounts", "owner_id") in _api_queries()


@pytest.mark.parametrize("path", _page_paths())
def test_no_page_fails_on_a_huge_number(cast, path):
    client = Client()
    client.force_login(cast.admin)

    assert client.get(path).status_code < 500, path
    for name in PAGE_PARAMETERS:
        response = client.get(path, {name: HUGE})
        assert response.status_code < 500, (path, name)
        response = client.get(path, {name: HUGE}, HTTP_HX_REQUEST="true")
        assert response.status_code < 500, (path, name, "htmx")


def test_the_accounts_list_ignores_a_huge_owner(cast):
    client = Client()
    client.force_login(cast.admin)

    response = client.get("/accounts/", {"owner": HUGE})

    assert response.status_code == 200
    assert cast.other_account.name.encode() in response.content


def test_an_account_page_ignores_a_huge_timeline_page(cast):
    client = Client()
    client.force_login(cast.admin)
    path = f"/accounts/{cast.owned_account.pk}/"

    assert client.get(path, {"engagements_page": HUGE}).status_code == 200
    assert client.get(path, {"engagements_page": HUGE}, HTTP_HX_REQUEST="true").status_code == 200


@pytest.mark.parametrize(("path", "name"), _api_queries())
def test_no_api_endpoint_fails_on_a_huge_number(cast, path, name):
    _, raw = ApiToken.issue(user=cast.admin, name="sweep")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    response = client.get(path, {name: HUGE} if name else {})

    assert response.status_code < 500, (path, name, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
