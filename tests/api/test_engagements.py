import datetime as dt

import pytest

from execsponsor.engagements.models import Engagement
from tests.factories import ContactFactory, EngagementFactory

pytestmark = pytest.mark.django_db

WHEN = "2026-10-06T15:00:00+00:00"


def test_an_account_executive_logs_an_engagement_with_their_contacts(cast, api_as):
    cio = ContactFactory(account=cast.owned_account, last_name="Okafor")
    cfo = ContactFactory(account=cast.owned_account, last_name="Lindqvist")
    response = api_as("ae").post(
        "/engagements",
        {
            "account_id": cast.owned_account.pk,
            "kind": "meeting",
            "subject": "Roadmap review with the CIO",
            "occurred_at": WHEN,
            "contact_ids": [cio.pk, cfo.pk],
            "discussed_strategy": True,
            "next_step_agreed": True,
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["counts"] is True
    assert sorted(body["contact_ids"]) == sorted([cio.pk, cfo.pk])
    assert body["attendee_ids"] == [cast.ae.pk]
    engagement = Engagement.objects.get(pk=body["id"])
    assert engagement.owner == cast.ae
    assert engagement.history.latest().history_user == cast.ae


def test_one_ticked_rubric_item_does_not_make_an_engagement_count(cast, api_as):
    response = api_as("ae").post(
        "/engagements",
        {
            "account_id": cast.owned_account.pk,
            "subject": "Intro call",
            "occurred_at": WHEN,
            "learned_something_new": True,
        },
    )
    assert response.json()["counts"] is False


def test_it_rejects_a_participant_from_another_account(cast, api_as):
    stranger = ContactFactory(account=cast.other_account)
    response = api_as("ae").post(
        "/engagements",
        {"account_id": cast.owned_account.pk, "subject": "Call", "occurred_at": WHEN, "contact_ids": [stranger.pk]},
    )
    assert response.status_code == 422
    assert response.json()["message"].startswith(
        f"contact_ids: {stranger.pk} is not a contact of Cobalt Health Systems"
    )
    assert not Engagement.objects.exists()


def test_a_participant_that_does_not_exist_reads_the_same_as_a_stranger(cast, api_as):
    response = api_as("ae").post(
        "/engagements",
        {"account_id": cast.owned_account.pk, "subject": "Call", "occurred_at": WHEN, "contact_ids": [987654]},
    )
    assert response.status_code == 422
    assert response.json()["message"].startswith("contact_ids: 987654 is not a contact of Cobalt Health Systems")


def test_it_rejects_an_end_before_the_start(cast, api_as):
    response = api_as("ae").post(
        "/engagements",
        {
            "account_id": cast.owned_account.pk,
            "subject": "Dinner",
            "occurred_at": WHEN,
            "ends_at": "2026-10-06T14:00:00+00:00",
        },
    )
    assert response.status_code == 422
    assert "ends_at must not be before occurred_at" in response.json()["message"]


def test_a_sponsors_engagement_joins_their_sponsorship(cast, api_as):
    response = api_as("sponsor").post(
        "/engagements", {"account_id": cast.sponsored_account.pk, "subject": "Executive dinner", "occurred_at": WHEN}
    )
    assert response.status_code == 201
    assert response.json()["sponsorship_id"] == cast.sponsored_account.sponsorships.get().pk


def test_a_sponsor_cannot_log_on_an_account_they_do_not_sponsor(cast, api_as):
    response = api_as("sponsor").post(
        "/engagements", {"account_id": cast.owned_account.pk, "subject": "Call", "occurred_at": WHEN}
    )
    assert response.status_code == 404


def test_it_lists_an_accounts_engagements_in_a_date_range(cast, api_as):
    base = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
    for days in (0, 30, 60, 90):
        EngagementFactory(account=cast.owned_account, subject=f"Day {days}", occurred_at=base + dt.timedelta(days=days))
    EngagementFactory(account=cast.other_account, subject="Elsewhere", occurred_at=base)
    body = (
        api_as("ae")
        .get(
            "/engagements",
            account_id=cast.owned_account.pk,
            since="2026-06-15T00:00:00Z",
            until="2026-08-30T12:00:00Z",
        )
        .json()
    )
    assert [e["subject"] for e in body["items"]] == ["Day 60", "Day 30"]


def test_an_owner_sees_no_engagement_of_an_invisible_account_in_the_list(cast, api_as):
    EngagementFactory(account=cast.other_account, subject="Elsewhere")
    body = api_as("ae").get("/engagements").json()
    assert body["items"] == []


def test_updating_the_rubric_recomputes_counts(cast, api_as):
    engagement = EngagementFactory(account=cast.owned_account, discussed_strategy=True, next_step_agreed=False)
    assert engagement.counts is False
    response = api_as("ae").patch(f"/engagements/{engagement.pk}", {"next_step_agreed": True})
    assert response.status_code == 200
    assert response.json()["counts"] is True


def test_a_stale_engagement_update_is_a_409(cast, api_as):
    engagement = EngagementFactory(account=cast.owned_account)
    response = api_as("ae").patch(
        f"/engagements/{engagement.pk}", {"outcome": "Agreed a pilot", "expected_updated_at": "2026-01-01T00:00:00Z"}
    )
    assert response.status_code == 409
