"""The newcomer's journey on an empty database, in the browser only (no Django admin, no CLI): the first admin,
an invited program owner, the Salesforce exports imported, ARR set from won opportunities, three executives,
the selection ranked and saved, a matching run, approved. Invitation email through a real SMTP server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from execsponsor.customers.models import Account, Contact, Opportunity
from execsponsor.program.models import Sponsorship
from execsponsor.users.models import Executive, Role, User
from tests.e2e.steps import set_up_the_first_admin
from tests.mail import mailbox  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
OWNER_PASSWORD = "program-owner-passphrase-2026"


def _invite_and_become_the_program_owner(page, base: str, mailbox) -> None:  # noqa: F811
    page.goto(f"{base}/people/invite/")
    page.fill("#id_email", "pat@ourco.example")
    page.fill("#id_first_name", "Pat")
    page.fill("#id_last_name", "Owner")
    page.select_option("#id_role", Role.PROGRAM_OWNER)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/people/")
    invitation = mailbox.wait_for(1)[0]
    link = next(word for word in invitation.get_body().get_content().split() if word.startswith(base))
    page.click("nav button[type=submit]")  # sign out
    page.goto(link)
    page.fill("#id_new_password1", OWNER_PASSWORD)
    page.fill("#id_new_password2", OWNER_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/login/")
    page.fill("#id_username", "pat@ourco.example")
    page.fill("#id_password", OWNER_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def _import(page, base: str, *, kind: str, path: Path) -> str:
    page.goto(f"{base}/accounts/import/")
    page.select_option("#id_source", "salesforce")
    page.select_option("#id_kind", kind)
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url(re.compile(r".*/accounts/import/\d+/$"))
    page.wait_for_selector("button:has-text('Commit')")
    preview = page.inner_text("main")
    page.get_by_role("button", name="Commit").click()
    page.wait_for_selector("#import-status:has-text('Committed')")
    return preview


def _add_executive(page, base: str, *, name: str, function: str, level: str) -> None:
    page.goto(f"{base}/executives/")
    page.click("main >> text=Add an executive")
    page.wait_for_url(f"{base}/executives/new/")
    person = User.objects.get(first_name=name.split()[0], last_name=name.split()[1])
    page.select_option("#id_user", str(person.pk))
    page.select_option("#id_function", function)
    page.select_option("#id_level", level)
    page.fill("#id_capacity_min", "1")
    page.fill("#id_capacity_max", "3")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/executives/*/")
    assert f"{name} is an executive now" in page.inner_text("main")


def test_a_newcomer_goes_from_an_empty_install_to_an_approved_program(page, live_server, mailbox):  # noqa: F811
    base = live_server.url
    page.set_default_timeout(30_000)  # a long walk on a shared machine
    set_up_the_first_admin(page, base)
    _invite_and_become_the_program_owner(page, base, mailbox)
    assert "Getting started" in page.inner_text("main")

    _import(page, base, kind="users", path=FIXTURES / "newcomer" / "User.csv")
    accounts_preview = _import(page, base, kind="accounts", path=FIXTURES / "salesforce" / "Account.csv")
    assert "ARR missing on 20 of 20 accounts" in accounts_preview
    _import(page, base, kind="contacts", path=FIXTURES / "salesforce" / "Contact.csv")
    _import(page, base, kind="opportunities", path=FIXTURES / "salesforce" / "Opportunity.csv")
    assert (Account.objects.count(), Contact.objects.count(), Opportunity.objects.count()) == (20, 78, 21)

    # ARR: the accounts export has none, so set it from the won opportunities, previewed first.
    page.goto(f"{base}/accounts/import/")
    page.click("text=Set ARR from won opportunities")
    page.wait_for_selector("#arr-rollup-preview")
    assert Account.objects.filter(arr__isnull=False).count() == 0  # the preview writes nothing
    page.click("#arr-rollup-apply")
    page.wait_for_selector("#arr-rollup-result")
    with_arr = Account.objects.filter(arr__isnull=False).count()
    assert with_arr == 6  # the six accounts with an opportunity won in the last twelve months

    _add_executive(page, base, name="Kofi Mensah", function="cto", level="c_suite")
    _add_executive(page, base, name="Sigrid Dahl", function="cfo", level="c_suite")
    _add_executive(page, base, name="Yuki Tanaka", function="cco", level="svp")
    assert Executive.objects.filter(is_active=True).count() == 3

    page.click("nav >> text=Program")
    page.click("text=Open selection")
    page.click("button:has-text('Preview ranking')")
    page.wait_for_load_state("networkidle")
    page.click("button:has-text('Save')")
    page.wait_for_load_state("networkidle")

    page.goto(f"{base}/program/")
    page.click("text=Open matching")
    page.fill("#id_label", "first program")
    page.click("text=Run the matcher")
    page.wait_for_url("**/program/matching/runs/*/")
    page.click("text=Review and approve")
    counts = page.locator("#approve-counts").inner_text()
    added = int(re.search(r"(\d+) added", counts).group(1))
    assert added > 0
    assert not Sponsorship.objects.exists()  # the confirmation step writes nothing
    page.click("button:has-text('Approve: apply these changes')")
    page.wait_for_load_state("networkidle")
    assert "Approved:" in page.content()

    live = Sponsorship.objects.live()
    assert live.count() == added  # approval applied exactly what the confirmation showed
    for executive in Executive.objects.all():
        assert live.filter(executive=executive).count() <= executive.capacity_max
    assert Sponsorship.objects.filter(status="approved", approved_by__username="pat@ourco.example").count() == added
