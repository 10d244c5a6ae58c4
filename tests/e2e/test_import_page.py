"""A program owner imports Salesforce accounts through the page: upload, preview, commit."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from execsponsor.customers.models import Account
from execsponsor.exchange.models import ImportBatch
from tests.exchange.importing_support import SALESFORCE

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_program_owner_uploads_previews_and_commits_accounts(cast, sign_in, live_server):
    page = sign_in("olivia.owner")
    page.goto(f"{live_server.url}/accounts/import/")
    page.select_option("#id_source", "salesforce")
    page.select_option("#id_kind", "accounts")
    page.set_input_files("#id_file", str(SALESFORCE / "Account.csv"))
    page.get_by_role("button", name="Upload and preview").click()

    page.wait_for_url(re.compile(r".*/accounts/import/\d+/$"))
    expect(page.locator("[data-count=rows]")).to_have_text("20")
    expect(page.locator("[data-count=created]")).to_have_text("20")
    expect(page.locator("#import-first-rows")).to_contain_text("Halvorsen Shipping")
    assert not Account.objects.filter(source="salesforce").exists()

    page.get_by_role("button", name="Commit").click()

    expect(page.locator("#import-result")).to_contain_text("Imported 20 new")
    expect(page.locator("#import-status")).to_have_text("Committed")
    assert Account.objects.filter(source="salesforce").count() == 20


def test_a_running_job_shows_its_progress_and_the_preview_once_it_is_done(cast, sign_in, live_server):
    batch = ImportBatch.objects.create(
        source="salesforce",
        kind="accounts",
        file_name="Account.csv",
        status="previewing",
        step="checking",
        rows_done=10,
        rows_total=40,
        created_by=cast.owner,
    )
    page = sign_in("olivia.owner")
    page.goto(f"{live_server.url}/accounts/import/{batch.pk}/")
    expect(page.locator("#import-progress")).to_contain_text("line 10 of 40")

    ImportBatch.objects.filter(pk=batch.pk).update(rows_done=30)
    expect(page.locator("#import-progress")).to_contain_text("line 30 of 40")
    report = {"rows": 39, "would_create": 39, "would_update": 0, "unchanged": 0, "skipped": 0, "written": False}
    ImportBatch.objects.filter(pk=batch.pk).update(status="previewed", report={**report, "dry_run": True})

    expect(page.locator("[data-count=created]")).to_have_text("39")
    expect(page.locator("#import-status")).to_have_text("Previewed")
