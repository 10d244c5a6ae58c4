"""The import page: upload → preview (a dry run) → commit or discard; only for who runs the program."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from execsponsor.customers.models import Account
from execsponsor.exchange.models import ImportBatch, ImportMapping
from tests.conftest import client_for
from tests.exchange.importing_support import SALESFORCE

pytestmark = pytest.mark.django_db


def _upload(client, name: str, content: bytes, **fields):
    data = {"source": "salesforce", "kind": "accounts", **fields, "file": SimpleUploadedFile(name, content)}
    return client.post("/accounts/import/", data)


def test_the_upload_page_is_for_program_owners_and_admins(cast):
    assert client_for(cast.owner).get("/accounts/import/").status_code == 200
    assert client_for(cast.admin).get("/accounts/import/").status_code == 200
    for name in ("viewer", "ae", "csm", "sponsor"):
        assert client_for(cast.user(name)).get("/accounts/import/").status_code == 403, name


def test_an_upload_shows_a_preview_and_writes_nothing(cast):
    client = client_for(cast.owner)

    response = _upload(client, "Account.csv", (SALESFORCE / "Account.csv").read_bytes())

    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/accounts/import/{batch.pk}/"
    assert batch.status == "previewed"
    assert (batch.report["would_create"], batch.report["created"], batch.report["written"]) == (20, 0, False)
    page = client.get(response["Location"])
    assert b'data-count="created">20<' in page.content
    assert b"Halvorsen Shipping" in page.content
    assert Account.objects.filter(source="salesforce").count() == 0


def test_commit_writes_the_previewed_file(cast):
    client = client_for(cast.owner)
    _upload(client, "Account.csv", (SALESFORCE / "Account.csv").read_bytes())
    batch = ImportBatch.objects.get()

    response = client.post(f"/accounts/import/{batch.pk}/commit/", {"action": "commit"})

    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "committed" and batch.report["created"] == 20
    assert Account.objects.filter(source="salesforce").count() == 20
    assert b"Imported 20 new" in client.get(response["Location"]).content


def test_bad_rows_are_listed_and_commit_writes_nothing_unless_skipped(cast):
    client = client_for(cast.owner)
    _upload(client, "Account.csv", b"Id,Name,NumberOfEmployees\n001A,Acme,10\n001B,Beta,lots\n")
    batch = ImportBatch.objects.get()
    page = client.get(f"/accounts/import/{batch.pk}/")
    assert b"&#x27;lots&#x27; is not a number" in page.content

    client.post(f"/accounts/import/{batch.pk}/commit/", {"action": "commit"})
    assert not Account.objects.filter(external_id="001A").exists()

    client.post(f"/accounts/import/{batch.pk}/commit/", {"action": "commit", "skip_bad_rows": "on"})
    assert list(Account.objects.filter(source="salesforce").values_list("external_id", flat=True)) == ["001A"]


def test_discard_drops_the_upload(cast):
    client = client_for(cast.owner)
    _upload(client, "Account.csv", b"Id,Name\n001A,Acme\n")
    batch = ImportBatch.objects.get()

    client.post(f"/accounts/import/{batch.pk}/commit/", {"action": "discard"})

    batch.refresh_from_db()
    assert batch.status == "discarded" and batch.upload_path == ""
    assert not Account.objects.filter(external_id="001A").exists()


def test_a_file_missing_a_required_column_says_so_on_the_preview(cast):
    client = client_for(cast.owner)
    response = _upload(client, "Account.csv", b"Id,AccountName\n001A,Acme\n")

    page = client.get(response["Location"])

    assert b"required column Name is missing" in page.content
    assert ImportBatch.objects.get().status == "failed"


def test_a_csv_upload_uses_a_saved_mapping(cast):
    client = client_for(cast.owner)
    client.post(
        "/accounts/import/",
        {
            "save_mapping": "1",
            "name": "Finance list",
            "kind": "accounts",
            "columns": '{"external_id": "Ref", "name": "Company"}',
            "date_format": "",
        },
    )
    mapping = ImportMapping.objects.get(name="Finance list")

    response = _upload(client, "finance.csv", b"Ref;Company\nF-1;Acme\n", source="csv", mapping=mapping.pk)
    client.post(f"{response['Location']}commit/", {"action": "commit"})

    assert Account.objects.get(source="csv", external_id="F-1").name == "Acme"


def test_a_csv_upload_without_a_mapping_is_refused(cast):
    response = _upload(client_for(cast.owner), "x.csv", b"Ref\n1\n", source="csv")

    assert response.status_code == 422
    assert b"needs a saved mapping" in response.content


def test_others_cannot_commit_a_batch(cast):
    _upload(client_for(cast.owner), "Account.csv", b"Id,Name\n001A,Acme\n")
    batch = ImportBatch.objects.get()

    response = client_for(cast.ae).post(f"/accounts/import/{batch.pk}/commit/", {"action": "commit"})

    assert response.status_code == 403
    assert not Account.objects.filter(external_id="001A").exists()
