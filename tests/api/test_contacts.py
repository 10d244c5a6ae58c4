import pytest

from execsponsor.customers.models import Contact
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_a_csm_adds_a_contact_to_their_account(cast, api_as):
    response = api_as("csm").post(
        "/contacts",
        {
            "account_id": cast.csm_account.pk,
            "first_name": "Mariko",
            "last_name": "Tanaka",
            "title": "VP Operations",
            "email": "mariko.tanaka@delta.example",
            "seniority": "vp",
            "buying_role": "champion",
        },
    )
    assert response.status_code == 201, response.json()
    contact = Contact.objects.get(last_name="Tanaka")
    assert contact.account == cast.csm_account
    assert contact.history.latest().history_user == cast.csm


def test_it_rejects_a_malformed_email(cast, api_as):
    response = api_as("csm").post(
        "/contacts", {"account_id": cast.csm_account.pk, "last_name": "Tanaka", "email": "mariko at delta"}
    )
    assert response.status_code == 422
    assert "'mariko at delta' is not an email address" in response.json()["message"]


def test_a_manager_must_work_at_the_same_account(cast, api_as):
    boss_elsewhere = ContactFactory(account=cast.other_account)
    contact = ContactFactory(account=cast.csm_account)
    response = api_as("csm").patch(f"/contacts/{contact.pk}", {"reports_to_id": boss_elsewhere.pk})
    assert response.status_code == 422
    assert response.json()["message"] == (
        f"reports_to_id: contact {boss_elsewhere.pk} is not a contact of Delta Retail Group"
    )


def test_it_sets_a_manager_at_the_same_account(cast, api_as):
    boss = ContactFactory(account=cast.csm_account)
    contact = ContactFactory(account=cast.csm_account)
    response = api_as("csm").patch(f"/contacts/{contact.pk}", {"reports_to_id": boss.pk, "status": "changed_role"})
    assert response.status_code == 200
    assert response.json()["reports_to_id"] == boss.pk


def test_it_lists_contacts_of_one_account(cast, api_as):
    ContactFactory(account=cast.csm_account, last_name="Abara")
    ContactFactory(account=cast.owned_account, last_name="Brandt")
    body = api_as("owner").get("/contacts", account_id=cast.csm_account.pk).json()
    assert [c["last_name"] for c in body["items"]] == ["Abara"]
