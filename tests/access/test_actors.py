"""Every check and every service needs a real actor: `None` is refused, never "allowed everything". The command
line and the background jobs act as the system user (or --user), and history names them."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from execsponsor.access.rules import can, require
from execsponsor.common.errors import NotPermitted
from execsponsor.customers.models import Account
from execsponsor.customers.services import account_create
from execsponsor.exchange.importing import services as imports
from execsponsor.exchange.importing.engine import run_import
from execsponsor.exchange.models import ImportBatch
from execsponsor.insights.models import ImpactAnalysis
from execsponsor.insights.tasks import nightly_impact_analysis
from execsponsor.users.models import ApiToken, Role, User
from execsponsor.users.services import (
    SYSTEM_USERNAME,
    api_token_create,
    executive_create,
    system_user,
    user_create,
    user_deactivate,
)
from tests.exchange.importing_support import SALESFORCE, esp

pytestmark = pytest.mark.django_db

ACCOUNTS = (SALESFORCE / "Account.csv").read_bytes()


def test_no_user_holds_no_permission_and_requiring_one_of_nobody_is_refused():
    assert not can(None, "execsponsor.run_program")
    with pytest.raises(NotPermitted, match="real user"):
        require(None, "execsponsor.write")


def test_a_misspelt_permission_is_an_error_not_a_silent_no():
    with pytest.raises(KeyError):
        can(system_user(), "execsponsor.run_programme")


@pytest.mark.parametrize(
    "call",
    [
        lambda cast: run_import(stream=io.BytesIO(ACCOUNTS), source="salesforce", kind="accounts", by=None),
        lambda cast: imports.import_run(
            stream=io.BytesIO(ACCOUNTS), source="salesforce", kind="accounts", file_name="Account.csv", by=None
        ),
        lambda cast: user_create(username="newcomer", role=Role.VIEWER, by=None),
        lambda cast: api_token_create(user=cast.owner, name="sync", by=None),
        lambda cast: account_create(by=None, fields={"name": "Nobody's Account"}),
        lambda cast: executive_create(by=None, user=cast.viewer, fields={}),
    ],
    ids=["import engine", "import", "user", "api token", "account", "executive"],
)
def test_a_service_refuses_none_as_its_actor_and_writes_nothing(cast, call):
    accounts, users, tokens = Account.objects.count(), User.with_system.count(), ApiToken.objects.count()
    with pytest.raises(NotPermitted):
        call(cast)
    assert (Account.objects.count(), User.with_system.count(), ApiToken.objects.count()) == (accounts, users, tokens)


def test_a_person_made_at_the_command_line_is_recorded_as_made_by_the_system_user():
    assert esp("user", "create", "paula", "--role", "program_owner").exit_code == 0
    made = User.objects.get(username="paula").history.earliest()
    assert made.history_user.username == SYSTEM_USERNAME


def test_the_command_line_issues_a_token_for_anyone_but_a_person_only_for_themself(cast):
    outcome = esp("token", "create", "alex.ae", "--name", "CRM sync")
    assert outcome.exit_code == 0
    assert ApiToken.objects.filter(user=cast.ae, name="CRM sync").exists()
    # An admin is a superuser, but the predicates decide: no token in someone else's name.
    with pytest.raises(NotPermitted):
        api_token_create(user=cast.ae, name="on their behalf", by=cast.admin)


def test_the_nightly_job_acts_as_the_system_user(cast):
    nightly_impact_analysis.call_local()
    assert ImpactAnalysis.objects.get().computed_by == system_user()


def test_the_import_commit_job_acts_as_who_committed_and_refuses_them_once_deactivated(cast):
    batch = imports.import_job_start(
        by=cast.owner,
        source="salesforce",
        kind="accounts",
        file_name="Account.csv",
        chunks=[ACCOUNTS],
        size=len(ACCOUNTS),
    )
    batch.refresh_from_db()
    assert batch.status == "previewed"
    user_deactivate(user=cast.owner, by=cast.admin)
    ImportBatch.objects.filter(pk=batch.pk).update(status="committing")

    imports.import_job_commit_run(batch.pk, cast.owner.pk)

    batch.refresh_from_db()
    assert batch.status == "failed" and "program owner" in batch.failure
    assert not Account.objects.filter(source="salesforce").exists()


def test_the_system_user_cannot_sign_in_on_the_sign_in_page(cast):
    robot = system_user()
    robot.set_password("a-password-nobody-should-know-2026")
    robot.save()
    client = Client()
    client.post("/login/", {"username": SYSTEM_USERNAME, "password": "a-password-nobody-should-know-2026"})
    assert "_auth_user_id" not in client.session
    assert client.get("/accounts/").status_code == 302
