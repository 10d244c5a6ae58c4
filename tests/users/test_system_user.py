"""The command line and background jobs act as a named system user (or the user given with --user): every
service gets a real actor, history names it, and the system user can do nothing a person could use."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.backends import ModelBackend
from django.test import Client

from execsponsor.common.errors import NotPermitted
from execsponsor.customers.models import Account
from execsponsor.users.models import Role, User
from execsponsor.users.services import SYSTEM_USERNAME, api_token_create, system_user, user_deactivate
from tests.conftest import client_for
from tests.exchange.importing_support import SALESFORCE, esp, esp_import

pytestmark = pytest.mark.django_db


def test_a_command_line_import_is_recorded_as_the_system_user():
    outcome = esp_import("salesforce", "accounts", SALESFORCE / "Account.csv")
    assert outcome.exit_code == 0, outcome.stdout
    account = Account.objects.get(external_id="0015g0000000000001")
    assert account.history.earliest().history_user.username == SYSTEM_USERNAME


def test_an_import_with_user_is_recorded_as_that_user_and_checks_their_permission(cast):
    outcome = esp_import("salesforce", "accounts", SALESFORCE / "Account.csv", "--user", "olivia.owner")
    assert outcome.exit_code == 0, outcome.stdout
    account = Account.objects.get(external_id="0015g0000000000001")
    assert account.history.earliest().history_user == cast.owner
    refused = esp_import("salesforce", "accounts", SALESFORCE / "Account.csv", "--user", "alex.ae")
    assert refused.exit_code == 2 and "program owner" in refused.stderr


def test_an_unknown_user_is_refused_with_exit_2():
    outcome = esp_import("salesforce", "accounts", SALESFORCE / "Account.csv", "--user", "nobody")
    assert outcome.exit_code == 2
    assert not Account.objects.exists()


def test_an_export_with_user_holds_only_what_they_may_see(cast, tmp_path):
    everything = tmp_path / "all.csv"
    theirs = tmp_path / "ae.csv"
    assert esp("export", "accounts", everything).exit_code == 0
    assert esp("export", "accounts", theirs, "--user", "alex.ae").exit_code == 0

    def names(path):
        return {row["name"] for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))}

    assert names(everything) == set(Account.objects.values_list("name", flat=True))
    assert names(theirs) == {"Cobalt Health Systems"}


def test_the_system_user_cannot_sign_in_is_listed_nowhere_and_is_not_an_admin_to_keep(cast):
    robot = system_user()
    assert system_user() == robot  # one, made once
    assert not User.objects.filter(pk=robot.pk).exists()  # not among our people
    assert not robot.has_usable_password()
    robot.set_password("even-with-a-password-2026")  # were one ever set, the sign-in would not find it
    robot.save()
    assert ModelBackend().authenticate(None, username=SYSTEM_USERNAME, password="even-with-a-password-2026") is None
    with pytest.raises(NotPermitted):
        api_token_create(user=robot, name="sneaky", by=robot)
    people = client_for(cast.admin).get("/people/").content.decode()
    assert SYSTEM_USERNAME not in people and "(system)" not in people
    # The only admin among our people stays the last admin, whatever the system user's role.
    assert robot.role == Role.ADMIN
    with pytest.raises(NotPermitted):
        user_deactivate(user=cast.admin, by=cast.admin)


def test_a_session_of_the_system_user_is_not_accepted():
    robot = system_user()
    client = Client()
    client.force_login(robot)
    assert client.get("/accounts/").status_code == 302  # back to the sign-in page: nobody is signed in
