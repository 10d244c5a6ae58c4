"""Generate the demo company: wipe, then write every table in stages, deterministically by seed and size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from execsponsor.demo import (
    accounts,
    advocacy,
    contacts,
    effects,
    engagements,
    experiment,
    measures,
    people,
    program,
    revenue,
    storage,
    success,
)
from execsponsor.demo.plan import DEFAULT_ACCOUNTS, DEFAULT_SEED, Company, DemoSize
from execsponsor.users.models import Role


def _people(company: Company) -> None:
    people.create_users(company)
    people.create_executives(company)


def _accounts(company: Company) -> None:
    accounts.plan_accounts(company)
    revenue.plan_paths(company)
    program.plan_program(company)
    effects.plan_effects(company)
    revenue.plan_revenue(company)
    measures.plan_condition(company)
    accounts.write_accounts(company)


def _contacts(company: Company) -> None:
    contacts.plan_contacts(company)
    contacts.plant_departures(company)
    contacts.plant_followed(company)
    effects.plan_threads(company)
    effects.plan_counterparts(company)
    effects.plan_quiet_champions(company)
    contacts.write_contacts(company)


def _revenue(company: Company) -> None:
    revenue.write_revenue(company)
    revenue.write_opportunities(company)


def _measures(company: Company) -> None:
    measures.write_satisfaction(company)
    measures.write_usage(company)
    advocacy.write_outcomes_and_advocates(company)


def _finish(company: Company) -> None:
    effects.write_signals(company)
    storage.reset_sequences()
    experiment.write_cohort(company)
    _product_computes(company)
    company.truth["counts"] = storage.row_counts()
    effects.record_truth(company)


# Above this size the demo leaves the measures to the nightly job (they take minutes at 100,000 accounts).
MEASURES_AT_GENERATION_UP_TO = 20_000


def _product_computes(company: Company) -> None:
    """The demo writes inputs only; what a user sees on top of them is computed by the product, as it would be
    on a real install: departures from the signals, then health at each month end of the history and today."""
    from execsponsor.signals.services import departures_review
    from execsponsor.users.models import User

    admin = User.objects.get(pk=company.users[Role.ADMIN][0])
    departures_review(by=admin, today=company.as_of)
    measures.compute_health(company)
    _playbooks_start(company)  # after health: a health drop starts its playbook
    from execsponsor.insights.impact import impact_analysis_record
    from execsponsor.users.services import system_user

    impact_analysis_record(by=system_user(), today=company.as_of)  # what the nightly job would have shown
    if company.size.accounts <= MEASURES_AT_GENERATION_UP_TO:
        from execsponsor.insights.measures import snapshot_record

        snapshot_record(by=system_user(), as_of=company.as_of)  # the nightly measures, for the dashboard
    if connection.vendor == "postgresql":
        # Check the foreign keys of what the review wrote now, not at commit: inside one long transaction (as
        # tests run it) a later stage that rebuilds an index refuses to while trigger events are pending.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _playbooks_start(company: Company) -> None:
    """Playbook runs and their tasks from the real engine, on the demo's day: the triggers the data sets off."""
    from execsponsor.playbooks.builtins import ensure_built_in_playbooks
    from execsponsor.playbooks.engine import triggers_evaluate
    from execsponsor.users.services import system_user

    ensure_built_in_playbooks()
    triggers_evaluate(today=company.as_of, by=system_user())


STAGES: tuple[tuple[str, Callable[[Company], None]], ...] = (
    ("Wiping the previous demo company", lambda company: storage.wipe_company()),
    ("Our people and the executive bench", _people),
    ("Accounts", _accounts),
    ("Contacts and reports-to trees", _contacts),
    ("Sponsorships, counterparts and objectives", program.write_sponsorships),
    ("Quarterly revenue and opportunities", _revenue),
    ("Engagements and participants", engagements.write_engagements),
    ("Opportunities that began with a sponsor, and outside the plan", success.write_success_opportunities),
    ("CSAT/NPS answers, product usage, outcomes and advocates", _measures),
    ("Signals, what the product computes, the planted truth", _finish),
)


def generate_demo(
    *,
    accounts: int = DEFAULT_ACCOUNTS,
    seed: int = DEFAULT_SEED,
    as_of: dt.date | None = None,
    on_stage: Callable[[int, str], None] | None = None,
) -> dict[str, object]:
    """Replace the company data with a freshly generated demo company; returns the planted truth.

    The same seed, number of accounts and as-of date always give the same rows. Each stage runs in its own
    transaction (one transaction overall when called inside one, as tests do).
    """
    company = Company(size=DemoSize.for_accounts(accounts), seed=seed, as_of=as_of or timezone.localdate())
    storage.speed_up_bulk_load()
    with connection.constraint_checks_disabled():
        for number, (label, stage) in enumerate(STAGES):
            if on_stage:
                on_stage(number, label)
            with transaction.atomic():
                stage(company)
    storage.refresh_statistics()
    return planted_effects() or {}


def planted_effects() -> dict[str, object] | None:
    """The truth recorded by the last demo generation (see docs/demo.md), or None if there is no demo company."""
    from execsponsor.program.models import ProgramSetting

    setting = ProgramSetting.objects.filter(key=effects.TRUTH_KEY).first()
    return setting.value if setting else None


def demo_exists() -> bool:
    from execsponsor.common.constraints import Source
    from execsponsor.customers.models import Account

    return planted_effects() is not None and Account.objects.filter(source=Source.DEMO).exists()
