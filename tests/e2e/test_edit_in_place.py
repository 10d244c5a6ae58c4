"""An AE edits an account's figures and a contact in place in the browser, and meets a stale edit."""

from decimal import Decimal

import pytest

from execsponsor.customers.models import Account, Contact
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_ae_edits_the_arr_in_place_and_sees_the_history(cast, sign_in, live_server):
    page = sign_in("alex.ae", then=f"/accounts/{cast.owned_account.pk}/")
    page.click("#account-figures >> text=Edit")
    page.fill("#account-figures input[name=arr]", "1250000")
    page.click("#account-figures >> text=Save")
    page.wait_for_selector("#account-figures >> text=$1,250,000")
    assert "$1.25M" in page.locator("#account-header-figures").inner_text()
    newest = page.locator("#account-history .history-entry").first.inner_text()
    assert str(cast.ae) in newest
    assert "ARR: 480,000 → 1,250,000" in newest
    assert Account.objects.get(pk=cast.owned_account.pk).arr == Decimal("1250000")


def test_a_wrong_value_and_a_stale_edit_are_explained_in_the_form(cast, sign_in, live_server):
    page = sign_in("alex.ae", then=f"/accounts/{cast.owned_account.pk}/")
    page.wait_for_load_state("networkidle")  # the page's scripts (htmx and its 422/409 handling) are in
    page.click("#account-figures >> text=Edit")
    page.wait_for_selector("#account-figures input[name=strategic_value]")
    page.fill("#account-figures input[name=strategic_value]", "140")
    page.click("#account-figures >> text=Save")
    page.wait_for_selector("#account-figures .invalid-feedback")
    assert "less than or equal to 100" in page.locator("#account-figures").inner_text()

    # Someone else changes the account while the form is open.
    Account.objects.filter(pk=cast.owned_account.pk).update(arr=Decimal("700000"))
    Account.objects.get(pk=cast.owned_account.pk).save()
    page.fill("#account-figures input[name=strategic_value]", "90")
    page.click("#account-figures >> text=Save")
    page.wait_for_selector("#account-figures .edit-conflict")
    assert "Someone else changed this account" in page.locator("#account-figures").inner_text()
    assert Account.objects.get(pk=cast.owned_account.pk).strategic_value == 70


def test_the_ae_edits_a_contact_in_place(cast, sign_in, live_server):
    contact = ContactFactory(account=cast.owned_account, first_name="Lin", last_name="Chen")
    page = sign_in("alex.ae", then=f"/accounts/{cast.owned_account.pk}/")
    page.click(f"#contact-{contact.pk} .edit-button:visible")
    page.select_option(f"#contact-{contact.pk} select[name=buying_role]", "champion")
    page.click(f"#contact-{contact.pk} >> text=Save")
    page.wait_for_selector(f"#contact-{contact.pk} >> text=Champion")
    assert Contact.objects.get(pk=contact.pk).buying_role == "champion"
