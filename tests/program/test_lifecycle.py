"""The lifecycle services: each step's gate refuses with a message, keeps history, and refuses a stale version."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from execsponsor.common.errors import ConcurrentEdit, InvalidInput, NotPermitted
from execsponsor.program import charter_services as charters
from execsponsor.program.assignment_services import sponsorship_end
from execsponsor.program.lifecycle import Step, sponsorship_transition, steps_from_here
from execsponsor.program.models import ALIGNMENT_ITEMS, Sponsorship, SponsorshipStatus

pytestmark = pytest.mark.django_db

EVERY_ITEM = list(ALIGNMENT_ITEMS)
NOTES = {
    "account_strategy": "Expand from payments into treasury",
    "ae_promises": "A roadmap session on instant payments in Q1",
    "open_opportunities": "Treasury module, $240k, proposal stage",
    "customer_challenges": "Legacy core banking migration",
}


def fresh(sponsorship) -> Sponsorship:
    return Sponsorship.objects.select_related("account", "executive__user").get(pk=sponsorship.pk)


def move(sponsorship, step, by, **kwargs):
    return sponsorship_transition(
        sponsorship=sponsorship, step=step, by=by, expected_version=fresh(sponsorship).version, **kwargs
    )


def align_both_sides(cast, sponsorship):
    alignment = charters.alignment_for(sponsorship)
    alignment = charters.alignment_notes_save(
        sponsorship=sponsorship, by=cast.ae, notes=NOTES, expected_version=alignment.version
    )
    charters.alignment_tick(
        sponsorship=sponsorship, by=cast.ae, side="ae", ticked=EVERY_ITEM, expected_version=alignment.notes_version
    )
    return charters.alignment_tick(
        sponsorship=sponsorship,
        by=cast.sponsor,
        side="sponsor",
        ticked=EVERY_ITEM,
        expected_version=alignment.notes_version,
    )


def test_introducing_needs_the_introduction_date(cast, team_sponsorship):
    with pytest.raises(InvalidInput, match="give the date the sponsor was introduced"):
        move(team_sponsorship, Step.INTRODUCE, cast.ae)
    assert fresh(team_sponsorship).status == SponsorshipStatus.APPROVED


def test_an_introduction_in_the_future_is_refused(cast, team_sponsorship):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(InvalidInput, match="is in the future"):
        move(team_sponsorship, Step.INTRODUCE, cast.ae, introduced_on=tomorrow)


def test_introducing_records_the_date_and_who_in_the_history(cast, team_sponsorship):
    day = timezone.localdate() - dt.timedelta(days=2)
    move(team_sponsorship, Step.INTRODUCE, cast.ae, introduced_on=day)
    sponsorship = fresh(team_sponsorship)
    assert (sponsorship.status, sponsorship.introduced_on) == (SponsorshipStatus.INTRODUCED, day)
    latest = sponsorship.history.latest()
    assert latest.history_user == cast.ae
    assert latest.status == "introduced"
    assert latest.history_change_reason == "Mark introduced"


def test_activating_needs_both_sides_of_the_alignment(cast, team_sponsorship):
    move(team_sponsorship, Step.INTRODUCE, cast.ae, introduced_on=timezone.localdate())
    with pytest.raises(InvalidInput, match="the AE and the sponsor have not ticked"):
        move(team_sponsorship, Step.ACTIVATE, cast.sponsor)
    alignment = charters.alignment_for(team_sponsorship)
    alignment = charters.alignment_notes_save(
        sponsorship=team_sponsorship, by=cast.ae, notes=NOTES, expected_version=alignment.version
    )
    charters.alignment_tick(
        sponsorship=team_sponsorship, by=cast.ae, side="ae", ticked=EVERY_ITEM, expected_version=alignment.notes_version
    )
    with pytest.raises(InvalidInput, match="the sponsor has not ticked"):
        move(team_sponsorship, Step.ACTIVATE, cast.sponsor)
    assert fresh(team_sponsorship).status == SponsorshipStatus.INTRODUCED


def test_a_sponsorship_aligned_on_both_sides_becomes_active(cast, team_sponsorship):
    move(team_sponsorship, Step.INTRODUCE, cast.ae, introduced_on=timezone.localdate())
    align_both_sides(cast, team_sponsorship)
    move(team_sponsorship, Step.ACTIVATE, cast.sponsor)
    sponsorship = fresh(team_sponsorship)
    assert sponsorship.status == SponsorshipStatus.ACTIVE
    assert sponsorship.started_on == timezone.localdate()
    assert sponsorship.alignment_checked_on == timezone.localdate()
    assert [h.status for h in sponsorship.history.order_by("history_date")][-2:] == ["introduced", "active"]


def test_approved_cannot_jump_to_active(cast, team_sponsorship):
    align_both_sides(cast, team_sponsorship)
    with pytest.raises(InvalidInput, match="approved cannot be activated"):
        move(team_sponsorship, Step.ACTIVATE, cast.owner)


def test_ending_needs_a_reason(cast, team_sponsorship):
    with pytest.raises(InvalidInput, match="say why the sponsorship ends"):
        move(team_sponsorship, Step.END, cast.owner, reason="   ")
    move(team_sponsorship, Step.END, cast.owner, reason="Customer reorganised")
    sponsorship = fresh(team_sponsorship)
    assert (sponsorship.status, sponsorship.end_reason) == (SponsorshipStatus.ENDED, "Customer reorganised")
    assert sponsorship.ended_on == timezone.localdate()
    assert sponsorship.history.latest().history_change_reason == "End: Customer reorganised"


def test_pause_and_resume(cast, team_sponsorship):
    move(team_sponsorship, Step.INTRODUCE, cast.ae, introduced_on=timezone.localdate())
    align_both_sides(cast, team_sponsorship)
    move(team_sponsorship, Step.ACTIVATE, cast.ae)
    move(team_sponsorship, Step.PAUSE, cast.sponsor, reason="Sabbatical until March")
    assert fresh(team_sponsorship).status == SponsorshipStatus.PAUSED
    move(team_sponsorship, Step.RESUME, cast.sponsor)
    assert fresh(team_sponsorship).status == SponsorshipStatus.ACTIVE


def test_a_stale_version_is_refused_and_nothing_moves(cast, team_sponsorship):
    read = fresh(team_sponsorship).version
    move(team_sponsorship, Step.END, cast.owner, reason="Rebalanced")
    with pytest.raises(ConcurrentEdit, match="Concurrent edits detected"):
        sponsorship_transition(
            sponsorship=team_sponsorship,
            step=Step.INTRODUCE,
            by=cast.owner,
            expected_version=read,
            introduced_on=timezone.localdate(),
        )
    assert fresh(team_sponsorship).status == SponsorshipStatus.ENDED


def test_a_missing_version_is_refused(cast, team_sponsorship):
    with pytest.raises(ConcurrentEdit, match="expected_version"):
        sponsorship_transition(sponsorship=team_sponsorship, step=Step.END, by=cast.owner, expected_version=None)


@pytest.mark.parametrize(
    ("who", "step"),
    [("viewer", Step.INTRODUCE), ("ae", Step.END), ("sponsor", Step.END), ("csm", Step.PAUSE), ("ae", Step.APPROVE)],
)
def test_who_may_not_take_a_step(cast, team_sponsorship, who, step):
    with pytest.raises(NotPermitted):
        move(team_sponsorship, step, cast.user(who), reason="x", introduced_on=timezone.localdate())


def test_an_unknown_step_is_a_clear_error(cast, team_sponsorship):
    with pytest.raises(InvalidInput, match="'launch' is not one of"):
        move(team_sponsorship, "launch", cast.owner)


def test_the_page_options_say_why_a_step_is_not_possible(cast, team_sponsorship):
    move(team_sponsorship, Step.INTRODUCE, cast.ae, introduced_on=timezone.localdate())
    options = {o.step: o for o in steps_from_here(fresh(team_sponsorship), user=cast.sponsor)}
    assert set(options) == {Step.ACTIVATE, Step.END}
    assert "alignment checklist is not complete" in options[Step.ACTIVATE].why_not
    assert "Only the program owner or an admin may end" in options[Step.END].why_not


def test_matching_and_rebalance_end_through_the_same_gate(cast, team_sponsorship):
    with pytest.raises(InvalidInput, match="say why"):
        sponsorship_end(sponsorship=fresh(team_sponsorship), by=cast.owner, reason="")
    sponsorship_end(sponsorship=fresh(team_sponsorship), by=cast.owner, reason="Quarterly rebalance 2026 Q4")
    assert fresh(team_sponsorship).history.latest().history_change_reason.startswith("End: Quarterly")


def test_a_paused_sponsorship_aligned_before_the_checklist_existed_resumes(cast, team_sponsorship):
    """Sponsorships older than the checklist carry the day their alignment was recorded; that is enough."""
    Sponsorship.objects.filter(pk=team_sponsorship.pk).update(status=SponsorshipStatus.PAUSED)
    with pytest.raises(InvalidInput, match="alignment checklist is not complete"):
        move(team_sponsorship, Step.RESUME, cast.sponsor)
    Sponsorship.objects.filter(pk=team_sponsorship.pk).update(alignment_checked_on=dt.date(2025, 9, 1))
    move(team_sponsorship, Step.RESUME, cast.sponsor)
    assert fresh(team_sponsorship).status == SponsorshipStatus.ACTIVE


def test_the_ae_and_the_sponsor_tick_at_the_same_time_but_not_a_changed_write_up(cast, team_sponsorship):
    alignment = charters.alignment_for(team_sponsorship)
    alignment = charters.alignment_notes_save(
        sponsorship=team_sponsorship, by=cast.ae, notes=NOTES, expected_version=alignment.version
    )
    read = alignment.notes_version  # both opened the page now
    charters.alignment_tick(
        sponsorship=team_sponsorship, by=cast.ae, side="ae", ticked=EVERY_ITEM, expected_version=read
    )
    charters.alignment_tick(
        sponsorship=team_sponsorship, by=cast.sponsor, side="sponsor", ticked=EVERY_ITEM[:2], expected_version=read
    )
    alignment = charters.alignment_for(team_sponsorship)
    assert alignment.ae_complete and alignment.sponsor_ticked == EVERY_ITEM[:2]
    charters.alignment_notes_save(
        sponsorship=team_sponsorship,
        by=cast.ae,
        notes={**NOTES, "ae_promises": "A discount"},
        expected_version=alignment.version,
    )
    with pytest.raises(ConcurrentEdit, match="alignment write-up"):
        charters.alignment_tick(
            sponsorship=team_sponsorship, by=cast.sponsor, side="sponsor", ticked=EVERY_ITEM, expected_version=read
        )
    alignment = charters.alignment_for(team_sponsorship)
    assert alignment.sponsor_ticked == [] and not alignment.sponsor_complete
