"""The outcomes and advocates API: list, create, patch with the version read, and who may do what."""

from __future__ import annotations

import pytest

from execsponsor.customers.models import Advocate, Outcome
from execsponsor.customers.services_outcomes import advocate_create, outcome_create
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def outcome(cast):
    return outcome_create(by=cast.owner, account=cast.sponsored_account, fields={"title": "Cut churn to 2%"})


def test_a_sponsor_lists_only_the_outcomes_of_their_account(cast, api_as, outcome):
    outcome_create(by=cast.owner, account=cast.other_account, fields={"title": "Not theirs"})
    body = api_as("sponsor").get("/outcomes").json()
    assert [item["title"] for item in body["items"]] == ["Cut churn to 2%"]
    assert body["count"] == 1
    assert api_as("owner").get("/outcomes", account_id=cast.other_account.pk).json()["count"] == 1


def test_an_outcome_of_an_account_you_cannot_see_is_404(cast, api_as, outcome):
    assert api_as("outsider_ae").get(f"/outcomes/{outcome.pk}").status_code == 404
    assert api_as("outsider_ae").patch(f"/outcomes/{outcome.pk}", {"target": "1%"}).status_code == 404


def test_the_ae_creates_an_expected_outcome(cast, api_as):
    response = api_as("ae").post(
        "/outcomes",
        {"account_id": cast.owned_account.pk, "title": "Close in 3 days", "baseline": "9", "target": "3"},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["target"], body["delivered_on"]) == ("expected", "3", None)
    assert Outcome.objects.get().history.get().history_user == cast.ae


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("outsider_ae", 404), ("csm", 404)])
def test_who_may_not_create_one_on_the_ae_account(cast, api_as, role, status):
    response = api_as(role).post("/outcomes", {"account_id": cast.owned_account.pk, "title": "x"})
    assert response.status_code == status
    assert not Outcome.objects.exists()


def test_delivered_without_evidence_is_a_422_naming_the_field(api_as, outcome):
    response = api_as("sponsor").patch(f"/outcomes/{outcome.pk}", {"status": "delivered"})
    assert response.status_code == 422
    assert response.json()["field"] == "evidence"


def test_marking_delivered_with_evidence_and_as_a_success_story(api_as, outcome):
    response = api_as("sponsor").patch(
        f"/outcomes/{outcome.pk}",
        {
            "status": "delivered",
            "evidence": "Churn 4.1% → 1.9%",
            "delivered_on": "2026-06-30",
            "is_success_story": True,
        },
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["delivered_on"], response.json()["is_success_story"]) == ("2026-06-30", True)


def test_a_patch_must_name_the_version_it_read(api_as, outcome):
    api = api_as("owner")
    assert api.patch_as_sent(f"/outcomes/{outcome.pk}", {"target": "1%"}).status_code == 409
    read = api.get(f"/outcomes/{outcome.pk}").json()["updated_at"]
    assert (
        api.patch_as_sent(f"/outcomes/{outcome.pk}", {"target": "1%", "expected_updated_at": read}).status_code == 200
    )
    again = api.patch_as_sent(f"/outcomes/{outcome.pk}", {"target": "0%", "expected_updated_at": read})
    assert again.status_code == 409
    assert Outcome.objects.get().target == "1%"


def test_a_viewer_hears_403_before_a_version_check(api_as, outcome):
    assert api_as("viewer").patch_as_sent(f"/outcomes/{outcome.pk}", {"target": "1%"}).status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {"status": "won"},
        {"title": ""},
        {"title": "x" * 256},
        {"expected_by": "next year"},
        {"shared_with_customer": "?"},
    ],
)
def test_bad_input_is_a_422(api_as, outcome, body):
    assert api_as("owner").patch(f"/outcomes/{outcome.pk}", body).status_code == 422


def test_advocates_are_created_patched_and_their_activities_recorded(cast, api_as):
    contact = ContactFactory(account=cast.sponsored_account, first_name="Ana", last_name="Conceição")
    api = api_as("sponsor")
    created = api.post("/advocates", {"contact_id": contact.pk, "agreed_to": ["case_study", "reference_call"]})
    assert created.status_code == 201, created.json()
    advocate = created.json()
    assert advocate["agreed_to"] == ["reference_call", "case_study"]
    assert advocate["account_id"] == cast.sponsored_account.pk and advocate["activities"] == []
    done = api.post(
        f"/advocates/{advocate['id']}/activities", {"kind": "reference_call", "done_on": "2026-05-04", "note": "Call"}
    )
    assert done.status_code == 201
    patched = api.patch(f"/advocates/{advocate['id']}", {"agreed_to": ["testimonial"]})
    assert patched.status_code == 200
    body = api.get(f"/advocates/{advocate['id']}").json()
    assert body["agreed_to"] == ["testimonial"]
    assert [(a["kind"], a["done_on"]) for a in body["activities"]] == [("reference_call", "2026-05-04")]
    assert api_as("sponsor").get("/advocates").json()["count"] == 1
    assert api_as("outsider_ae").get("/advocates").json()["count"] == 0


@pytest.mark.parametrize("agreed_to", [[], ["golf"], "reference_call"])
def test_an_advocate_with_unknown_or_no_kinds_is_a_422(cast, api_as, agreed_to):
    contact = ContactFactory(account=cast.sponsored_account)
    assert api_as("owner").post("/advocates", {"contact_id": contact.pk, "agreed_to": agreed_to}).status_code == 422
    assert not Advocate.objects.exists()


def test_an_advocate_patch_without_its_version_is_a_409(cast, api_as):
    advocate = advocate_create(
        by=cast.owner, contact=ContactFactory(account=cast.owned_account), fields={"agreed_to": ["event"]}
    )
    assert api_as("ae").patch_as_sent(f"/advocates/{advocate.pk}", {"notes": "x"}).status_code == 409
    assert (
        api_as("viewer")
        .post(f"/advocates/{advocate.pk}/activities", {"kind": "event", "done_on": "2026-01-01"})
        .status_code
        == 403
    )
    assert (
        api_as("outsider_ae")
        .post("/advocates", {"contact_id": advocate.contact_id, "agreed_to": ["event"]})
        .status_code
        == 404
    )
