"""An imported opportunity keeps the stage it was first imported in (earlier access reads it, docs/measures.md)."""

from __future__ import annotations

import pytest

from execsponsor.customers.models import Opportunity
from tests.exchange.importing_support import SALESFORCE, esp_import, import_salesforce_basics

pytestmark = pytest.mark.django_db

WON = "0065g0000000000010"


def test_the_first_stage_is_kept_when_a_later_import_moves_the_stage(tmp_path):
    import_salesforce_basics()
    original = (SALESFORCE / "Opportunity.csv").read_text(encoding="utf-8")
    row = next(line for line in original.splitlines() if line.startswith(f'"{WON}"') or line.startswith(WON))
    earlier = tmp_path / "Opportunity.csv"
    earlier.write_text(original.replace(row, row.replace("Closed Won", "Prospecting")), encoding="utf-8")
    esp_import("salesforce", "opportunities", earlier)
    assert Opportunity.objects.get(external_id=WON).opened_stage == "Prospecting"

    esp_import("salesforce", "opportunities", SALESFORCE / "Opportunity.csv")

    won = Opportunity.objects.get(external_id=WON)
    assert (won.stage, won.opened_stage, won.is_won) == ("Closed Won", "Prospecting", True)
