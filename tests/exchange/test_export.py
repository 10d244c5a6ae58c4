"""CSV export: every object kind, only what the user may see, spreadsheet formulas neutralised."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from execsponsor.exchange.exporting import safe_cell
from tests.conftest import client_for
from tests.exchange.importing_support import esp
from tests.factories import AccountFactory, ContactFactory, EngagementFactory, OpportunityFactory

pytestmark = pytest.mark.django_db


def _rows(content: bytes | str) -> list[dict]:
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    return list(csv.DictReader(io.StringIO(text)))


def test_text_that_a_spreadsheet_would_run_gets_a_leading_apostrophe():
    assert safe_cell('=HYPERLINK("http://evil")') == '\'=HYPERLINK("http://evil")'
    assert safe_cell("+1 555 0100") == "'+1 555 0100"
    assert safe_cell("-2+3") == "'-2+3"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("\tcmd") == "'\tcmd"
    assert safe_cell("Acme") == "Acme"


def test_numbers_we_write_stay_numbers_even_when_negative():
    assert safe_cell(Decimal("-1250.50")) == Decimal("-1250.50")
    assert safe_cell(-3) == -3


def test_the_cli_exports_every_account_with_injection_neutralised(tmp_path, cast):
    AccountFactory(name="=cmd|' /C calc'!A0", arr=Decimal("1000.00"))
    path = tmp_path / "accounts.csv"

    outcome = esp("export", "accounts", path)

    assert outcome.exit_code == 0
    rows = _rows(path.read_text(encoding="utf-8"))
    assert len(rows) == 5
    evil = next(row for row in rows if "calc" in row["name"])
    assert evil["name"] == "'=cmd|' /C calc'!A0"
    assert evil["arr"] == "1000.00"


@pytest.mark.parametrize(
    "kind", ["accounts", "contacts", "opportunities", "revenue", "engagements", "sponsorships", "executives", "users"]
)
def test_every_kind_exports(tmp_path, cast, kind):
    ContactFactory(account=cast.owned_account)
    OpportunityFactory(account=cast.owned_account)
    EngagementFactory(account=cast.owned_account)

    outcome = esp("export", kind, tmp_path / f"{kind}.csv")

    assert outcome.exit_code == 0
    assert (tmp_path / f"{kind}.csv").read_text(encoding="utf-8").startswith(("id,", "account_id,"))


def test_an_unknown_kind_is_a_usage_error(tmp_path):
    assert esp("export", "secrets", tmp_path / "x.csv").exit_code == 2


def test_the_page_export_holds_only_the_accounts_the_user_sees(cast):
    response = client_for(cast.ae).get("/accounts/export/accounts.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    names = [row["name"] for row in _rows(b"".join(response.streaming_content))]
    assert names == [cast.owned_account.name]


def test_the_page_export_of_children_follows_visibility(cast):
    ContactFactory(account=cast.owned_account, last_name="Visible")
    ContactFactory(account=cast.other_account, last_name="Hidden")

    response = client_for(cast.ae).get("/accounts/export/contacts.csv")

    assert [row["last_name"] for row in _rows(b"".join(response.streaming_content))] == ["Visible"]


def test_the_user_list_export_is_for_admins_only(cast):
    assert client_for(cast.ae).get("/accounts/export/users.csv").status_code == 403
    assert client_for(cast.admin).get("/accounts/export/users.csv").status_code == 200


def test_an_unknown_export_is_not_found(cast):
    assert client_for(cast.owner).get("/accounts/export/secrets.csv").status_code == 404


def test_a_formula_after_a_separator_or_blanks_is_neutralised_too():
    assert safe_cell(";=1+1") == ";'=1+1"
    assert safe_cell("  =1+1") == "'  =1+1"
    assert safe_cell("Acme;=HYPERLINK(1)") == "Acme;'=HYPERLINK(1)"
    assert safe_cell("a\t+1") == "a\t'+1"
    assert safe_cell("Smith - Jones; Partners") == "Smith - Jones; Partners"
