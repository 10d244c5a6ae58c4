"""Each trigger starts its playbook once per cause: a re-run of the evaluation starts nothing new."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from execsponsor.playbooks.builtins import BUILT_IN_PLAYBOOKS, ensure_built_in_playbooks
from execsponsor.playbooks.engine import triggers_evaluate
from execsponsor.playbooks.models import Playbook, PlaybookRun, Task
from execsponsor.program.models import SponsorshipStatus
from execsponsor.signals.models import Alert, AlertType
from execsponsor.users.services import system_user
from tests.factories import ContactFactory, EngagementFactory, HealthSnapshotFactory
from tests.playbooks.conftest import TODAY

pytestmark = pytest.mark.django_db


def runs_of(slug: str):
    return PlaybookRun.objects.filter(playbook__slug=slug)


def aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def only(slug: str) -> None:
    """Switch off every built-in but `slug`, so a test sees one trigger at a time."""
    ensure_built_in_playbooks()
    Playbook.objects.exclude(slug=slug).update(is_active=False)


def test_a_newly_approved_sponsorship_starts_onboarding_once(team):
    only("sponsorship-onboarding")
    team.sponsorship.status = SponsorshipStatus.APPROVED
    team.sponsorship.approved_at = aware(TODAY - dt.timedelta(days=2))
    team.sponsorship.save()
    triggers_evaluate(TODAY, by=system_user())
    triggers_evaluate(TODAY, by=system_user())
    triggers_evaluate(TODAY + dt.timedelta(days=1), by=system_user())
    run = runs_of("sponsorship-onboarding").get()
    assert run.sponsorship == team.sponsorship and run.anchor_date == dt.date(2026, 4, 8)
    alignment = run.tasks.get(title="Hold the AE–sponsor alignment meeting")
    assert alignment.owner == team.ae and alignment.due_on == dt.date(2026, 4, 11)
    assert run.tasks.get(title="Hold the first sponsor meeting").owner == team.sponsor


def test_a_sponsorship_approved_long_ago_is_not_onboarded_again(team):
    only("sponsorship-onboarding")
    team.sponsorship.approved_at = aware(TODAY - dt.timedelta(days=200))
    team.sponsorship.save()
    triggers_evaluate(TODAY, by=system_user())
    assert not runs_of("sponsorship-onboarding").exists()


def test_cadence_overdue_nudges_once_per_silent_spell(team):
    only("cadence-nudge")
    team.sponsorship.started_on = TODAY - dt.timedelta(days=20)
    team.sponsorship.save()
    triggers_evaluate(TODAY, by=system_user())
    triggers_evaluate(TODAY + dt.timedelta(days=3), by=system_user())
    assert runs_of("cadence-nudge").get().cause_key == f"cadence-overdue:{team.sponsorship.pk}:2026-03-21"
    # A meeting that counts restarts the clock; fifteen days later the next spell nudges again.
    EngagementFactory(account=team.account, sponsorship=team.sponsorship, occurred_at=aware(TODAY), counts=True)
    triggers_evaluate(TODAY + dt.timedelta(days=5), by=system_user())
    assert runs_of("cadence-nudge").count() == 1
    triggers_evaluate(TODAY + dt.timedelta(days=15), by=system_user())
    assert runs_of("cadence-nudge").count() == 2
    latest = runs_of("cadence-nudge").order_by("-pk").first()
    assert latest.cause_key.endswith(":2026-04-10")
    assert latest.tasks.get(title="Book your next conversation").owner == team.sponsor


def test_a_paused_sponsorship_is_not_nudged(team):
    only("cadence-nudge")
    team.sponsorship.started_on = TODAY - dt.timedelta(days=40)
    team.sponsorship.status = SponsorshipStatus.PAUSED
    team.sponsorship.save()
    triggers_evaluate(TODAY, by=system_user())
    assert not runs_of("cadence-nudge").exists()


def test_a_renewal_within_90_days_starts_multi_threading_once(team):
    only("proactive-multi-threading")
    team.account.renewal_date = TODAY + dt.timedelta(days=60)
    team.account.save()
    triggers_evaluate(TODAY, by=system_user())
    triggers_evaluate(TODAY + dt.timedelta(days=10), by=system_user())
    run = runs_of("proactive-multi-threading").get()
    assert run.account == team.account and run.anchor_date == TODAY


def test_a_renewal_further_out_waits_unless_the_window_is_widened(team):
    only("proactive-multi-threading")
    team.account.renewal_date = TODAY + dt.timedelta(days=120)
    team.account.save()
    triggers_evaluate(TODAY, by=system_user())
    assert not runs_of("proactive-multi-threading").exists()
    Playbook.objects.filter(slug="proactive-multi-threading").update(settings={"days": 150})
    triggers_evaluate(TODAY, by=system_user())
    assert runs_of("proactive-multi-threading").count() == 1


def test_a_quarter_start_prepares_one_business_review_per_sponsorship_per_quarter(team):
    only("qbr-preparation")
    triggers_evaluate(dt.date(2026, 4, 2), by=system_user())
    triggers_evaluate(dt.date(2026, 4, 20), by=system_user())
    run = runs_of("qbr-preparation").get()
    assert run.anchor_date == dt.date(2026, 4, 1) and run.cause_key.endswith(":2026Q2")
    triggers_evaluate(dt.date(2026, 6, 1), by=system_user())  # past the first 30 days of the quarter
    assert runs_of("qbr-preparation").count() == 1
    triggers_evaluate(dt.date(2026, 7, 3), by=system_user())
    assert runs_of("qbr-preparation").count() == 2


def test_a_departure_alert_starts_the_sponsor_departure_playbook_from_the_alert_date(team):
    only("sponsor-departure")
    contact = ContactFactory(account=team.account)
    alert = Alert.objects.create(
        type=AlertType.RISK,
        reason="Champion left",
        account=team.account,
        contact=contact,
        starts_on=TODAY - dt.timedelta(days=1),
        dedupe_key=f"departure:{contact.pk}",
    )
    triggers_evaluate(TODAY, by=system_user())
    triggers_evaluate(TODAY, by=system_user())
    run = runs_of("sponsor-departure").get()
    assert run.alert == alert and run.anchor_date == dt.date(2026, 4, 9)
    assert run.tasks.get(title="Reach out to the successor").due_on == dt.date(2026, 4, 14)


def test_an_alert_of_a_kind_no_playbook_names_starts_nothing(team):
    ensure_built_in_playbooks()
    Playbook.objects.exclude(trigger="alert").update(is_active=False)
    Alert.objects.create(type=AlertType.EVENT, reason="?", account=team.account, starts_on=TODAY, dedupe_key="other:1")
    triggers_evaluate(TODAY, by=system_user())
    assert not PlaybookRun.objects.exists()


def test_a_new_executive_alert_starts_the_new_customer_executive_playbook(team):
    only("new-customer-executive")
    Alert.objects.create(
        type=AlertType.OPPORTUNITY,
        reason="New CFO",
        account=team.account,
        starts_on=TODAY,
        dedupe_key="new_executive:7",
    )
    triggers_evaluate(TODAY, by=system_user())
    assert runs_of("new-customer-executive").count() == 1


@pytest.mark.parametrize(
    ("before", "after", "fires"),
    [
        ((80, "green"), (72, "yellow"), True),  # fell a band, by 8 points
        ((74, "yellow"), (58, "yellow"), True),  # 16 points in the same band
        ((74, "yellow"), (66, "yellow"), False),  # 8 points in the same band
        ((60, "yellow"), (78, "green"), False),  # a rise
    ],
)
def test_a_health_drop_starts_the_health_drop_playbook(team, before, after, fires):
    only("health-drop")
    HealthSnapshotFactory(account=team.account, taken_on=TODAY - dt.timedelta(days=7), score=before[0], band=before[1])
    HealthSnapshotFactory(account=team.account, taken_on=TODAY, score=after[0], band=after[1])
    triggers_evaluate(TODAY, by=system_user())
    triggers_evaluate(TODAY, by=system_user())
    assert runs_of("health-drop").count() == (1 if fires else 0)


def test_a_switched_off_playbook_does_not_start(team):
    only("sponsorship-onboarding")
    Playbook.objects.filter(slug="sponsorship-onboarding").update(is_active=False)
    team.sponsorship.approved_at = aware(TODAY)
    team.sponsorship.save()
    triggers_evaluate(TODAY, by=system_user())
    assert not PlaybookRun.objects.exists()


def test_the_built_ins_are_seeded_once_and_edits_survive_reseeding(db):
    assert ensure_built_in_playbooks() == len(BUILT_IN_PLAYBOOKS) == 8
    onboarding = Playbook.objects.get(slug="sponsorship-onboarding")
    onboarding.name = "Our onboarding"
    onboarding.save()
    onboarding.steps.filter(position=1).delete()
    assert ensure_built_in_playbooks() == 0
    onboarding.refresh_from_db()
    assert onboarding.name == "Our onboarding" and onboarding.steps.count() == 4
    assert Playbook.objects.filter(built_in=True).count() == 8


def test_every_built_in_step_has_a_role_and_instructions(db):
    ensure_built_in_playbooks()
    for playbook in Playbook.objects.prefetch_related("steps"):
        assert playbook.steps.exists(), playbook.slug
        assert all(step.instructions for step in playbook.steps.all()), playbook.slug


def test_a_task_made_by_a_trigger_is_assigned_now(team):
    only("proactive-multi-threading")
    team.account.renewal_date = TODAY + dt.timedelta(days=30)
    team.account.save()
    before = timezone.now()
    triggers_evaluate(TODAY, by=system_user())
    assert all(task.assigned_at >= before for task in Task.objects.all())
