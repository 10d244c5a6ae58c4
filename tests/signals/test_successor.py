"""A departure's reply names a successor: from the alert, record them as who replaced the one who left."""

import datetime as dt
from pathlib import Path

import pytest

from execsponsor.customers.models import BuyingRole, Contact
from execsponsor.signals.models import Alert
from execsponsor.signals.services import signals_ingest
from execsponsor.users.models import Role
from tests.conftest import client_for
from tests.factories import AccountFactory, ContactFactory, UserFactory

MAIL = Path(__file__).resolve().parents[1] / "fixtures" / "mail" / "left-en.eml"


@pytest.fixture
def departure(db):
    owner = UserFactory(username="olivia.owner", role=Role.PROGRAM_OWNER)
    ae = UserFactory(username="alex.ae", role=Role.ACCOUNT_EXECUTIVE)
    account = AccountFactory(name="Harbourline Ports", domain="harbourline.example", owner=ae)
    michael = ContactFactory(
        account=account,
        first_name="Michael",
        last_name="Osei",
        email="michael.osei@harbourline.example",
        buying_role=BuyingRole.CHAMPION,
    )
    signals_ingest(by=owner, name=MAIL.name, raw=MAIL.read_bytes(), today=dt.date(2026, 11, 30))
    return ae, michael, Alert.objects.get()


def test_the_alert_offers_the_successor_the_reply_named(departure):
    ae, _, _ = departure
    page = client_for(ae).get("/signals/").content.decode()
    assert "rachel.ng@harbourline.example" in page and "Record as successor" in page


def test_recording_the_successor_adds_them_as_a_contact_and_links_them(departure):
    ae, michael, alert = departure
    answer = client_for(ae).post(f"/signals/alerts/{alert.pk}/successor/")
    assert answer.status_code == 302
    rachel = Contact.objects.get(email="rachel.ng@harbourline.example")
    assert rachel.account == michael.account and rachel.last_name == "Ng"
    michael.refresh_from_db()
    assert michael.replaced_by == rachel
    assert michael.history.first().history_user == ae
    assert "Replaced by Rachel Ng" in client_for(ae).get("/signals/").content.decode()


def test_an_existing_contact_with_that_address_is_linked_not_duplicated(departure):
    ae, michael, alert = departure
    rachel = ContactFactory(
        account=michael.account, first_name="Rachel", last_name="Ng", email="Rachel.Ng@harbourline.example"
    )
    client_for(ae).post(f"/signals/alerts/{alert.pk}/successor/")
    assert Contact.objects.filter(email__iexact="rachel.ng@harbourline.example").count() == 1
    michael.refresh_from_db()
    assert michael.replaced_by == rachel


def test_a_viewer_is_not_offered_the_button_and_may_not_post_it(departure):
    _, michael, alert = departure
    viewer = UserFactory(username="victor.viewer", role=Role.VIEWER)
    client = client_for(viewer)
    assert "Record as successor" not in client.get("/signals/").content.decode()
    assert client.post(f"/signals/alerts/{alert.pk}/successor/").status_code == 403
    michael.refresh_from_db()
    assert michael.replaced_by is None


def test_someone_who_does_not_see_the_account_gets_404(departure):
    _, _, alert = departure
    outsider = UserFactory(username="oscar.outsider", role=Role.ACCOUNT_EXECUTIVE)
    assert client_for(outsider).post(f"/signals/alerts/{alert.pk}/successor/").status_code == 404
