"""Advocates: a contact who agreed to advocacy, what they agreed to (validated kinds) and what they have done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from execsponsor.common.errors import ConcurrentEdit, InvalidInput, NotPermitted
from execsponsor.customers.models import AdvocacyActivity, Advocate
from execsponsor.customers.services_outcomes import advocacy_activity_record, advocate_create, advocate_update
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cfo(cast):
    return ContactFactory(account=cast.sponsored_account, first_name="Søren", last_name="Jørgensen", title="CFO")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("admin", True), ("owner", True), ("sponsor", True), ("viewer", False), ("ae", False), ("outsider_ae", False)],
)
def test_who_may_record_an_advocate_of_the_sponsored_account(cast, cfo, role, allowed):
    fields = {"agreed_to": ["reference_call"]}
    if allowed:
        advocate = advocate_create(by=cast.user(role), contact=cfo, fields=fields)
        assert advocate.history.get().history_user == cast.user(role)
    else:
        with pytest.raises(NotPermitted):
            advocate_create(by=cast.user(role), contact=cfo, fields=fields)


def test_what_they_agreed_to_is_kept_in_a_fixed_order_without_repeats(cast, cfo):
    advocate = advocate_create(
        by=cast.sponsor, contact=cfo, fields={"agreed_to": ["testimonial", "reference_call", "testimonial"]}
    )
    assert advocate.agreed_to == ["reference_call", "testimonial"]
    assert advocate.agreed_to_labels == ["Reference calls", "Testimonial or quote"]


@pytest.mark.parametrize("agreed_to", [[], ["golf"], "reference_call", [1]])
def test_an_unknown_or_empty_kind_of_advocacy_is_refused(cast, cfo, agreed_to):
    with pytest.raises(InvalidInput) as refused:
        advocate_create(by=cast.sponsor, contact=cfo, fields={"agreed_to": agreed_to})
    assert refused.value.field == "agreed_to"
    assert not Advocate.objects.exists()


def test_a_contact_is_an_advocate_once_and_not_after_leaving(cast, cfo):
    advocate_create(by=cast.sponsor, contact=cfo, fields={"agreed_to": ["case_study"]})
    with pytest.raises(InvalidInput):
        advocate_create(by=cast.sponsor, contact=cfo, fields={"agreed_to": ["case_study"]})
    gone = ContactFactory(account=cast.sponsored_account, status="left")
    with pytest.raises(InvalidInput):
        advocate_create(by=cast.sponsor, contact=gone, fields={"agreed_to": ["case_study"]})


def test_activities_are_recorded_with_a_day_and_a_note_newest_first(cast, cfo):
    advocate = advocate_create(by=cast.sponsor, contact=cfo, fields={"agreed_to": ["reference_call"]})
    advocacy_activity_record(
        by=cast.sponsor, advocate=advocate, kind="reference_call", done_on=dt.date(2026, 3, 2), note="Nordbank CFO"
    )
    advocacy_activity_record(by=cast.owner, advocate=advocate, kind="case_study", done_on=dt.date(2026, 5, 9))
    activities = list(advocate.activities.all())
    assert [(a.kind, a.done_on, a.note) for a in activities] == [
        ("case_study", dt.date(2026, 5, 9), ""),
        ("reference_call", dt.date(2026, 3, 2), "Nordbank CFO"),
    ]
    assert AdvocacyActivity.history.filter(history_user=cast.owner).count() == 1


def test_an_activity_of_an_unknown_kind_or_in_the_future_is_refused(cast, cfo):
    advocate = advocate_create(by=cast.sponsor, contact=cfo, fields={"agreed_to": ["reference_call"]})
    with pytest.raises(InvalidInput):
        advocacy_activity_record(by=cast.sponsor, advocate=advocate, kind="golf", done_on=dt.date(2026, 1, 1))
    with pytest.raises(InvalidInput):
        advocacy_activity_record(
            by=cast.sponsor, advocate=advocate, kind="event", done_on=timezone.localdate() + dt.timedelta(days=1)
        )
    with pytest.raises(NotPermitted):
        advocacy_activity_record(by=cast.viewer, advocate=advocate, kind="event", done_on=dt.date(2026, 1, 1))
    assert not AdvocacyActivity.objects.exists()


def test_an_activity_does_not_conflict_with_an_open_edit_of_the_advocate(cast, cfo):
    advocate = advocate_create(by=cast.sponsor, contact=cfo, fields={"agreed_to": ["reference_call"]})
    seen = advocate.updated_at
    advocacy_activity_record(by=cast.owner, advocate=advocate, kind="reference_call", done_on=dt.date(2026, 1, 5))
    updated = advocate_update(
        by=cast.sponsor, advocate=advocate, changes={"agreed_to": ["reference_call", "event"]}, expected_updated_at=seen
    )
    assert updated.agreed_to == ["reference_call", "event"]
    with pytest.raises(ConcurrentEdit):
        advocate_update(by=cast.owner, advocate=advocate, changes={"notes": "x"}, expected_updated_at=seen)
