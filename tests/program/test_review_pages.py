"""The program review pages for each role, decisions (with their follow-up tasks) and stale edits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from execsponsor.playbooks import services as task_services
from execsponsor.playbooks.models import Task
from execsponsor.program import review_services
from execsponsor.program.models import DecisionStatus, ProgramReview, ReviewDecision
from tests.conftest import client_for

ROLES = ("admin", "owner", "viewer", "sponsor", "ae", "csm")
RUNS_THE_PROGRAM = {"admin", "owner"}


@pytest.fixture
def review(cast) -> ProgramReview:
    """Prepared by the owner: Blue Harbor Bank (Sam sponsors it) has no objectives, so it is on the agenda."""
    return review_services.review_prepare(by=cast.owner, held_on=timezone.localdate())


@pytest.fixture
def decisions(cast, review) -> dict[str, ReviewDecision]:
    make = review_services.decision_create
    return {
        "sponsored": make(
            review=review,
            by=cast.owner,
            fields={
                "decision": "Agree objectives with Blue Harbor",
                "account_id": cast.sponsored_account.pk,
                "owner_id": cast.sponsor.pk,
            },
        ),  # fmt: skip
        "other": make(
            review=review,
            by=cast.owner,
            fields={"decision": "Escalate the Evergreen renewal", "account_id": cast.other_account.pk},
        ),  # fmt: skip
        "program": make(review=review, by=cast.owner, fields={"decision": "Move the review to Tuesdays"}),
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_reviews(cast, review, role):
    client = client_for(cast.user(role))
    assert client.get(reverse("program:review_list")).status_code == 200
    assert client.get(review.get_absolute_url()).status_code == 200


def test_signed_out_people_are_sent_to_sign_in(review):
    response = Client().get(review.get_absolute_url())
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_program_owner_and_admins_prepare_and_record(cast, role):
    client = client_for(cast.user(role))
    response = client.post(reverse("program:review_prepare"), {"held_on": timezone.localdate().isoformat()})
    if role in RUNS_THE_PROGRAM:
        assert response.status_code == 302
        review = ProgramReview.objects.get()
        decided = client.post(
            reverse("program:decision_new", args=[review.pk]), {"new-decision": "Do it", "new-status": "open"}
        )
        assert decided.status_code == 302 and ReviewDecision.objects.count() == 1
    else:
        assert response.status_code == 403
        assert not ProgramReview.objects.exists()


@pytest.mark.parametrize("role", ("viewer", "sponsor", "ae", "csm"))
def test_others_may_not_write_to_a_review(cast, review, decisions, role):
    client = client_for(cast.user(role))
    decision = decisions["program"]
    attempts = [
        (reverse("program:review_notes", args=[review.pk]), {"notes": "x", "version": review.version}),
        (reverse("program:review_tick", args=[review.pk]), {"key": review.agenda[0]["key"], "discussed": "on"}),
        (reverse("program:review_refresh", args=[review.pk]), {"version": review.version}),
        (reverse("program:decision_new", args=[review.pk]), {"new-decision": "x", "new-status": "open"}),
        (reverse("program:decision_edit", args=[decision.pk]), {f"d{decision.pk}-decision": "x",
                                                                 f"d{decision.pk}-status": "done",
                                                                 f"d{decision.pk}-version": decision.version}),
        (reverse("program:decision_delete", args=[decision.pk]), {"version": decision.version}),
    ]  # fmt: skip
    for url, data in attempts:
        assert client.post(url, data).status_code == 403, url
    assert ReviewDecision.objects.count() == 3


def test_the_viewer_sees_everything_read_only(cast, review, decisions):
    review_services.review_notes_update(review=review, by=cast.owner, notes="Talked budgets", expected_version=1)
    page = client_for(cast.viewer).get(review.get_absolute_url()).content.decode()
    assert "Blue Harbor Bank" in page and "Escalate the Evergreen renewal" in page and "Talked budgets" in page
    assert "Mark discussed" not in page and "Record the decision" not in page


def test_a_sponsor_sees_their_accounts_and_program_wide_decisions_only(cast, review, decisions):
    review_services.review_notes_update(review=review, by=cast.owner, notes="Evergreen is a worry", expected_version=1)
    page = client_for(cast.sponsor).get(review.get_absolute_url()).content.decode()
    assert "Agree objectives with Blue Harbor" in page and "Move the review to Tuesdays" in page
    assert "Escalate the Evergreen renewal" not in page
    assert "Evergreen is a worry" not in page  # notes may speak of any account


def test_an_account_executive_does_not_see_items_of_accounts_they_do_not_own(cast, review, decisions):
    page = client_for(cast.ae).get(review.get_absolute_url()).content.decode()
    assert "Blue Harbor Bank" not in page  # the agenda item about the sponsored account
    assert "Escalate the Evergreen renewal" not in page
    assert "Move the review to Tuesdays" in page


def test_the_owner_ticks_an_item_and_writes_notes(cast, review):
    client = client_for(cast.owner)
    key = review.agenda[0]["key"]
    client.post(reverse("program:review_tick", args=[review.pk]), {"key": key, "discussed": "on"})
    review.refresh_from_db()
    assert review.agenda[0]["discussed"] is True
    client.post(reverse("program:review_notes", args=[review.pk]), {"notes": "Agreed", "version": review.version})
    review.refresh_from_db()
    assert review.notes == "Agreed"
    assert review.history.first().history_user == cast.owner


def test_stale_notes_are_refused_with_409(cast, review):
    client = client_for(cast.owner)
    url = reverse("program:review_notes", args=[review.pk])
    assert client.post(url, {"notes": "First", "version": review.version}).status_code == 302
    response = client.post(url, {"notes": "Second", "version": review.version})
    assert response.status_code == 409 and "Concurrent edits detected" in response.content.decode()
    review.refresh_from_db()
    assert review.notes == "First"


def test_ticking_an_unknown_item_is_a_422(cast, review):
    response = client_for(cast.owner).post(reverse("program:review_tick", args=[review.pk]), {"key": "task:0"})
    assert response.status_code == 422


def test_a_decision_is_created_changed_and_removed_with_history(cast, review):
    client = client_for(cast.owner)
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    client.post(
        reverse("program:decision_new", args=[review.pk]),
        {"new-decision": "Introduce the CTO", "new-owner": cast.sponsor.pk, "new-due_on": due, "new-status": "open"},
    )
    decision = ReviewDecision.objects.get()
    assert (decision.owner, decision.due_on.isoformat(), decision.status) == (cast.sponsor, due, "open")
    prefix = f"d{decision.pk}"
    response = client.post(
        reverse("program:decision_edit", args=[decision.pk]),
        {f"{prefix}-decision": "Introduce the CTO", f"{prefix}-owner": cast.sponsor.pk, f"{prefix}-due_on": due,
         f"{prefix}-status": "dropped", f"{prefix}-version": decision.version},
    )  # fmt: skip
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DROPPED and decision.closed_on == timezone.localdate()
    assert [h.status for h in decision.history.order_by("history_date")] == ["open", "dropped"]
    assert decision.history.first().history_user == cast.owner
    client.post(reverse("program:decision_delete", args=[decision.pk]), {"version": decision.version})
    assert not ReviewDecision.objects.exists()
    assert ReviewDecision.history.filter(history_type="-").count() == 1


def test_a_stale_decision_edit_is_refused_with_409(cast, review, decisions):
    decision = decisions["program"]
    client = client_for(cast.owner)
    prefix = f"d{decision.pk}"
    form = {f"{prefix}-decision": "Move the review to Wednesdays", f"{prefix}-status": "open",
            f"{prefix}-version": decision.version}  # fmt: skip
    assert client.post(reverse("program:decision_edit", args=[decision.pk]), form).status_code == 302
    form[f"{prefix}-decision"] = "Move the review to Thursdays"  # from a page opened before the first save
    response = client.post(reverse("program:decision_edit", args=[decision.pk]), form)
    assert response.status_code == 409
    decision.refresh_from_db()
    assert decision.decision == "Move the review to Wednesdays"


def test_a_decision_without_text_is_a_422(cast, review):
    response = client_for(cast.owner).post(
        reverse("program:decision_new", args=[review.pk]), {"new-decision": "  ", "new-status": "open"}
    )
    assert response.status_code == 422 and not ReviewDecision.objects.exists()


def test_the_decision_owner_gets_a_task_and_completing_it_marks_the_decision_done(cast, decisions):
    decision = decisions["sponsored"]
    task = Task.objects.get(pk=decision.task_id)
    assert (task.owner, task.account, task.status) == (cast.sponsor, cast.sponsored_account, Task.Status.OPEN)
    page = client_for(cast.sponsor).get(reverse("playbooks:task_list")).content.decode()
    assert "Review decision: Agree objectives with Blue Harbor" in page
    task_services.task_complete(by=cast.sponsor, task=task)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DONE


def test_closing_a_decision_closes_its_task(cast, decisions):
    decision = decisions["sponsored"]
    review_services.decision_update(
        decision=decision, by=cast.owner, changes={"status": "dropped"}, expected_version=decision.version
    )
    assert Task.objects.get(pk=decision.task_id).status == Task.Status.SKIPPED


def test_the_owner_home_says_when_the_next_review_is(cast, settings):
    settings.ESP_CADENCE_AS_OF = "2026-06-15"
    ProgramReview.objects.create(held_on=dt.date(2026, 6, 8))
    page = client_for(cast.owner).get(reverse("home")).content.decode()
    assert "Next program review on" in page and "Monday 22 June" in page


def test_the_review_list_shows_the_signed_in_users_open_decisions(cast, decisions):
    page = client_for(cast.sponsor).get(reverse("program:review_list")).content.decode()
    assert "Your open decisions" in page and "Agree objectives with Blue Harbor" in page


def test_handing_the_task_on_or_reopening_it_moves_the_decision_too(cast, decisions):
    decision = decisions["sponsored"]
    task = Task.objects.get(pk=decision.task_id)
    task_services.task_reassign(by=cast.owner, task=task, owner=cast.admin)
    decision.refresh_from_db()
    assert decision.owner == cast.admin
    task_services.task_complete(by=cast.admin, task=Task.objects.get(pk=task.pk))
    task_services.task_reopen(by=cast.admin, task=Task.objects.get(pk=task.pk))
    decision.refresh_from_db()
    assert (decision.status, decision.closed_on) == (DecisionStatus.OPEN, None)


def test_people_who_see_only_their_accounts_get_no_counts_over_every_account(cast, decisions):
    page = client_for(cast.sponsor).get(reverse("program:review_list")).content.decode()
    assert "Still open" not in page
    assert "Still open" in client_for(cast.viewer).get(reverse("program:review_list")).content.decode()


def test_a_decision_on_an_account_goes_to_someone_who_can_see_it(cast, review):
    from execsponsor.common.errors import InvalidInput

    with pytest.raises(InvalidInput, match="cannot see Evergreen Energy"):
        review_services.decision_create(
            review=review, by=cast.owner,
            fields={"decision": "Call them", "account_id": cast.other_account.pk, "owner_id": cast.sponsor.pk},
        )  # fmt: skip
