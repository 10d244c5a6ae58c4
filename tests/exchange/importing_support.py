"""Run `esp import` / `esp export` in-process against the test database, and write CSV files for tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from execsponsor.cli import app

# Sample exports written for these tests, in the formats Salesforce Data Loader and HubSpot produce (UTF-8, CRLF,
# a description that spans lines, accented and Japanese names); tests/fixtures/README.md lists what tests rely on.
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SALESFORCE = FIXTURES / "salesforce"
HUBSPOT = FIXTURES / "hubspot"


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def report(self) -> dict:
        return json.loads(self.stdout)

    def errors_on(self, line: int) -> list[dict]:
        return [error for error in self.report["errors"] if error["line"] == line]


def esp(*args: str | Path) -> Outcome:
    result = CliRunner().invoke(app, [str(arg) for arg in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Outcome(result.exit_code, result.stdout, result.stderr)


def esp_import(source: str, kind: str, path: Path, *options: str) -> Outcome:
    return esp("import", source, kind, path, "--json", *options)


def write_csv(tmp_path: Path, name: str, text: str, *, encoding: str = "utf-8", newline: str = "\n") -> Path:
    """Write `text` (lines separated by \\n) as a file with the given encoding and line ending."""
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def import_salesforce_basics() -> None:
    """Users, accounts and contacts from the Salesforce sample, as a customer would start."""
    for kind, name in (("users", "User.csv"), ("accounts", "Account.csv"), ("contacts", "Contact.csv")):
        outcome = esp_import("salesforce", kind, SALESFORCE / name)
        assert outcome.exit_code == 0, outcome.stdout
