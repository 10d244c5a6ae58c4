"""A PATCH of an account, a contact or an engagement must send back the updated_at it read: without it, or with
an older one, it is a 409 and nothing changes (issue 8, item 4: a write with a missing version is refused)."""

from __future__ import annotations

import pytest

from execsponsor.customers.models import Account, Contact
from execsponsor.engagements.models import Engagement
from tests.factories import ContactFactory, EngagementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(cast):
    contact = ContactFactory(account=cast.owned_account, title="VP Operations")
    engagement = EngagementFactory(account=cast.owned_account)
    return {
        "accounts": (cast.owned_account.pk, {"pain_points": "Latency"}, Account, "pain_points"),
        "contacts": (contact.pk, {"title": "COO"}, Contact, "title"),
        "engagements": (engagement.pk, {"outcome": "Agreed a pilot"}, Engagement, "outcome"),
    }


@pytest.mark.parametrize("kind", ["accounts", "contacts", "engagements"])
def test_a_patch_without_the_version_it_read_is_a_409_and_changes_nothing(records, api_as, kind):
    pk, change, model, field = records[kind]
    before = getattr(model.objects.get(pk=pk), field)
    response = api_as("ae").patch_as_sent(f"/{kind}/{pk}", change)
    assert response.status_code == 409
    assert "expected_updated_at" in response.json()["message"]
    assert getattr(model.objects.get(pk=pk), field) == before


@pytest.mark.parametrize("kind", ["accounts", "contacts", "engagements"])
def test_a_patch_with_the_version_it_read_goes_through_once(records, api_as, kind):
    pk, change, model, field = records[kind]
    api = api_as("ae")
    read = api.get(f"/{kind}/{pk}").json()["updated_at"]
    first = api.patch_as_sent(f"/{kind}/{pk}", {**change, "expected_updated_at": read})
    assert first.status_code == 200
    assert getattr(model.objects.get(pk=pk), field) == next(iter(change.values()))
    again = api.patch_as_sent(f"/{kind}/{pk}", {**change, "expected_updated_at": read})
    assert again.status_code == 409  # the first write moved the version on


def test_someone_who_may_not_edit_hears_403_whether_or_not_they_send_a_version(cast, api_as):
    response = api_as("sponsor").patch_as_sent(f"/accounts/{cast.sponsored_account.pk}", {"customer_goals": "Grow"})
    assert response.status_code == 403
