"""core.measures on small fixtures whose figures are worked out by hand in the comments."""

from __future__ import annotations

import datetime as dt

import pytest

from execsponsor.core.cadence import CadenceRule, CadenceState, cadence_of
from execsponsor.core.measures import (
    ContactRow,
    EngagementRow,
    MeasureInputs,
    MeasurePolicy,
    OpportunityRow,
    Quarter,
    RevenueRow,
    SponsorshipRow,
    SurveyRow,
    TouchRow,
    days_within_cadence,
    earlier_access,
    measure,
    quarters_up_to,
    trends,
    unexpected_business,
)

D = dt.date
AS_OF = D(2026, 12, 2)
Q4 = Quarter(2026, 4)


def sponsorship(id=1, account=10, executive=7, live_from=D(2026, 1, 1), **kw) -> SponsorshipRow:
    kw.setdefault("clock_start", live_from)
    kw.setdefault("started_on", live_from)
    return SponsorshipRow(id=id, account=account, executive=executive, live_from=live_from, live_until=None, **kw)


def run(*, sponsorships=None, quarters=None, policy=None, **rows):
    inputs = MeasureInputs(as_of=AS_OF, sponsorships=sponsorships or [sponsorship()], **rows)
    return measure(inputs, quarters=quarters or [Q4], policy=policy)


# ---- quarters ------------------------------------------------------------------------------------------------


def test_quarters_are_labelled_and_bounded():
    assert [q.label for q in quarters_up_to(AS_OF, 3)] == ["2026 Q2", "2026 Q3", "2026 Q4"]
    assert (Q4.start, Q4.end) == (D(2026, 10, 1), D(2026, 12, 31))
    assert Quarter(2026, 1).shifted(-1) == Quarter(2025, 4)


# ---- NRR and GRR ---------------------------------------------------------------------------------------------


def _revenue(account, prior, trailing):
    """Eight quarters 2025 Q1 … 2026 Q4: `prior` in each of the first four, `trailing` in each of the last four."""
    quarters = [Quarter(2025, q) for q in range(1, 5)] + [Quarter(2026, q) for q in range(1, 5)]
    return [RevenueRow(account, q, prior if i < 4 else trailing) for i, q in enumerate(quarters)]


def test_nrr_and_grr_follow_the_demo_definition_with_expansion_capped_for_grr():
    # A grows 400 → 480, B shrinks 400 → 320. NRR = (480 + 320) / 800 = 1.00; GRR caps A at 400: 720 / 800.
    rows = _revenue(10, 100, 120) + _revenue(11, 100, 80)
    result = run(sponsorships=[sponsorship(1, 10), sponsorship(2, 11, executive=8)], revenue=rows)
    q4 = result.program[-1]
    assert q4.nrr == pytest.approx(1.0)
    assert q4.grr == pytest.approx(0.9)
    assert q4.retention_accounts == 2
    assert q4.revenue == pytest.approx(200)
    assert result.by_account[10][-1].nrr == pytest.approx(1.2)
    assert result.by_account[11][-1].grr == pytest.approx(0.8)


def test_nrr_needs_eight_quarters_of_data():
    # 2026 Q3 would need 2024 Q4, which the data does not hold.
    result = run(revenue=_revenue(10, 100, 120), quarters=[Quarter(2026, 3), Q4])
    assert result.program[0].nrr is None
    assert result.program[0].revenue == pytest.approx(120)
    assert result.program[1].nrr == pytest.approx(1.2)


def test_an_account_without_prior_revenue_is_outside_the_retention_cohort():
    rows = _revenue(10, 100, 120) + _revenue(11, 0, 50)
    q4 = run(sponsorships=[sponsorship(1, 10), sponsorship(2, 11)], revenue=rows).program[-1]
    assert q4.retention_accounts == 1
    assert q4.nrr == pytest.approx(1.2)


# ---- CSAT and NPS --------------------------------------------------------------------------------------------


def test_nps_is_promoters_minus_detractors_in_points():
    # 10, 10, 9 promote; 7 is passive; 6 and 0 detract: (3 − 2) / 6 = 16.7 points.
    surveys = [SurveyRow(10, "nps", s, D(2026, 10, 5)) for s in (10, 10, 9, 7, 6, 0)]
    q4 = run(surveys=surveys).program[-1]
    assert q4.nps == pytest.approx(100 / 6)
    assert q4.nps_responses == 6


def test_a_six_detracts_and_a_nine_promotes():
    surveys = [SurveyRow(10, "nps", s, D(2026, 10, 5)) for s in (9, 6)]
    assert run(surveys=surveys).program[-1].nps == pytest.approx(0)


def test_csat_is_the_mean_answer_in_the_quarter():
    surveys = [SurveyRow(10, "csat", s, D(2026, 11, 1)) for s in (5, 4, 3)] + [SurveyRow(10, "csat", 1, D(2026, 9, 30))]
    q4 = run(surveys=surveys).program[-1]
    assert (q4.csat, q4.csat_responses) == (pytest.approx(4.0), 3)


# ---- cadence adherence ---------------------------------------------------------------------------------------


def test_cadence_adherence_counts_the_days_within_cadence():
    # Clock from 1 Oct, a counting meeting on 20 Oct, measured up to 10 Nov (41 days). 1–15 Oct within (day 0–14),
    # 16–19 Oct overdue (4); 20 Oct–3 Nov within (15), 4–10 Nov overdue (7): 30 of 41.
    within, measured = days_within_cadence(
        first=D(2026, 10, 1), last=D(2026, 11, 10), clock_start=D(2026, 10, 1), counting=[D(2026, 10, 20)],
        rule=CadenceRule(),
    )  # fmt: skip
    assert (within, measured) == (30, 41)


def test_paused_days_are_not_measured():
    # As above, paused from 5 Nov: 5–10 Nov (6 overdue days) drop out; 4 Nov stays overdue: 30 of 35.
    within, measured = days_within_cadence(
        first=D(2026, 10, 1), last=D(2026, 11, 10), clock_start=D(2026, 10, 1), counting=[D(2026, 10, 20)],
        rule=CadenceRule(), paused=[(D(2026, 11, 5), None)],
    )  # fmt: skip
    assert (within, measured) == (30, 35)


def test_days_before_the_clock_starts_are_not_measured():
    within, measured = days_within_cadence(
        first=D(2026, 10, 1), last=D(2026, 10, 10), clock_start=D(2026, 10, 6), counting=[], rule=CadenceRule()
    )
    assert (within, measured) == (5, 5)


@pytest.mark.parametrize("interval", [7, 14, 30])
def test_adherence_agrees_with_the_cadence_state_day_by_day(interval):
    rule = CadenceRule.every(interval)
    counting = [D(2026, 7, 3), D(2026, 7, 29), D(2026, 8, 2), D(2026, 9, 20)]
    first, last, clock = D(2026, 7, 1), D(2026, 9, 30), D(2026, 6, 20)
    days = [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
    states = [cadence_of(today=d, started_on=clock, counting_dates=counting, rule=rule).state for d in days]
    expected_within = sum(s in (CadenceState.OK, CadenceState.AT_RISK) for s in states)
    got = days_within_cadence(first=first, last=last, clock_start=clock, counting=counting, rule=rule)
    assert got == (expected_within, len(days))


def test_program_adherence_is_over_live_unpaused_sponsorship_days():
    # Live from 1 Nov, no meeting: 1–15 Nov within, 16 Nov–2 Dec (as of) overdue: 15 of 32.
    s = sponsorship(live_from=D(2026, 11, 1))
    q4 = run(sponsorships=[s]).program[-1]
    assert q4.cadence_days_measured == 32
    assert q4.cadence_adherence == pytest.approx(15 / 32)


# ---- engagements and executive access ------------------------------------------------------------------------


def test_engagements_that_count_per_sponsorship_and_executive_access():
    # Sponsorship 1: two that count (one with a C-level contact) and one that does not; sponsorship 2: none.
    engagements = [
        EngagementRow(1, 10, D(2026, 10, 5), True, sponsorship=1, c_level_contacts=(50,)),
        EngagementRow(2, 10, D(2026, 10, 25), True, sponsorship=1),
        EngagementRow(3, 10, D(2026, 11, 5), False, sponsorship=1, c_level_contacts=(50,)),
        EngagementRow(4, 10, D(2026, 9, 5), True, sponsorship=1, c_level_contacts=(50,)),  # last quarter
    ]
    result = run(sponsorships=[sponsorship(1, 10), sponsorship(2, 11, executive=8)], engagements=engagements)
    q4 = result.program[-1]
    assert (q4.live_sponsorships, q4.engagements_counting) == (2, 2)
    assert q4.engagements_per_sponsorship == pytest.approx(1.0)
    assert (q4.executive_access, q4.executive_access_share) == (1, pytest.approx(0.5))
    assert result.by_executive[7][-1].engagements_per_sponsorship == pytest.approx(2.0)
    assert result.by_executive[8][-1].engagements_counting == 0


def test_relationship_breadth_counts_threads_and_personas():
    # A CEO met at six recent two-way meetings scores far above 30 (recency 30 + frequency 25 + two-way 15 +
    # depth 13.5 + seniority 15 = 98.5); a contact nobody met scores 0: one thread, one persona.
    contacts = [ContactRow(50, 10, "c_level", "ceo_coo", "Ana"), ContactRow(51, 10, "manager", "team_manager", "Bo")]
    touches = [TouchRow(50, AS_OF - dt.timedelta(days=k * 10), "meeting") for k in range(6)]
    q4 = run(contacts=contacts, touches=touches).program[-1]
    assert (q4.threads_per_sponsorship, q4.personas_per_sponsorship) == (1.0, 1.0)


# ---- pipeline and renewals -----------------------------------------------------------------------------------


def test_pipeline_is_what_was_open_at_quarter_end():
    opportunities = [
        OpportunityRow(1, 10, D(2026, 8, 1), amount=100, is_closed=True, close_date=D(2026, 11, 1)),
        OpportunityRow(2, 10, D(2026, 8, 1), amount=40),
        OpportunityRow(3, 10, D(2026, 10, 1), amount=5),
    ]
    result = run(opportunities=opportunities, quarters=[Quarter(2026, 3), Q4])
    assert result.program[0].pipeline == pytest.approx(140)  # 30 Sep: 1 and 2 open, 3 not yet opened
    assert result.program[1].pipeline == pytest.approx(45)  # 2 Dec: 1 closed


def test_renewals_won_and_lost_in_the_quarter():
    opportunities = [
        OpportunityRow(1, 10, D(2026, 1, 1), kind="Renewal", is_closed=True, is_won=True, close_date=D(2026, 10, 3)),
        OpportunityRow(2, 10, D(2026, 1, 1), kind="Renewal", is_closed=True, close_date=D(2026, 11, 3)),
        OpportunityRow(3, 10, D(2026, 1, 1), kind="Renewal", is_closed=True, is_won=True, close_date=D(2026, 11, 4)),
        OpportunityRow(4, 10, D(2026, 1, 1), kind="Expansion", is_closed=True, is_won=True, close_date=D(2026, 11, 3)),
    ]
    q4 = run(opportunities=opportunities).program[-1]
    assert (q4.renewals_won, q4.renewals_lost) == (2, 1)
    assert q4.renewal_rate == pytest.approx(2 / 3)


# ---- earlier access ------------------------------------------------------------------------------------------

MET = EngagementRow(100, 10, D(2026, 9, 1), True, executives=frozenset({7}), c_level_contacts=(50,))
POLICY = MeasurePolicy(window_days=30, formal_stages=("Proposal", "Negotiation"))


def access(opportunity, engagements=(MET,), policy=POLICY):
    return earlier_access(opportunity, engagements=list(engagements), sponsorships=[sponsorship()], policy=policy)


@pytest.mark.parametrize(
    ("opened", "expected"),
    [(D(2026, 8, 31), False), (D(2026, 9, 1), True), (D(2026, 10, 1), True), (D(2026, 10, 2), False)],
)
def test_earlier_access_window_runs_from_the_meeting_day_to_thirty_days_after(opened, expected):
    assert (access(OpportunityRow(1, 10, opened)) is not None) is expected


def test_earlier_access_names_the_meeting_and_the_contact():
    found = access(OpportunityRow(1, 10, D(2026, 9, 20), amount=70))
    assert (found.engagement, found.contacts, found.executive, found.how) == (100, (50,), 7, "derived")


def test_the_window_is_configurable():
    policy = MeasurePolicy(window_days=60, formal_stages=())
    assert access(OpportunityRow(1, 10, D(2026, 10, 20)), policy=policy) is not None


def test_an_opportunity_first_recorded_in_a_formal_evaluation_stage_is_not_earlier_access():
    assert access(OpportunityRow(1, 10, D(2026, 9, 10), opened_stage="Proposal")) is None
    assert access(OpportunityRow(1, 10, D(2026, 9, 10), opened_stage="Prospecting")) is not None


@pytest.mark.parametrize(
    "engagement",
    [
        EngagementRow(100, 10, D(2026, 9, 1), False, executives=frozenset({7}), c_level_contacts=(50,)),  # no count
        EngagementRow(100, 10, D(2026, 9, 1), True, executives=frozenset({8}), c_level_contacts=(50,)),  # not sponsor
        EngagementRow(100, 10, D(2026, 9, 1), True, executives=frozenset({7})),  # no C-level contact
        EngagementRow(100, 10, D(2025, 12, 20), True, executives=frozenset({7}), c_level_contacts=(50,)),  # not live
    ],
)
def test_earlier_access_needs_a_counting_sponsor_meeting_with_the_c_level(engagement):
    opened = engagement.day + dt.timedelta(days=3)
    assert access(OpportunityRow(1, 10, opened), engagements=[engagement]) is None


def test_an_override_says_no_to_derived_evidence():
    assert access(OpportunityRow(1, 10, D(2026, 9, 10), override=False)) is None


def test_an_override_says_yes_without_evidence():
    found = access(OpportunityRow(1, 10, D(2026, 12, 1), override=True))
    assert (found.how, found.engagement, found.sponsorship) == ("override", None, 1)


def test_the_manual_flag_is_a_yes_and_an_override_no_beats_it():
    assert access(OpportunityRow(1, 10, D(2026, 12, 1), manual_flag=True)).how == "manual flag"
    assert access(OpportunityRow(1, 10, D(2026, 12, 1), manual_flag=True, override=False)) is None


def test_earlier_access_is_counted_in_the_quarter_the_opportunity_opened():
    opportunities = [OpportunityRow(1, 10, D(2026, 9, 20), amount=70), OpportunityRow(2, 10, D(2026, 10, 1), amount=30)]
    result = run(engagements=[MET], opportunities=opportunities, quarters=[Quarter(2026, 3), Q4], policy=POLICY)
    assert [(q.earlier_access, q.earlier_access_amount) for q in result.program] == [(1, 70), (1, 30)]
    assert [q.opportunities_opened for q in result.program] == [1, 1]


# ---- unexpected business -------------------------------------------------------------------------------------

PLANNED = sponsorship(started_on=D(2026, 3, 1), plan_at_start=frozenset({"Analytics", "Security"}))


def test_an_area_outside_the_plan_at_start_is_unexpected():
    found = unexpected_business(OpportunityRow(1, 10, D(2026, 5, 1), capability_area="Billing"), sponsorships=[PLANNED])
    assert (found.capability_area, found.plan_at_start, found.started_on) == (
        "Billing",
        ("Analytics", "Security"),
        D(2026, 3, 1),
    )


@pytest.mark.parametrize(
    "opportunity",
    [
        OpportunityRow(1, 10, D(2026, 5, 1), capability_area="analytics"),  # in the plan (case aside)
        OpportunityRow(1, 10, D(2026, 2, 1), capability_area="Billing"),  # before the sponsorship started
        OpportunityRow(1, 10, D(2026, 5, 1), capability_area=""),  # no area recorded
    ],
)
def test_planned_areas_and_earlier_opportunities_are_not_unexpected(opportunity):
    assert unexpected_business(opportunity, sponsorships=[PLANNED]) is None


def test_unexpected_business_is_counted_per_quarter():
    opportunities = [OpportunityRow(1, 10, D(2026, 11, 1), amount=25, capability_area="Billing")]
    q4 = run(sponsorships=[PLANNED], opportunities=opportunities).program[-1]
    assert (q4.unexpected_business, q4.unexpected_business_amount) == (1, 25)


# ---- groups and trends ---------------------------------------------------------------------------------------


def test_an_account_keeps_its_lagging_figures_before_it_was_sponsored():
    s = sponsorship(live_from=D(2026, 10, 1))
    result = run(sponsorships=[s], revenue=_revenue(10, 100, 120), quarters=[Quarter(2026, 3), Q4])
    assert result.program[0].revenue is None  # no sponsored account in Q3
    assert result.program[0].accounts == 0
    assert result.by_account[10][0].revenue == pytest.approx(120)
    assert result.by_sponsorship[1][0].live_sponsorships == 0


def test_trends_compare_this_quarter_with_the_last():
    surveys = [SurveyRow(10, "csat", 3, D(2026, 8, 1)), SurveyRow(10, "csat", 5, D(2026, 11, 1))]
    result = run(surveys=surveys, quarters=[Quarter(2026, 3), Q4])
    trend = trends(result.program)["csat"]
    assert (trend.current, trend.previous, trend.change) == (5.0, 3.0, 2.0)
