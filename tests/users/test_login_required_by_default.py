"""Every view needs a signed-in user unless it is marked open (Django's LoginRequiredMiddleware): a view added
tomorrow without a thought for access is protected, and the open views are exactly the ones meant to be."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, path

from execsponsor import urls as project_urls
from tests.conftest import client_for


def brand_new_page(request):
    return HttpResponse("something only our people should read")


urlpatterns = [path("brand-new/", brand_new_page), *project_urls.urlpatterns]


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_a_new_view_without_a_decorator_needs_a_signed_in_user(cast):
    response = Client().get("/brand-new/?tab=2")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/brand-new/%3Ftab%3D2"
    assert client_for(cast.viewer).get("/brand-new/").status_code == 200


def _open_routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _open_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and not getattr(pattern.callback, "login_required", True):
            yield prefix + str(pattern.pattern)


def test_only_sign_in_setup_invitations_password_reset_health_and_the_api_are_open():
    open_routes = set(_open_routes(get_resolver().url_patterns))
    pages = {route for route in open_routes if not route.startswith("api/v1/")}
    assert pages == {
        "login/",
        "setup/",
        "welcome/<uidb64>/<token>/",
        "password/reset/",
        "password/reset/sent/",
        "password/reset/<uidb64>/<token>/",
        "password/reset/done/",
        "admin/login/",
        "healthz",
    }
    api_routes = {str(p.pattern) for p in project_urls.api.urls[0]}
    assert {route.removeprefix("api/v1/") for route in open_routes - pages} == api_routes
