"""Django admin: every model is registered and its list and add pages open for an admin."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import AccountFactory, ContactFactory, EngagementFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db

OUR_APPS = {"users", "customers", "program", "engagements", "playbooks", "signals", "insights", "notify"}


def our_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        and not model.__name__.startswith("Historical")
        and not model._meta.auto_created
    ]


def test_every_model_of_ours_is_in_the_admin():
    missing = [model.__name__ for model in our_models() if not admin.site.is_registered(model)]
    assert missing == []


def test_every_admin_list_and_add_page_opens(cast):
    SponsorshipFactory(account=ContactFactory().account)
    EngagementFactory(account=AccountFactory())
    client = client_for(cast.admin)
    for model in our_models():
        opts = model._meta
        for view in ("changelist", "add"):
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}")
            response = client.get(url)
            assert response.status_code == 200, f"{url} answered {response.status_code}"


def test_non_staff_users_cannot_open_the_admin(cast):
    response = client_for(cast.owner).get("/admin/customers/account/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
