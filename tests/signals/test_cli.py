"""`esp signals ingest` keeps the CLI contract: one JSON document, exit 0 / 1 / 2."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from execsponsor.cli import app
from execsponsor.users.models import Role
from tests.factories import AccountFactory, ContactFactory, UserFactory

MAIL = Path(__file__).resolve().parents[1] / "fixtures" / "mail"
ENRICHMENT = Path(__file__).resolve().parents[1] / "fixtures" / "enrichment"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def owner():
    return UserFactory(username="olivia.owner", role=Role.PROGRAM_OWNER)


def ingest(*args):
    result = CliRunner().invoke(app, ["signals", "ingest", *map(str, args), "--json"])
    return result, json.loads(result.stdout)


def test_it_prints_every_signal_with_its_kind_email_and_detail():
    account = AccountFactory(domain="harbourline.example")
    ContactFactory(account=account, email="michael.osei@harbourline.example")
    result, document = ingest(MAIL / "mixed.mbox")
    assert result.exit_code == 0
    assert [(s["kind"], s["email"]) for s in document["signals"]][:2] == [
        ("hard_bounce", "tomas.lindqvist@fjordbank.example"),
        ("soft_bounce", "ines.carvalho@atlantico-seguros.example"),
    ]
    assert document["alerts_raised"] == 1
    assert document["errors"] == []


def test_bad_rows_exit_1_with_their_lines():
    result, document = ingest(ENRICHMENT / "job-changes.csv", "--dry-run")
    assert result.exit_code == 1
    assert [e["line"] for e in document["errors"]] == [4, 5]


def test_an_unreadable_file_exits_2():
    result, document = ingest(MAIL / "garbage.eml")
    assert result.exit_code == 2
    assert "not an email message" in document["errors"][0]["message"]
