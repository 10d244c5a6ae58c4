"""API v1: list program reviews, read one (as far as the caller may see), create and change decisions."""

from __future__ import annotations

import pytest
from django.utils import timezone

from execsponsor.program import review_services
from execsponsor.program.models import ReviewDecision

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(cast):
    review = review_services.review_prepare(by=cast.owner, held_on=timezone.localdate())
    review_services.review_notes_update(review=review, by=cast.owner, notes="Budget talk", expected_version=1)
    review_services.decision_create(
        review=review, by=cast.owner, fields={"decision": "Escalate Evergreen", "account_id": cast.other_account.pk}
    )
    review.refresh_from_db()
    return review


@pytest.mark.parametrize("role", ["admin", "owner", "viewer", "sponsor", "ae", "csm"])
def test_everyone_lists_the_reviews(cast, api_as, review, role):
    response = api_as(role).get("/program/reviews")
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["items"]] == [review.pk]


def test_the_owner_reads_a_whole_review(api_as, review):
    body = api_as("owner").get(f"/program/reviews/{review.pk}").json()
    assert body["notes"] == "Budget talk"
    assert [d["decision"] for d in body["decisions"]] == ["Escalate Evergreen"]
    assert [item["group"] for item in body["agenda"]] == ["no_objectives"]  # Blue Harbor Bank has none


def test_a_sponsor_reads_only_what_concerns_their_accounts(api_as, review):
    body = api_as("sponsor").get(f"/program/reviews/{review.pk}").json()
    assert body["notes"] is None
    assert body["decisions"] == []  # Evergreen is not theirs
    assert [item["account_id"] for item in body["agenda"]] == [review.agenda[0]["account_id"]]


def test_an_account_executive_of_another_account_sees_no_agenda_item(api_as, review):
    assert api_as("ae").get(f"/program/reviews/{review.pk}").json()["agenda"] == []


def test_an_unknown_review_is_a_404(api_as):
    assert api_as("owner").get("/program/reviews/999999").status_code == 404


def test_the_owner_creates_a_decision_and_its_owner_gets_a_task(cast, api_as, review):
    response = api_as("owner").post(
        f"/program/reviews/{review.pk}/decisions",
        {"decision": "Agree objectives", "owner_id": cast.sponsor.pk, "due_on": "2030-01-31",
         "account_id": cast.sponsored_account.pk},
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["due_on"], body["owner_id"]) == ("open", "2030-01-31", cast.sponsor.pk)
    assert body["task_id"] is not None


@pytest.mark.parametrize("role", ["viewer", "sponsor", "ae", "csm"])
def test_others_may_not_create_decisions(api_as, review, role):
    response = api_as(role).post(f"/program/reviews/{review.pk}/decisions", {"decision": "Mine now"})
    assert response.status_code == 403
    assert ReviewDecision.objects.count() == 1


def test_bad_decisions_are_a_422(api_as, review):
    api = api_as("owner")
    assert api.post(f"/program/reviews/{review.pk}/decisions", {"decision": ""}).status_code == 422
    assert api.post(f"/program/reviews/{review.pk}/decisions", {"decision": "x", "status": "maybe"}).status_code == 422
    assert api.post(f"/program/reviews/{review.pk}/decisions", {"decision": "x", "owner_id": 999999}).status_code == 422


def test_a_decision_patch_must_name_the_version_it_read(api_as, review):
    decision = review.decisions.get()
    api = api_as("owner")
    assert api.patch(f"/program/decisions/{decision.pk}", {"status": "done"}).status_code == 409
    first = api.patch(f"/program/decisions/{decision.pk}", {"status": "done", "expected_version": decision.version})
    assert first.status_code == 200 and first.json()["status"] == "done"
    stale = api.patch(f"/program/decisions/{decision.pk}", {"status": "open", "expected_version": decision.version})
    assert stale.status_code == 409
    decision.refresh_from_db()
    assert decision.status == "done"
