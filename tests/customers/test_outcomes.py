"""Outcomes: who may record and track them, and the rules between status, evidence, date and success story."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from execsponsor.access.rules import can
from execsponsor.common.errors import ConcurrentEdit, InvalidInput, NotPermitted
from execsponsor.customers.models import Outcome
from execsponsor.customers.services_outcomes import outcome_create, outcome_update

pytestmark = pytest.mark.django_db

# Who may record outcomes on which account of the cast (tests/conftest.py), per the rule in docs/outcomes.md:
# the program everywhere; the AE, the CSM and the sponsor on their own account; viewers and outsiders nowhere.
ALLOWED = {
    *(("admin", account) for account in ("sponsored_account", "owned_account", "csm_account", "other_account")),
    *(("owner", account) for account in ("sponsored_account", "owned_account", "csm_account", "other_account")),
    ("sponsor", "sponsored_account"),
    ("ae", "owned_account"),
    ("csm", "csm_account"),
    ("outsider_ae", "other_account"),  # the outsider owns Evergreen Energy
}
ROLES = ["admin", "owner", "viewer", "sponsor", "ae", "csm", "outsider_ae"]
ACCOUNTS = ["sponsored_account", "owned_account", "csm_account", "other_account"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("account", ACCOUNTS)
def test_who_may_record_an_outcome(cast, role, account):
    user, target = cast.user(role), getattr(cast, account)
    allowed = (role, account) in ALLOWED
    assert can(user, "execsponsor.record_outcomes", target) is allowed
    if allowed:
        outcome = outcome_create(by=user, account=target, fields={"title": "Close the books in 3 days"})
        assert outcome.history.get().history_user == user
    else:
        with pytest.raises(NotPermitted):
            outcome_create(by=user, account=target, fields={"title": "Close the books in 3 days"})
        assert not Outcome.objects.exists()


def test_an_expected_outcome_is_recorded_with_its_measure(cast):
    outcome = outcome_create(
        by=cast.ae,
        account=cast.owned_account,
        fields={
            "title": "Close the books in 3 days",
            "measure": "days to close",
            "baseline": "9",
            "target": "3",
            "expected_by": dt.date(2027, 6, 30),
        },
    )
    assert (outcome.status, outcome.delivered_on, outcome.is_success_story) == ("expected", None, False)
    assert outcome.recorded_on == timezone.localdate()


def test_delivered_needs_evidence(cast):
    outcome = outcome_create(by=cast.ae, account=cast.owned_account, fields={"title": "Cut churn"})
    with pytest.raises(InvalidInput) as refused:
        outcome_update(by=cast.ae, outcome=outcome, changes={"status": "delivered"})
    assert refused.value.field == "evidence"
    with pytest.raises(InvalidInput):
        outcome_update(by=cast.ae, outcome=outcome, changes={"status": "delivered", "evidence": "   "})
    outcome.refresh_from_db()
    assert outcome.status == "expected"


def test_delivered_with_evidence_gets_today_when_no_date_is_given(cast):
    outcome = outcome_create(by=cast.ae, account=cast.owned_account, fields={"title": "Cut churn"})
    outcome = outcome_update(
        by=cast.ae, outcome=outcome, changes={"status": "delivered", "evidence": "Churn 4% → 2% (Q3 report)"}
    )
    assert (outcome.status, outcome.delivered_on) == ("delivered", timezone.localdate())
    assert outcome.history.first().delivered_on == timezone.localdate()


def test_a_delivery_day_in_the_future_is_refused(cast):
    outcome = outcome_create(by=cast.ae, account=cast.owned_account, fields={"title": "Cut churn"})
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(InvalidInput) as refused:
        outcome_update(
            by=cast.ae, outcome=outcome, changes={"status": "delivered", "evidence": "x", "delivered_on": tomorrow}
        )
    assert refused.value.field == "delivered_on"


def test_only_a_delivered_outcome_is_a_success_story(cast):
    with pytest.raises(InvalidInput) as refused:
        outcome_create(by=cast.ae, account=cast.owned_account, fields={"title": "Cut churn", "is_success_story": True})
    assert refused.value.field == "is_success_story"
    story = outcome_create(
        by=cast.ae,
        account=cast.owned_account,
        fields={"title": "Cut churn", "status": "delivered", "evidence": "Q3 report", "is_success_story": True},
    )
    with pytest.raises(InvalidInput):
        outcome_update(by=cast.ae, outcome=story, changes={"status": "missed"})
    missed = outcome_update(by=cast.ae, outcome=story, changes={"status": "missed", "is_success_story": False})
    assert (missed.status, missed.delivered_on) == ("missed", None)


def test_the_database_refuses_a_delivered_outcome_without_evidence(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Outcome.objects.create(account=cast.owned_account, title="x", status="delivered", delivered_on=dt.date.today())


def test_a_stale_edit_is_refused(cast):
    outcome = outcome_create(by=cast.ae, account=cast.owned_account, fields={"title": "Cut churn"})
    seen = outcome.updated_at
    outcome_update(by=cast.owner, outcome=outcome, changes={"target": "2%"}, expected_updated_at=seen)
    with pytest.raises(ConcurrentEdit):
        outcome_update(by=cast.ae, outcome=outcome, changes={"target": "1%"}, expected_updated_at=seen)
    outcome.refresh_from_db()
    assert outcome.target == "2%"


def test_every_change_is_in_the_history_with_who_made_it(cast):
    outcome = outcome_create(by=cast.ae, account=cast.owned_account, fields={"title": "Cut churn"})
    outcome_update(by=cast.owner, outcome=outcome, changes={"status": "in_progress"})
    history = list(outcome.history.order_by("history_date"))
    assert [(h.status, h.history_user) for h in history] == [("expected", cast.ae), ("in_progress", cast.owner)]


def test_a_sponsor_whose_sponsorship_ended_no_longer_records(cast):
    cast.sponsored_account.sponsorships.update(status="ended")
    assert not can(cast.sponsor, "execsponsor.record_outcomes", cast.sponsored_account)
