"""Logging an engagement: the rubric decides whether it counts, commitments become tasks, the owner may
override with a reason that is kept. Through the service, the API and the pages."""

import datetime as dt
import json

import pytest

from execsponsor.common.errors import InvalidInput, NotPermitted
from execsponsor.engagements.models import Engagement
from execsponsor.engagements.services import CommitmentDraft, engagement_counts_override, engagement_log
from execsponsor.playbooks.models import Task
from execsponsor.program.models import ProgramSetting
from tests.api.conftest import ApiClient
from tests.conftest import client_for
from tests.factories import ContactFactory, EngagementFactory

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2026, 10, 6, 15, tzinfo=dt.UTC)


def log(cast, by="sponsor", **fields):
    fields = {"kind": "meeting", "occurred_at": WHEN, **fields}
    return engagement_log(by=cast.user(by), account=cast.sponsored_account, fields=fields)


def test_two_ticked_items_count_one_does_not(cast):
    assert log(cast, discussed_strategy=True, over_the_horizon=True).counts is True
    assert log(cast, over_the_horizon=True).counts is False


def test_the_threshold_is_a_program_setting(cast):
    ProgramSetting.objects.create(key="engagement_rubric", value={"items_that_count": 3})
    assert log(cast, discussed_strategy=True, next_step_agreed=True).counts is False
    assert log(cast, discussed_strategy=True, next_step_agreed=True, new_scope_raised=True).counts is True


def test_the_subject_defaults_to_the_kind_and_the_account(cast):
    engagement = log(cast, kind="dinner")
    assert engagement.subject == "Dinner with Blue Harbor Bank"


def test_commitments_become_tasks_for_their_owners(cast):
    due = dt.date(2026, 10, 20)
    engagement = engagement_log(
        by=cast.sponsor,
        account=cast.sponsored_account,
        fields={"kind": "call", "occurred_at": WHEN},
        commitments=[CommitmentDraft(description="Send the security white paper", owner_id=cast.ae.pk, due_on=due)],
    )
    task = Task.objects.get()
    assert (task.title, task.owner, task.due_on, task.account) == (
        "Send the security white paper",
        cast.ae,
        due,
        cast.sponsored_account,
    )
    assert engagement.commitments.get().task == task


def test_a_commitment_without_an_owner_logs_nothing(cast):
    with pytest.raises(InvalidInput, match="no active owner"):
        engagement_log(
            by=cast.sponsor,
            account=cast.sponsored_account,
            fields={"occurred_at": WHEN},
            commitments=[CommitmentDraft(description="Call back", owner_id=999_999)],
        )
    assert not Engagement.objects.exists()
    assert not Task.objects.exists()


def test_an_engagement_with_the_sponsor_present_joins_the_sponsorship(cast):
    cast.sponsored_account.owner = cast.ae
    cast.sponsored_account.save()
    engagement = log(cast, by="ae", attendee_ids=[cast.ae.pk, cast.sponsor.pk])
    assert engagement.sponsorship == cast.sponsored_account.sponsorships.get()


def test_a_viewer_may_not_log(cast):
    with pytest.raises(NotPermitted):
        log(cast, by="viewer")


# The owner's override


def test_the_program_owner_overrides_with_a_reason_that_is_kept_in_history(cast):
    engagement = log(cast, over_the_horizon=True)
    assert engagement.counts is False
    engagement_counts_override(
        by=cast.owner, engagement=engagement, counts=True, reason="Board-level dinner; the rubric undersells it"
    )
    engagement.refresh_from_db()
    assert engagement.counts is True
    assert engagement.counts_override_reason == "Board-level dinner; the rubric undersells it"
    assert engagement.counts_override_by == cast.owner
    latest = engagement.history.latest()
    assert latest.history_user == cast.owner
    assert latest.history_change_reason == "Board-level dinner; the rubric undersells it"
    assert latest.counts is True
    # Handing it back to the rubric.
    engagement_counts_override(by=cast.owner, engagement=engagement, counts=None, reason="Back to the rubric")
    engagement.refresh_from_db()
    assert engagement.counts is False
    assert [h.counts for h in engagement.history.order_by("history_date")] == [False, True, False]


def test_the_override_survives_a_rubric_edit(cast):
    engagement = log(cast, discussed_strategy=True, next_step_agreed=True)
    engagement_counts_override(by=cast.owner, engagement=engagement, counts=False, reason="Internal prep only")
    engagement.refresh_from_db()
    engagement.new_scope_raised = True
    engagement.save()
    assert engagement.counts is False


@pytest.mark.parametrize("who", ["sponsor", "ae", "viewer"])
def test_only_the_program_owner_overrides(cast, who):
    engagement = log(cast)
    with pytest.raises(NotPermitted):
        engagement_counts_override(by=cast.user(who), engagement=engagement, counts=True, reason="Because")


def test_an_override_needs_a_reason(cast):
    engagement = log(cast)
    with pytest.raises(InvalidInput, match="reason"):
        engagement_counts_override(by=cast.owner, engagement=engagement, counts=True, reason="   ")


# The API


def test_the_api_logs_with_rubric_participants_and_commitments(cast):
    cfo = ContactFactory(account=cast.sponsored_account)
    response = ApiClient(cast.sponsor).post(
        "/engagements",
        {
            "account_id": cast.sponsored_account.pk,
            "kind": "qbr",
            "occurred_at": "2026-10-06T15:00:00+00:00",
            "contact_ids": [cfo.pk],
            "over_the_horizon": True,
            "learned_something_new": True,
            "commitments": [{"description": "Share the roadmap", "owner_id": cast.sponsor.pk, "due_on": "2026-10-13"}],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["subject"] == "QBR / EBR with Blue Harbor Bank"
    assert body["counts"] is True
    assert body["over_the_horizon"] is True
    assert body["contact_ids"] == [cfo.pk]
    [commitment] = body["commitments"]
    assert commitment["description"] == "Share the roadmap"
    assert commitment["due_on"] == "2026-10-13"
    assert Task.objects.get(pk=commitment["task_id"]).owner == cast.sponsor


def test_the_api_rejects_a_commitment_without_an_owner(cast):
    response = ApiClient(cast.sponsor).post(
        "/engagements",
        {
            "account_id": cast.sponsored_account.pk,
            "occurred_at": "2026-10-06T15:00:00+00:00",
            "commitments": [{"description": "Share the roadmap"}],
        },
    )
    assert response.status_code == 422
    assert not Engagement.objects.exists()


def test_the_api_override_is_for_the_owner_only(cast):
    engagement = EngagementFactory(account=cast.sponsored_account, discussed_strategy=False, next_step_agreed=False)
    path = f"/engagements/{engagement.pk}/counts-override"
    refused = ApiClient(cast.sponsor).post(path, {"counts": True, "reason": "I say so"})
    assert refused.status_code == 403
    no_reason = ApiClient(cast.owner).post(path, {"counts": True, "reason": ""})
    assert no_reason.status_code == 422
    accepted = ApiClient(cast.owner).post(path, {"counts": True, "reason": "CEO-to-CEO call"})
    assert accepted.status_code == 200
    assert accepted.json()["counts"] is True
    assert accepted.json()["counts_override_reason"] == "CEO-to-CEO call"


# The pages


def form_data(**extra):
    return {"kind": "meeting", "occurred_on": "2026-10-06", "topics": "Roadmap, pricing", **extra}


def test_the_sponsor_logs_through_the_page(cast):
    cfo = ContactFactory(account=cast.sponsored_account, first_name="Dana", last_name="Whitfield")
    client = client_for(cast.sponsor)
    url = f"/accounts/{cast.sponsored_account.pk}/engagements/new/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        form_data(
            contact_1=str(cfo),
            discussed_strategy="on",
            next_step_agreed="on",
            outcome="Agreed a pilot",
            commitment_1_description="Send the pilot plan",
            commitment_1_owner=str(cast.sponsor),
            commitment_1_due_on="2026-10-10",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    engagement = Engagement.objects.get()
    assert engagement.counts is True
    assert engagement.topics == ["Roadmap", "pricing"]
    assert list(engagement.contacts.all()) == [cfo]
    assert Task.objects.get().title == "Send the pilot plan"
    assert response["Location"] == f"/accounts/{cast.sponsored_account.pk}/#engagements"


def test_an_account_executive_of_another_account_is_refused(cast):
    client = client_for(cast.outsider_ae)
    url = f"/accounts/{cast.sponsored_account.pk}/engagements/new/"
    # Not theirs to see: the same answer as for an account that does not exist, so ids do not leak.
    assert client.get(url).status_code == 404
    assert client.post(url, form_data()).status_code == 404
    assert not Engagement.objects.exists()


def test_a_viewer_is_refused_with_403(cast):
    client = client_for(cast.viewer)
    url = f"/accounts/{cast.sponsored_account.pk}/engagements/new/"
    assert client.get(url).status_code == 403
    assert client.post(url, form_data()).status_code == 403
    assert not Engagement.objects.exists()


def test_bad_input_is_a_form_error_not_a_500(cast):
    client = client_for(cast.sponsor)
    url = f"/accounts/{cast.sponsored_account.pk}/engagements/new/"
    response = client.post(
        url, form_data(occurred_on="yesterday-ish", contact_1="Nobody Atall", commitment_1_description="x")
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Enter a valid date" in text
    assert "Nobody Atall is not a contact of Blue Harbor Bank" in text
    assert not Engagement.objects.exists()


def test_the_counts_badge_follows_the_rubric(cast):
    client = client_for(cast.sponsor)
    url = f"/accounts/{cast.sponsored_account.pk}/engagements/rubric/"
    assert "Doesn't count yet" in client.post(url, {"discussed_strategy": "on"}).content.decode()
    assert "Counts" in client.post(url, {"discussed_strategy": "on", "next_step_agreed": "on"}).content.decode()
    assert (
        "Doesn't count yet"
        not in client.post(url, {"discussed_strategy": "on", "next_step_agreed": "on"}).content.decode()
    )


def test_the_owner_overrides_through_the_page(cast):
    engagement = log(cast)
    url = f"/engagements/{engagement.pk}/counts/"
    assert client_for(cast.sponsor).post(url, {"decision": "counts", "reason": "x"}).status_code == 403
    refused = client_for(cast.owner).post(url, {"decision": "counts", "reason": ""})
    assert refused.status_code == 400
    assert "reason" in refused.content.decode()
    done = client_for(cast.owner).post(url, {"decision": "counts", "reason": "Strategic dinner"})
    assert done.status_code == 302
    engagement.refresh_from_db()
    assert (engagement.counts, engagement.counts_override_reason) == (True, "Strategic dinner")


def test_the_type_ahead_offers_the_accounts_contacts_only(cast):
    ContactFactory(account=cast.sponsored_account, first_name="Dana", last_name="Whitfield")
    ContactFactory(account=cast.other_account, first_name="Dana", last_name="Elsewhere")
    client = client_for(cast.sponsor)
    response = client.get(f"/accounts/{cast.sponsored_account.pk}/engagements/people/", {"q": "dana", "side": "theirs"})
    text = response.content.decode()
    assert "Dana Whitfield" in text
    assert "Elsewhere" not in text
    assert json.loads(json.dumps(response.status_code)) == 200


def test_the_type_ahead_offers_our_people_by_name(cast):
    client = client_for(cast.sponsor)
    url = f"/accounts/{cast.sponsored_account.pk}/engagements/people/"
    text = client.get(url, {"attendee_2": cast.ae.last_name, "side": "ours"}).content.decode()
    assert f'value="{cast.ae}"' in text


def test_the_override_form_is_shown_to_the_owner_only(cast):
    engagement = log(cast)
    url = f"/engagements/{engagement.pk}/"
    assert "Does it count?" in client_for(cast.owner).get(url).content.decode()
    sponsor_view = client_for(cast.sponsor).get(url)
    assert sponsor_view.status_code == 200
    assert "Does it count?" not in sponsor_view.content.decode()
    assert client_for(cast.outsider_ae).get(url).status_code == 404


def test_a_date_out_of_range_is_a_message(cast):
    client = client_for(cast.sponsor)
    url = f"/accounts/{cast.sponsored_account.pk}/engagements/new/"
    response = client.post(url, form_data(occurred_on="9999-12-31"))
    assert response.status_code == 400
    assert "between the years 1990 and 2200" in response.content.decode()
    response = client.post(url, form_data(commitment_1_description="Call back", commitment_1_due_on="0001-01-01"))
    assert response.status_code == 400
    assert not Engagement.objects.exists()
