"""insights.measures on the database: what it reads (visibility, history, attendees) and what it computes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from execsponsor.common.errors import NotPermitted
from execsponsor.customers.models import Account
from execsponsor.engagements.models import EngagementAttendee, EngagementContact
from execsponsor.insights.measures import program_measures, scorecard_for, scorecards, snapshot_record
from execsponsor.insights.measures_policy import earlier_access_override_set, measure_policy_save
from execsponsor.insights.models import ProgramKpiSnapshot
from execsponsor.program.models import SponsorshipStatus
from execsponsor.users.models import Role
from tests.factories import (
    AccountFactory,
    ContactFactory,
    EngagementFactory,
    ExecutiveFactory,
    OpportunityFactory,
    SponsorshipFactory,
    UserFactory,
)

AS_OF = dt.date(2026, 11, 20)


def aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@pytest.fixture
def program(db, settings):
    """One sponsored account: a C-level meeting on 1 Oct with the sponsor present, and four opportunities."""
    settings.ESP_CADENCE_AS_OF = AS_OF
    owner = UserFactory(username="olivia.owner", role=Role.PROGRAM_OWNER)
    executive = ExecutiveFactory(user__username="sam.sponsor", user__first_name="Sam", user__last_name="Sponsor")
    account = AccountFactory(name="Blue Harbor Bank", capability_areas_in_use=["Analytics"])
    sponsorship = SponsorshipFactory(
        account=account, executive=executive, status=SponsorshipStatus.ACTIVE, started_on=dt.date(2026, 9, 1),
        approved_at=aware(dt.date(2026, 8, 25)),
    )  # fmt: skip
    # The plan changes after the start: "Billing" joins the planned areas. It was not in the plan at the start.
    account.capability_areas_planned = ["Billing"]
    account.save()
    Account.history.filter(id=account.pk).update(history_date=aware(dt.date(2026, 8, 1)))
    latest = Account.history.filter(id=account.pk).order_by("-history_id").first()
    Account.history.filter(history_id=latest.history_id).update(history_date=aware(dt.date(2026, 10, 1)))
    cfo = ContactFactory(account=account, first_name="Ines", last_name="Costa", seniority="c_level")
    meeting = EngagementFactory(account=account, sponsorship=sponsorship, occurred_at=aware(dt.date(2026, 10, 1)))
    EngagementContact.objects.create(engagement=meeting, contact=cfo)
    EngagementAttendee.objects.create(engagement=meeting, user=executive.user)
    opportunities = {
        "after": OpportunityFactory(account=account, name="After the meeting", opened_on=dt.date(2026, 10, 20),
                                    opened_stage="Prospecting", capability_area="Analytics", amount=50_000),
        "rfp": OpportunityFactory(account=account, name="An RFP", opened_on=dt.date(2026, 10, 10),
                                  opened_stage="Proposal", capability_area="Billing", amount=80_000),
        "late": OpportunityFactory(account=account, name="Too late", opened_on=dt.date(2026, 11, 15),
                                   opened_stage="Prospecting", capability_area="Security", amount=10_000),
    }  # fmt: skip
    return {"owner": owner, "executive": executive, "account": account, "meeting": meeting, "cfo": cfo, **opportunities}


def test_earlier_access_is_derived_from_the_sponsors_c_level_meeting(program):
    measures = program_measures(by=program["owner"], as_of=AS_OF, quarters=2)
    found = {item.opportunity: item for item in measures.earlier_access}
    assert set(found) == {"After the meeting"}  # the RFP began in formal evaluation; 15 Nov is 45 days after
    item = found["After the meeting"]
    assert (item.engagement_id, item.contacts, item.executive, item.how) == (
        program["meeting"].pk,
        ["Ines Costa"],
        "Sam Sponsor",
        "derived",
    )
    assert measures.quarters[-1].earlier_access == 1


def test_unexpected_business_reads_the_plan_as_of_the_sponsorship_start(program):
    # At the start (1 Sep) the plan was Analytics only; Billing was planned on 1 Oct, Security never.
    measures = program_measures(by=program["owner"], as_of=AS_OF, quarters=2)
    areas = sorted((u.opportunity, u.capability_area, tuple(u.plan_at_start)) for u in measures.unexpected_business)
    assert areas == [("An RFP", "Billing", ("Analytics",)), ("Too late", "Security", ("Analytics",))]


def test_overrides_turn_earlier_access_on_and_off(program):
    owner = program["owner"]
    earlier_access_override_set(by=owner, opportunity=f"id:{program['after'].pk}", value=False, reason="RFP came first")
    earlier_access_override_set(by=owner, opportunity=f"id:{program['late'].pk}", value=True, reason="Call not logged")
    items = {i.opportunity: i for i in program_measures(by=owner, as_of=AS_OF, quarters=2).earlier_access}
    assert set(items) == {"Too late"}
    assert (items["Too late"].how, items["Too late"].override_reason) == ("override", "Call not logged")
    earlier_access_override_set(by=owner, opportunity=f"id:{program['after'].pk}", value=None, reason="")
    items = {i.opportunity for i in program_measures(by=owner, as_of=AS_OF, quarters=2).earlier_access}
    assert items == {"Too late", "After the meeting"}


def test_a_wider_window_saved_by_the_owner_takes_in_the_late_opportunity(program):
    measure_policy_save(by=program["owner"], window_days=60, formal_stages="Proposal\nNegotiation", expected_version=0)
    items = {i.opportunity for i in program_measures(by=program["owner"], as_of=AS_OF, quarters=2).earlier_access}
    assert items == {"After the meeting", "Too late"}


def test_only_the_owner_may_override(program):
    viewer = UserFactory(role=Role.VIEWER)
    with pytest.raises(NotPermitted):
        earlier_access_override_set(by=viewer, opportunity=f"id:{program['after'].pk}", value=True, reason="x")


def test_a_sponsor_measures_only_their_own_accounts(program):
    other = SponsorshipFactory(executive=ExecutiveFactory(), started_on=dt.date(2026, 9, 1))
    OpportunityFactory(account=other.account, opened_on=dt.date(2026, 10, 2), capability_area="Mobile")
    mine = program_measures(by=program["executive"].user, as_of=AS_OF, quarters=2)
    assert [r.name for r in mine.accounts] == ["Blue Harbor Bank"]
    everyone = program_measures(by=program["owner"], as_of=AS_OF, quarters=2)
    assert len(everyone.accounts) == 2


def test_a_sponsor_may_not_read_another_sponsors_scorecard(program):
    other = ExecutiveFactory()
    with pytest.raises(NotPermitted):
        scorecard_for(other, by=program["executive"].user, as_of=AS_OF)
    with pytest.raises(NotPermitted):
        scorecards(by=program["executive"].user, as_of=AS_OF)
    assert scorecard_for(program["executive"], by=program["executive"].user, as_of=AS_OF).name == "Sam Sponsor"


def test_scorecards_rank_better_cadence_first(program):
    # Sam met on 1 Oct (and the clock started 1 Sep); the other sponsor started on 1 Oct and never met.
    other = SponsorshipFactory(
        executive=ExecutiveFactory(user__first_name="Quiet", user__last_name="One"), started_on=dt.date(2026, 10, 1)
    )
    cards = scorecards(by=program["owner"], as_of=AS_OF)
    assert [(c.rank, c.name) for c in cards] == [(1, "Sam Sponsor"), (2, str(other.executive.user))]
    # Both: clock from 1 Oct (Sam met then; the other started then), within to 15 Oct, overdue 16 Oct–20 Nov:
    # 15 of 51 days. The tie goes to engagements that count per sponsorship: Sam 1, the other 0.
    assert cards[0].current.cadence_adherence == pytest.approx(15 / 51)


def test_the_nightly_snapshot_is_read_until_the_settings_change(program, settings):
    settings.ESP_CADENCE_AS_OF = AS_OF
    snapshot_record(by=program["owner"], as_of=AS_OF)
    assert ProgramKpiSnapshot.objects.get(taken_on=AS_OF).figures["measures"]["program"]["quarters"]
    stored = program_measures(by=program["owner"])
    assert stored.from_snapshot and stored.current.earlier_access == 1
    assert scorecards(by=program["owner"])[0].name == "Sam Sponsor"
    measure_policy_save(by=program["owner"], window_days=60, formal_stages=["Proposal"], expected_version=0)
    fresh = program_measures(by=program["owner"])
    assert not fresh.from_snapshot and fresh.current.earlier_access == 2


def test_paused_days_from_the_sponsorships_history_are_not_measured(db, settings):
    # Started 1 Oct, never met; paused 10 Oct, resumed 20 Oct (history). Measured 1 Oct–20 Nov: 51 days less the
    # 10 paused (10–19 Oct) = 41; within cadence 1–15 Oct less the paused 10–15 Oct = 9 days.
    settings.ESP_CADENCE_AS_OF = AS_OF
    owner = UserFactory(role=Role.PROGRAM_OWNER)
    sponsorship = SponsorshipFactory(status=SponsorshipStatus.ACTIVE, started_on=dt.date(2026, 10, 1))
    for status in (SponsorshipStatus.PAUSED, SponsorshipStatus.ACTIVE):
        sponsorship.status = status
        sponsorship.save()
    history = sponsorship.history.order_by("history_id")
    for row, day in zip(history, (dt.date(2026, 9, 25), dt.date(2026, 10, 10), dt.date(2026, 10, 20)), strict=True):
        type(row).objects.filter(history_id=row.history_id).update(history_date=aware(day))
    q4 = program_measures(by=owner, as_of=AS_OF, quarters=1).current
    assert (q4.cadence_days_measured, q4.cadence_adherence) == (41, pytest.approx(9 / 41))


def _queries_for_scorecards(owner) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        scorecards(by=owner, as_of=AS_OF)
    return len(captured.captured_queries)


def test_the_scorecards_read_a_fixed_number_of_queries_whatever_the_number_of_executives(program):
    few = _queries_for_scorecards(program["owner"])
    for _ in range(4):
        SponsorshipFactory(executive=ExecutiveFactory(), started_on=dt.date(2026, 9, 1))
    assert _queries_for_scorecards(program["owner"]) == few
