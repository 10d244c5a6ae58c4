"""A program owner runs the matcher in the browser, forbids a pair, compares, confirms and approves."""

import pytest

from execsponsor.program.models import Sponsorship

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_owner_runs_forbids_and_approves_in_the_workbench(company, sign_in, live_server):
    page = sign_in("olivia.owner")
    page.click("nav >> text=Program")
    page.click("text=Open matching")
    page.wait_for_load_state("networkidle")  # htmx is deferred: typing before it runs sends no search
    page.fill("#account-search", "Corner")
    page.wait_for_function("document.querySelectorAll('#account-options option').length > 0")
    page.fill("#account-search", "Corner Shop")
    page.click("button[data-name-from=account-search]")
    assert page.input_value("#id_extra_accounts") == "Corner Shop"
    page.fill("#id_label", "first proposal")
    page.click("text=Run the matcher")
    page.wait_for_url("**/program/matching/runs/*/")
    row = page.locator("#run-pairs li", has_text="Blue Harbor Bank")
    assert "Dana Whitfield" in row.inner_text()
    assert "CFO to CFO" in row.inner_text()
    assert "no eligible executive speaks German" in page.content()

    row.locator("button", has_text="Forbid").click()
    page.wait_for_load_state("networkidle")
    assert "forbid Dana Whitfield for Blue Harbor Bank" in page.content()
    assert "Dana Whitfield" not in page.locator("#run-pairs li", has_text="Blue Harbor Bank").inner_text()
    assert Sponsorship.objects.count() == 0

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the run page fits a phone
    page.set_viewport_size({"width": 1280, "height": 800})

    page.click("text=Matching workbench")
    page.locator("input[name=a]").nth(1).check()
    page.locator("input[name=b]").nth(0).check()
    page.click("text=Compare the two ticked")
    assert "Blue Harbor Bank" in page.locator("table").inner_text()

    page.go_back()
    page.locator("a", has_text="#").first.click()
    page.click("text=Review and approve")
    assert "added" in page.locator("#approve-counts").inner_text()
    assert Sponsorship.objects.count() == 0  # the confirmation step writes nothing
    page.click("button:has-text('Approve: apply these changes')")
    page.wait_for_load_state("networkidle")
    assert "Approved:" in page.content()
    assert Sponsorship.objects.filter(status="approved").exists()
