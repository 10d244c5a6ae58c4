"""The program owner's getting-started checklist: each step ticks itself off from the data."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from execsponsor.common.constraints import Source
from execsponsor.customers.models import Account, Contact, Opportunity
from execsponsor.engagements.models import Engagement
from execsponsor.program.matching.inputs import SELECTION_KEY
from execsponsor.program.models import MatchingRun, ProgramSetting, RunStatus, SelectionRun, Sponsorship
from execsponsor.users.models import Executive, User


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    how: str
    done: bool
    url: str
    action: str


def _import_step(key: str, title: str, how: str, done: bool) -> Step:
    return Step(key, title, how, done, reverse("exchange:import_upload"), "Import")


def getting_started_steps() -> list[Step]:
    """From an empty install to an approved program, in the order a program owner goes."""
    selection_checked = (
        ProgramSetting.objects.filter(key=SELECTION_KEY, updated_by__isnull=False).exists()
        or SelectionRun.objects.exists()
    )
    return [
        _import_step(
            "users",
            "Import our users",
            "Salesforce User.csv (kind “Our users”): your executives, AEs and CSMs.",
            User.objects.exclude(source=Source.MANUAL).exists(),
        ),
        _import_step("accounts", "Import accounts", "Account.csv: your customers.", Account.objects.exists()),
        _import_step(
            "contacts", "Import contacts", "Contact.csv: the customers' executives.", Contact.objects.exists()
        ),
        _import_step(
            "opportunities",
            "Import opportunities",
            "Opportunity.csv: open and closed deals.",
            Opportunity.objects.exists(),
        ),
        _import_step(
            "activities", "Import activities", "Event.csv and Task.csv: past meetings.", Engagement.objects.exists()
        ),
        Step(
            "executives",
            "Set up executives",
            "Who may sponsor: function, level, industries, languages, capacity.",
            Executive.objects.filter(is_active=True).exists(),
            reverse("executives:executive_new"),
            "Add an executive",
        ),
        Step(
            "selection",
            "Check the selection",
            "Which accounts deserve a sponsor: review the ranking and save the settings.",
            selection_checked,
            reverse("program:selection_settings"),
            "Selection",
        ),
        Step(
            "matching",
            "Run matching",
            "Propose a sponsor for each selected account.",
            # Sponsorships on record (imported, or a program already running) mean the matching was done.
            MatchingRun.objects.exists() or Sponsorship.objects.exists(),
            reverse("program:matching_workbench"),
            "Matching",
        ),
        Step(
            "approve",
            "Approve",
            "Approve a run: its proposals become sponsorships.",
            MatchingRun.objects.filter(status=RunStatus.APPROVED).exists() or Sponsorship.objects.exists(),
            reverse("program:matching_workbench"),
            "Review runs",
        ),
    ]
