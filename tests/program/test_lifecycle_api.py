"""POST /api/v1/sponsorships/{id}/transition and GET …/transitions, and PATCH status through the same gates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from execsponsor.program.models import AlignmentChecklist, Sponsorship, SponsorshipStatus
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


def path(sponsorship, tail="") -> str:
    return f"/sponsorships/{sponsorship.pk}{tail}"


def version(sponsorship) -> int:
    return Sponsorship.objects.get(pk=sponsorship.pk).version


def status(sponsorship) -> str:
    return Sponsorship.objects.get(pk=sponsorship.pk).status


def aligned(sponsorship):
    now = timezone.now()
    AlignmentChecklist.objects.create(sponsorship=sponsorship, ae_completed_at=now, sponsor_completed_at=now)


def test_introduce_then_activate_through_the_api(cast, team_sponsorship):
    api = ApiClient(cast.ae)
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = api.post(
        path(team_sponsorship, "/transition"),
        {"step": "introduce", "introduced_on": day, "expected_version": version(team_sponsorship)},
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["introduced_on"]) == ("introduced", day)
    refused = api.post(
        path(team_sponsorship, "/transition"), {"step": "activate", "expected_version": version(team_sponsorship)}
    )
    assert refused.status_code == 422
    assert "alignment checklist is not complete" in refused.json()["message"]
    aligned(team_sponsorship)
    done = api.post(
        path(team_sponsorship, "/transition"), {"step": "activate", "expected_version": version(team_sponsorship)}
    )
    assert done.status_code == 200 and done.json()["status"] == "active"
    assert done.json()["alignment_checked_on"] == timezone.localdate().isoformat()


def test_introduce_without_a_date_is_a_422_naming_the_field(cast, team_sponsorship):
    response = ApiClient(cast.owner).post(
        path(team_sponsorship, "/transition"), {"step": "introduce", "expected_version": version(team_sponsorship)}
    )
    assert response.status_code == 422
    assert response.json()["message"].startswith("introduced_on:")


def test_a_stale_version_is_a_409_and_a_missing_one_too(cast, team_sponsorship):
    api = ApiClient(cast.owner)
    read = version(team_sponsorship)
    api.patch(path(team_sponsorship), {"cadence_days": 21, "expected_version": read})
    stale = api.post(path(team_sponsorship, "/transition"), {"step": "end", "reason": "x", "expected_version": read})
    missing = api.post(path(team_sponsorship, "/transition"), {"step": "end", "reason": "x"})
    assert (stale.status_code, missing.status_code) == (409, 409)
    assert status(team_sponsorship) == SponsorshipStatus.APPROVED


@pytest.mark.parametrize(("who", "code"), [("viewer", 403), ("outsider_ae", 404), ("ae", 403), ("sponsor", 403)])
def test_who_may_not_end_it(cast, team_sponsorship, who, code):
    response = ApiClient(cast.user(who)).post(
        path(team_sponsorship, "/transition"),
        {"step": "end", "reason": "x", "expected_version": version(team_sponsorship)},
    )
    assert response.status_code == code
    assert status(team_sponsorship) == SponsorshipStatus.APPROVED


@pytest.mark.parametrize(
    "body",
    [
        {"step": "launch", "expected_version": 1},
        {"step": "end", "reason": "r" * 256, "expected_version": 1},
        {"step": "introduce", "introduced_on": "not a day", "expected_version": 1},
        {"step": "end", "expected_version": "one"},
        [],
        "null",
    ],
)
def test_bad_transition_bodies_are_a_422(cast, team_sponsorship, body):
    assert ApiClient(cast.owner).post(path(team_sponsorship, "/transition"), body).status_code == 422


def test_the_transitions_list_says_why_not(cast, team_sponsorship):
    options = ApiClient(cast.sponsor).get(path(team_sponsorship, "/transitions")).json()
    assert [(o["step"], o["target"], o["possible"]) for o in options] == [
        ("introduce", "introduced", True),
        ("end", "ended", False),
    ]
    assert options[1]["why_not"] == "Only the program owner or an admin may end a sponsorship"


def test_patching_status_goes_through_the_gates(cast, team_sponsorship):
    api = ApiClient(cast.owner)
    jump = api.patch(path(team_sponsorship), {"status": "active", "expected_version": version(team_sponsorship)})
    assert jump.status_code == 422
    assert "cannot become active" in jump.json()["message"]
    undated = api.patch(path(team_sponsorship), {"status": "introduced", "expected_version": version(team_sponsorship)})
    assert undated.status_code == 422
    end = api.patch(path(team_sponsorship), {"status": "ended", "expected_version": version(team_sponsorship)})
    assert end.status_code == 422 and "say why" in end.json()["message"]
    assert status(team_sponsorship) == SponsorshipStatus.APPROVED


def test_a_new_sponsorship_cannot_start_active(cast):
    from tests.factories import ExecutiveFactory

    executive = ExecutiveFactory(user__username="rita.cfo")
    response = ApiClient(cast.owner).post(
        "/sponsorships", {"account_id": cast.owned_account.pk, "executive_id": executive.pk, "status": "active"}
    )
    assert response.status_code == 422
    assert "starts proposed or approved" in response.json()["message"]
    approved = ApiClient(cast.owner).post(
        "/sponsorships", {"account_id": cast.owned_account.pk, "executive_id": executive.pk, "status": "approved"}
    )
    assert approved.status_code == 201 and approved.json()["approved_at"]
