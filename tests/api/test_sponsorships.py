import pytest

from execsponsor.program.models import Sponsorship, SponsorshipStatus
from tests.factories import ContactFactory, ExecutiveFactory

pytestmark = pytest.mark.django_db


def sponsorship_of(cast) -> Sponsorship:
    return cast.sponsored_account.sponsorships.get()


def test_a_sponsor_updates_the_charter_of_their_sponsorship(cast, api_as):
    sponsorship = sponsorship_of(cast)
    response = api_as("sponsor").patch(
        f"/sponsorships/{sponsorship.pk}",
        {"charter_objectives": "Help Blue Harbor modernise payments by 2027", "expected_version": 1},
    )
    assert response.status_code == 200, response.json()
    sponsorship.refresh_from_db()
    assert sponsorship.charter_objectives == "Help Blue Harbor modernise payments by 2027"
    assert sponsorship.history.latest().history_user == cast.sponsor


def test_a_sponsor_cannot_change_the_status_of_their_sponsorship(cast, api_as):
    response = api_as("sponsor").patch(f"/sponsorships/{sponsorship_of(cast).pk}", {"status": "ended"})
    assert response.status_code == 403
    assert "status is the program owner's to change" in response.json()["message"]


def test_the_account_executive_edits_the_charter_but_not_the_cadence(cast, api_as):
    cast.sponsored_account.owner = cast.ae
    cast.sponsored_account.save()
    api = api_as("ae")
    assert api.get(f"/sponsorships/{sponsorship_of(cast).pk}").status_code == 200
    charter = api.patch(f"/sponsorships/{sponsorship_of(cast).pk}", {"charter_objectives": "x", "expected_version": 1})
    assert charter.status_code == 200
    cadence = api.patch(f"/sponsorships/{sponsorship_of(cast).pk}", {"cadence_days": 7, "expected_version": 2})
    assert cadence.status_code == 403
    assert "cadence_days is the program owner's to change" in cadence.json()["message"]


def test_a_stale_charter_edit_is_a_409(cast, api_as):
    api = api_as("sponsor")
    read = api.get(f"/sponsorships/{sponsorship_of(cast).pk}").json()
    assert read["version"] == 1
    owner_edit = api_as("owner").patch(
        f"/sponsorships/{sponsorship_of(cast).pk}", {"cadence_days": 21, "expected_version": read["version"]}
    )
    assert owner_edit.status_code == 200 and owner_edit.json()["version"] == 2
    response = api.patch(
        f"/sponsorships/{sponsorship_of(cast).pk}",
        {"customer_commitment": "Quarterly CIO time", "expected_version": read["version"]},
    )
    assert response.status_code == 409
    assert sponsorship_of(cast).customer_commitment == ""


def test_a_write_without_a_version_is_a_409_and_writes_nothing(cast, api_as):
    response = api_as("owner").patch(f"/sponsorships/{sponsorship_of(cast).pk}", {"cadence_days": 30})

    assert response.status_code == 409
    assert "expected_version" in response.json()["message"]
    assert sponsorship_of(cast).cadence_days == 14


def test_a_null_version_is_a_409_too(cast, api_as):
    response = api_as("owner").patch(
        f"/sponsorships/{sponsorship_of(cast).pk}", {"cadence_days": 30, "expected_version": None}
    )
    assert response.status_code == 409


def test_a_sponsorship_without_any_history_still_detects_a_stale_write(cast, api_as):
    """Rows written without a history record (bulk loads, the demo) had updated_at null, which skipped the check."""
    sponsorship = sponsorship_of(cast)
    sponsorship.history.all().delete()
    api = api_as("owner")
    assert api.get(f"/sponsorships/{sponsorship.pk}").json()["updated_at"] is None

    first = api.patch(f"/sponsorships/{sponsorship.pk}", {"cadence_days": 21, "expected_version": 1})
    second = api.patch(f"/sponsorships/{sponsorship.pk}", {"cadence_days": 28, "expected_version": 1})

    assert (first.status_code, second.status_code) == (200, 409)
    assert sponsorship_of(cast).cadence_days == 21


def test_changing_only_the_counterparts_moves_the_version_on(cast, api_as):
    counterpart = ContactFactory(account=cast.sponsored_account)
    api = api_as("owner")

    response = api.patch(
        f"/sponsorships/{sponsorship_of(cast).pk}", {"counterpart_ids": [counterpart.pk], "expected_version": 1}
    )

    assert response.status_code == 200 and response.json()["version"] == 2
    assert response.json()["counterpart_ids"] == [counterpart.pk]


def test_the_program_owner_proposes_a_sponsorship_with_counterparts(cast, api_as):
    executive = ExecutiveFactory(user__username="rita.cfo")
    counterpart = ContactFactory(account=cast.owned_account)
    response = api_as("owner").post(
        "/sponsorships",
        {"account_id": cast.owned_account.pk, "executive_id": executive.pk, "counterpart_ids": [counterpart.pk]},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "proposed"
    assert response.json()["counterpart_ids"] == [counterpart.pk]


def test_a_second_open_sponsorship_of_the_same_pair_is_refused(cast, api_as):
    sponsorship = sponsorship_of(cast)
    response = api_as("owner").post(
        "/sponsorships", {"account_id": cast.sponsored_account.pk, "executive_id": sponsorship.executive_id}
    )
    assert response.status_code == 422
    assert Sponsorship.objects.filter(account=cast.sponsored_account).count() == 1


def test_ending_a_sponsorship_records_the_end_date(cast, api_as):
    response = api_as("owner").patch(
        f"/sponsorships/{sponsorship_of(cast).pk}",
        {"status": "ended", "end_reason": "Quarterly rebalance", "expected_version": 1},
    )
    assert response.status_code == 200
    assert response.json()["ended_on"]
    assert sponsorship_of(cast).status == SponsorshipStatus.ENDED


def test_an_unknown_executive_is_a_422(cast, api_as):
    response = api_as("owner").post("/sponsorships", {"account_id": cast.owned_account.pk, "executive_id": 99999})
    assert response.status_code == 422
    assert response.json()["message"] == "executive_id: there is no active executive with id 99999"


def test_any_save_of_a_sponsorship_moves_its_version_on(cast, api_as):
    """Matching and rebalancing save sponsorships too; a client that read before them must hear of it."""
    sponsorship = sponsorship_of(cast)
    sponsorship.status = SponsorshipStatus.PAUSED
    sponsorship.save(update_fields=["status"])

    response = api_as("owner").patch(f"/sponsorships/{sponsorship.pk}", {"cadence_days": 30, "expected_version": 1})

    assert sponsorship_of(cast).version == 2
    assert response.status_code == 409
