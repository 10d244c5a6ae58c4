"""The signals page: the owner reads a file and sees the departure; others see only their accounts."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from execsponsor.signals.models import Alert
from tests.factories import ContactFactory

MAIL = Path(__file__).resolve().parents[1] / "fixtures" / "mail"


def upload(name, **extra):
    return {"file": SimpleUploadedFile(name, (MAIL / name).read_bytes()), **extra}


@pytest.fixture
def michael(cast):
    return ContactFactory(account=cast.owned_account, email="michael.osei@harbourline.example", first_name="Michael")


def test_the_owner_reads_a_reply_and_sees_the_alert(client, cast, michael):
    client.force_login(cast.owner)
    response = client.post("/signals/", upload("left-en.eml"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 alert raised" in page
    assert "has probably left" in page
    assert Alert.objects.filter(contact=michael).count() == 1


def test_a_dry_run_shows_what_the_file_says_and_records_nothing(client, cast, michael):
    client.force_login(cast.owner)
    page = client.post("/signals/", upload("mixed.mbox", dry_run="on")).content.decode()
    assert "Dry run: nothing recorded" in page
    assert "tomas.lindqvist@fjordbank.example" in page
    assert Alert.objects.count() == 0


def test_a_garbage_file_gets_a_clear_error(client, cast):
    client.force_login(cast.owner)
    response = client.post("/signals/", upload("garbage.eml"))
    assert response.status_code == 422
    assert "not an email message or an mbox" in response.content.decode()


def test_an_ae_sees_alerts_of_their_accounts_only_and_cannot_read_files(client, cast, michael):
    client.force_login(cast.owner)
    client.post("/signals/", upload("left-en.eml"))
    client.force_login(cast.ae)
    assert "has probably left" in client.get("/signals/").content.decode()
    assert "Read a file" not in client.get("/signals/").content.decode()
    assert client.post("/signals/", upload("left-en.eml")).status_code == 403
    client.force_login(cast.outsider_ae)
    assert "has probably left" not in client.get("/signals/").content.decode()


def test_the_empty_page_says_what_will_appear(client, cast):
    client.force_login(cast.viewer)
    page = client.get("/signals/").content.decode()
    assert "No open alerts" in page and "No departed champion" in page
