"""A command run `--user` someone without the right is refused with the rule's message on stderr and exit 2
(the CLI contract's "nothing was read"), never a traceback; with --json nothing reaches stdout."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from execsponsor.cli import app
from execsponsor.customers.models import Account

pytestmark = pytest.mark.django_db

ACCOUNTS = Path(__file__).resolve().parents[1] / "fixtures" / "salesforce" / "Account.csv"


def _esp(*args: str):
    return CliRunner().invoke(app, list(args))


def test_a_viewer_named_with_user_is_refused_an_import_and_nothing_is_written(cast):
    result = _esp("import", "salesforce", "accounts", str(ACCOUNTS), "--json", "--user", cast.viewer.username)
    assert result.exit_code == 2
    assert "Refused" in result.stderr and "program owner" in result.stderr
    assert result.stdout == ""
    assert not Account.objects.filter(source="salesforce").exists()


def test_an_account_executive_is_refused_matching(cast):
    result = _esp("match", "--dry-run", "--json", "--user", cast.ae.username)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "program owner" in result.stderr


def test_an_account_executive_is_refused_the_impact_analysis_and_a_viewer_may_not_keep_one(cast):
    seen = _esp("report", "impact", "--json", "--user", cast.ae.username)
    assert seen.exit_code == 2 and seen.stdout == "" and "see the program's impact analysis" in seen.stderr
    kept = _esp("report", "impact", "--save", "--user", cast.viewer.username)
    assert kept.exit_code == 2 and "keep the program's impact analysis" in kept.stderr
