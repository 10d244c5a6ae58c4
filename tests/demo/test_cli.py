"""`esp demo` through the command line: generates, prints who can sign in, and --keep reuses the company."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from execsponsor.cli import app
from execsponsor.customers.models import Account
from execsponsor.demo.plan import DEMO_PASSWORD
from execsponsor.users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def secret_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "test-only-secret")  # so `esp init` does not write a .env file


def test_it_generates_the_company_and_prints_a_user_for_every_role():
    result = CliRunner().invoke(app, ["demo", "--accounts", "60", "--seed", "5", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert Account.objects.filter(source="demo").count() == 60
    for label in ("Admin", "Program owner", "Executive sponsor", "Account executive", "Customer success", "Viewer"):
        assert label in result.output
    assert DEMO_PASSWORD in result.output
    admin = User.objects.get(role="admin", source="demo")
    assert admin.username in result.output and admin.check_password(DEMO_PASSWORD)
    assert "Engagements and participants" in result.output


def test_keep_reuses_the_existing_demo_company():
    runner = CliRunner()
    runner.invoke(app, ["demo", "--accounts", "60", "--seed", "5", "--no-serve"])
    first_ids = set(Account.objects.values_list("id", "name"))
    result = runner.invoke(app, ["demo", "--accounts", "60", "--seed", "6", "--no-serve", "--keep"])
    assert result.exit_code == 0, result.output
    assert "Keeping the existing demo company" in result.output
    assert set(Account.objects.values_list("id", "name")) == first_ids


def test_it_refuses_a_company_too_small_to_hold_the_planted_effects():
    result = CliRunner().invoke(app, ["demo", "--accounts", "10", "--no-serve"])
    assert result.exit_code == 2
    assert "greater than or equal to 40" in result.output


def test_serve_refuses_to_start_on_an_old_schema(monkeypatch):
    from typer.testing import CliRunner

    from execsponsor.cli import app, commands_setup

    monkeypatch.setattr(commands_setup, "pending_migrations", lambda: ["customers.0005_account_culture_notes"])
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2
    assert "run `esp init` first" in result.stderr


@pytest.mark.django_db
def test_a_migrated_database_has_no_pending_migrations():
    from execsponsor.cli.commands_setup import pending_migrations

    assert pending_migrations() == []
