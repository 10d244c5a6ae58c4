"""The program review's agenda, from a hand-built situation: which items appear, in what order, what is
carried over from the previous review, and that nothing appears twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from execsponsor.playbooks.models import Task
from execsponsor.program import review_services
from execsponsor.program.models import DecisionStatus, Objective, ProgramReview, ReviewDecision
from execsponsor.signals.models import Alert, AlertStatus, AlertType, Priority
from execsponsor.users.models import Role
from tests.factories import AccountFactory, ExecutiveFactory, SponsorshipFactory, UserFactory

TODAY = dt.date(2026, 6, 15)
LAST_REVIEW = TODAY - dt.timedelta(days=14)  # 1 June
OLDER_REVIEW = TODAY - dt.timedelta(days=28)  # 18 May


def _day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


def _moment(offset: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(_day(offset), dt.time(10)))


@pytest.fixture
def situation(db):
    owner = UserFactory(username="olivia.owner", role=Role.PROGRAM_OWNER)
    sam = ExecutiveFactory(user__username="sam", capacity_max=10)
    accounts = {
        name: AccountFactory(name=name, arr=Decimal(arr))
        for name, arr in (
            ("Alder", 900_000),
            ("Birch", 2_000_000),
            ("Cedar", 500_000),
            ("Dogwood", 300_000),
            ("Elm", 100_000),
        )  # fmt: skip
    }
    # Days since the clock started: Alder 30 (16 overdue), Birch 20 and Elm 20 (6 overdue), Cedar 13 (at
    # risk, day 12 of 14), Dogwood 5 (on track).
    started = {"Alder": -30, "Birch": -20, "Cedar": -13, "Dogwood": -5, "Elm": -20}
    sponsorships = {
        name: SponsorshipFactory(account=account, executive=sam, started_on=_day(started[name]))
        for name, account in accounts.items()
    }
    for name in ("Alder", "Cedar", "Elm"):  # Birch and Dogwood have no objective
        Objective.objects.create(account=accounts[name], sponsorship=sponsorships[name], title="Grow usage")

    def alert(account, priority, created, status=AlertStatus.OPEN):
        return Alert.objects.create(
            type=AlertType.RISK, reason=f"{account.name}: {priority}", priority=priority, account=account,
            status=status, created_at=_moment(created),
        )  # fmt: skip

    alerts = {
        "medium": alert(accounts["Alder"], Priority.MEDIUM, -2),
        "critical": alert(accounts["Dogwood"], Priority.CRITICAL, -1),
        "before": alert(accounts["Cedar"], Priority.HIGH, -40),  # raised before the last review
        "resolved": alert(accounts["Birch"], Priority.HIGH, -3, AlertStatus.RESOLVED),
    }

    def task(account, due, status=Task.Status.OPEN):
        return Task.objects.create(title=f"Call {account.name}", owner=sam.user, account=account, due_on=_day(due),
                                   status=status)  # fmt: skip

    tasks = {
        "three": task(accounts["Birch"], -3),
        "ten": task(accounts["Alder"], -10),
        "tomorrow": task(accounts["Cedar"], 1),
        "done": task(accounts["Elm"], -5, Task.Status.DONE),
    }
    older = ProgramReview.objects.create(held_on=OLDER_REVIEW)
    last = ProgramReview.objects.create(
        held_on=LAST_REVIEW,
        agenda=[
            {"key": f"cold:{sponsorships['Alder'].pk}", "group": "going_cold", "title": "Alder", "discussed": True},
            {"key": f"cold:{sponsorships['Cedar'].pk}", "group": "going_cold", "title": "Cedar", "discussed": False},
            {
                "key": "alert:999999",
                "group": "alerts",
                "title": "A resolved worry",
                "detail": "",
                "url": "/",
                "account_id": None,
                "account_name": "",
                "arr": None,
                "days_overdue": 0,
                "discussed": False,
            },
        ],  # fmt: skip
    )
    decisions = {
        # Open, due two days ago, with an owner: it has a task, which must not also appear as an overdue task.
        "late": review_services.decision_create(
            review=last,
            by=owner,
            fields={
                "decision": "Bring the CFO to Birch",
                "owner_id": sam.user.pk,
                "due_on": _day(-2),
                "account_id": accounts["Birch"].pk,
            },
        ),  # fmt: skip
        "older": review_services.decision_create(review=older, by=owner, fields={"decision": "Rethink the SMB tier"}),
        "done": review_services.decision_create(
            review=last, by=owner, fields={"decision": "Already done", "status": DecisionStatus.DONE}
        ),
    }
    return {
        "owner": owner,
        "accounts": accounts,
        "sponsorships": sponsorships,
        "alerts": alerts,
        "tasks": tasks,
        "decisions": decisions,
        "last": last,
    }


def _keys(review) -> list[str]:
    return [item["key"] for item in review.agenda]


def _expected_keys(s) -> list[str]:
    sp, al, ta, de = s["sponsorships"], s["alerts"], s["tasks"], s["decisions"]
    return [
        f"decision:{de['late'].pk}",  # 2 days overdue first
        f"decision:{de['older'].pk}",  # no due date
        f"cold:{sp['Alder'].pk}",  # 16 days overdue
        f"cold:{sp['Birch'].pk}",  # 6 days overdue, ARR 2M
        f"cold:{sp['Elm'].pk}",  # 6 days overdue, ARR 100k
        f"cold:{sp['Cedar'].pk}",  # at risk, 0 overdue
        f"alert:{al['critical'].pk}",
        f"alert:{al['medium'].pk}",
        "alert:999999",  # carried over, no longer flagged: after those still flagged
        f"task:{ta['ten'].pk}",
        f"task:{ta['three'].pk}",
        f"objectives:{sp['Birch'].pk}",  # ARR 2M
        f"objectives:{sp['Dogwood'].pk}",  # ARR 300k
    ]


def test_the_agenda_lists_what_needs_attention_grouped_and_in_order(situation):
    review = review_services.review_prepare(by=situation["owner"], held_on=TODAY, today=TODAY)
    assert _keys(review) == _expected_keys(situation)


def test_nothing_appears_twice(situation):
    review = review_services.review_prepare(by=situation["owner"], held_on=TODAY, today=TODAY)
    keys = _keys(review)
    assert len(keys) == len(set(keys))
    # The late decision's follow-up task is overdue too, but it is on the agenda once: as the decision.
    decision_task = situation["decisions"]["late"].task
    assert decision_task is not None and decision_task.due_on < TODAY
    assert f"task:{decision_task.pk}" not in keys


def test_open_decisions_are_carried_over_with_the_date_of_their_review(situation):
    review = review_services.review_prepare(by=situation["owner"], held_on=TODAY, today=TODAY)
    by_key = {item["key"]: item for item in review.agenda}
    late = by_key[f"decision:{situation['decisions']['late'].pk}"]
    older = by_key[f"decision:{situation['decisions']['older'].pk}"]
    assert (late["carried_over"], late["since"], late["days_overdue"]) == (True, "2026-06-01", 2)
    assert (older["carried_over"], older["since"]) == (True, "2026-05-18")
    assert f"decision:{situation['decisions']['done'].pk}" not in by_key


def test_undiscussed_items_are_carried_over_and_discussed_ones_are_not(situation):
    review = review_services.review_prepare(by=situation["owner"], held_on=TODAY, today=TODAY)
    by_key = {item["key"]: item for item in review.agenda}
    cedar = by_key[f"cold:{situation['sponsorships']['Cedar'].pk}"]
    alder = by_key[f"cold:{situation['sponsorships']['Alder'].pk}"]
    gone = by_key["alert:999999"]
    assert (cedar["carried_over"], cedar["since"], cedar["still_flagged"]) == (True, "2026-06-01", True)
    assert (alder["carried_over"], alder["since"]) == (False, None)  # discussed last time, flagged afresh
    assert (gone["carried_over"], gone["still_flagged"]) == (True, False)


def test_the_next_review_carries_over_what_stayed_open_and_keeps_the_first_date(situation):
    owner = situation["owner"]
    first = review_services.review_prepare(by=owner, held_on=TODAY, today=TODAY)
    cedar_key = f"cold:{situation['sponsorships']['Cedar'].pk}"
    alder_key = f"cold:{situation['sponsorships']['Alder'].pk}"
    review_services.review_item_tick(review=first, by=owner, key=alder_key, discussed=True)
    review_services.review_item_tick(review=first, by=owner, key="alert:999999", discussed=True)
    later = TODAY + dt.timedelta(days=14)
    second = review_services.review_prepare(by=owner, held_on=later, today=later)
    by_key = {item["key"]: item for item in second.agenda}
    assert by_key[cedar_key]["since"] == "2026-06-01"  # still from the review it first appeared in
    assert by_key[alder_key]["carried_over"] is False  # discussed in the first: only flagged afresh
    assert "alert:999999" not in by_key  # discussed and no longer flagged: gone
    # A decision of the first review, still open, is pending in the second with the first's date.
    decision = review_services.decision_create(review=first, by=owner, fields={"decision": "Call the CIO"})
    refreshed = review_services.review_refresh_agenda(review=second, by=owner, expected_version=second.version,
                                                      today=later)  # fmt: skip
    carried = next(item for item in refreshed.agenda if item["key"] == f"decision:{decision.pk}")
    assert (carried["carried_over"], carried["since"]) == (True, "2026-06-15")


def test_a_refresh_keeps_the_ticks_and_a_review_lists_not_its_own_decisions(situation):
    owner = situation["owner"]
    review = review_services.review_prepare(by=owner, held_on=TODAY, today=TODAY)
    key = f"task:{situation['tasks']['ten'].pk}"
    review = review_services.review_item_tick(review=review, by=owner, key=key, discussed=True)
    own = review_services.decision_create(review=review, by=owner, fields={"decision": "Taken today"})
    refreshed = review_services.review_refresh_agenda(
        review=review, by=owner, expected_version=review.version, today=TODAY
    )
    by_key = {item["key"]: item for item in refreshed.agenda}
    assert by_key[key]["discussed"] is True
    assert f"decision:{own.pk}" not in by_key


def test_each_group_keeps_its_first_items_and_counts_the_rest(situation, settings):
    settings.ESP_PROGRAM_REVIEW_ITEMS_PER_GROUP = 2
    review = review_services.review_prepare(by=situation["owner"], held_on=TODAY, today=TODAY)
    cold = [item["key"] for item in review.agenda if item["group"] == "going_cold"]
    sp = situation["sponsorships"]
    # The two most overdue, plus Cedar carried over from the last review though it did not make the cut.
    assert cold == [f"cold:{sp['Alder'].pk}", f"cold:{sp['Birch'].pk}", f"cold:{sp['Cedar'].pk}"]
    assert review.agenda_counts["going_cold"] == 4


def test_a_second_review_cannot_be_prepared_while_one_is_upcoming(situation):
    review_services.review_prepare(by=situation["owner"], held_on=TODAY, today=TODAY)
    from execsponsor.common.errors import InvalidInput

    with pytest.raises(InvalidInput, match="already prepared"):
        review_services.review_prepare(by=situation["owner"], held_on=_day(3), today=TODAY)


def test_the_next_review_is_due_one_interval_after_the_last(situation, settings):
    assert review_services.next_review_on(TODAY) == TODAY  # the last (1 June) + 14 days
    assert review_services.next_review_on(_day(-10)) == _day(0)
    settings.ESP_PROGRAM_REVIEW_EVERY_DAYS = 7
    assert review_services.next_review_on(_day(-10)) == _day(-7)
    ReviewDecision.objects.all().delete()
    ProgramReview.objects.all().delete()
    assert review_services.next_review_on(TODAY) == TODAY  # none yet: today
