"""The calendar import page (upload → preview → commit) and the page of meetings waiting for their rubric."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from execsponsor.common.constraints import Source
from execsponsor.customers.models import Contact
from execsponsor.engagements.models import Engagement
from execsponsor.users.models import Role
from tests.engagements.calendar_support import GOOGLE, OUTLOOK
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, path, *, name: str | None = None, content: bytes | None = None):
    data = content if content is not None else path.read_bytes()
    file = SimpleUploadedFile(name or path.name, data, content_type="text/calendar")
    return client.post("/engagements/calendar/", {"file": file, "since": "2026-01-01", "until": "2027-01-01"})


def calendar_engagements():
    return Engagement.objects.filter(source=Source.CALENDAR)


def test_owner_previews_then_commits_and_creates_the_checked_contacts(calendar_company):
    client = signed_in(calendar_company.owner)
    assert client.get("/engagements/calendar/").status_code == 200
    response = upload(client, GOOGLE)
    assert response.status_code == 302
    preview_url = response["Location"]
    preview = client.get(preview_url)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert re.search(r'data-count="created">5<', html)
    assert "internal only: every attendee is one of our people" in html
    assert 'value="nia.patel@northwind.example"' in html
    assert 'value="lena.moreau@eu.fabrikam.example"' in html
    assert calendar_engagements().count() == 0  # a preview writes nothing

    committed = client.post(preview_url + "commit/", {"create_contact": ["nia.patel@northwind.example"]})
    assert committed.status_code == 302
    assert calendar_engagements().count() == 5
    nia = Contact.objects.get(email="nia.patel@northwind.example")
    assert nia.account == calendar_company.northwind
    assert not Contact.objects.filter(email="lena.moreau@eu.fabrikam.example").exists()  # left unchecked
    strategy = calendar_engagements().get(external_id="g1-strategy-3f8a@google.com")
    assert set(strategy.contacts.all()) == {calendar_company.kofi, nia}
    assert strategy.history.first().history_user == calendar_company.owner
    page = client.get(committed["Location"]).content.decode()
    assert "Imported google.ics: 5 meetings created, 0 updated, 0 unchanged, 1 new contact." in page
    # The upload is gone: its preview is not found any more.
    assert client.get(preview_url).status_code == 404


def test_discard_writes_nothing(calendar_company):
    client = signed_in(calendar_company.owner)
    preview_url = upload(client, GOOGLE)["Location"]
    assert client.post(preview_url + "discard/").status_code == 302
    assert calendar_engagements().count() == 0
    assert client.get(preview_url).status_code == 404


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "This file is a PNG image, not a calendar"),
        ("BEGIN:VCALENDAR\r\nSUMMARY:Müller\r\nEND:VCALENDAR\r\n".encode("latin-1"), "The file is not UTF-8 text"),
    ],
)
def test_an_unreadable_upload_is_refused_on_the_form_with_the_reason(calendar_company, content, message):
    response = upload(signed_in(calendar_company.owner), GOOGLE, name="photo.ics", content=content)
    assert response.status_code == 422
    assert message in response.content.decode()


def test_an_upload_above_the_limit_is_refused(calendar_company, settings):
    settings.CALENDAR_IMPORT_MAX_BYTES = 1024
    response = upload(signed_in(calendar_company.owner), GOOGLE)
    assert response.status_code == 422
    # google.ics is 5,292 bytes.
    assert "The file is 5.2 KB; calendar imports take at most 1 KB." in response.content.decode()


def test_an_ae_imports_their_own_calendar_but_only_their_accounts(calendar_company):
    company = calendar_company
    client = signed_in(company.priya)  # AE: owns Northwind and Fabrikam, not Contoso
    preview_url = upload(client, OUTLOOK)["Location"]
    html = client.get(preview_url).content.decode()
    assert "Contoso Gruppe is not one of your accounts" in html
    client.post(preview_url + "commit/")
    assert calendar_engagements().count() == 0

    preview_url = upload(client, GOOGLE)["Location"]
    client.post(preview_url + "commit/")
    assert calendar_engagements().count() == 5


def test_a_viewer_may_not_import_a_calendar(calendar_company):
    viewer = UserFactory(username="victor.viewer", role=Role.VIEWER)
    client = signed_in(viewer)
    assert client.get("/engagements/calendar/").status_code == 403
    assert upload(client, GOOGLE).status_code == 403


def test_someone_elses_upload_token_is_not_found(calendar_company):
    preview_url = upload(signed_in(calendar_company.owner), GOOGLE)["Location"]
    assert signed_in(calendar_company.priya).get(preview_url).status_code == 404


def test_the_sponsor_fills_in_the_rubric_and_the_meeting_counts(calendar_company):
    company = calendar_company
    owner = signed_in(company.owner)
    owner.post(upload(owner, OUTLOOK)["Location"] + "commit/")
    ebr = calendar_engagements().get(subject="EBR – Contoso Gruppe")
    assert (ebr.counts, ebr.rubric_pending) == (False, True)

    sponsor = signed_in(company.sponsor)
    page = sponsor.get("/engagements/awaiting-rubric/").content.decode()
    assert f'id="rubric-{ebr.pk}"' in page
    prefix = f"e{ebr.pk}"
    response = sponsor.post(
        f"/engagements/awaiting-rubric/{ebr.pk}/",
        {f"{prefix}-discussed_strategy": "on", f"{prefix}-next_step_agreed": "on"},
    )
    assert response.status_code == 302
    ebr.refresh_from_db()
    assert (ebr.counts, ebr.rubric_pending, ebr.discussed_strategy, ebr.learned_something_new) == (
        True,
        False,
        True,
        False,
    )
    after = sponsor.get("/engagements/awaiting-rubric/").content.decode()
    assert "Saved the rubric of “EBR – Contoso Gruppe”: it counts." in after
    assert f'id="rubric-{ebr.pk}"' not in after

    steering = calendar_engagements().get(subject="Contoso steering (Pune office)")
    sponsor.post(f"/engagements/awaiting-rubric/{steering.pk}/", {f"e{steering.pk}-new_scope_raised": "on"})
    steering.refresh_from_db()
    assert (steering.counts, steering.rubric_pending) == (False, False)  # one item is not enough


def test_nobody_fills_in_the_rubric_of_an_account_they_cannot_see(calendar_company):
    owner = signed_in(calendar_company.owner)
    owner.post(upload(owner, OUTLOOK)["Location"] + "commit/")
    ebr = calendar_engagements().get(subject="EBR – Contoso Gruppe")
    response = signed_in(calendar_company.priya).post(f"/engagements/awaiting-rubric/{ebr.pk}/", {})
    assert response.status_code == 404
    ebr.refresh_from_db()
    assert ebr.rubric_pending is True


def test_a_sponsor_is_not_offered_to_create_contacts(calendar_company, tmp_path):
    text = OUTLOOK.read_text(encoding="utf-8").replace(
        "MAILTO:Hanna.Vogel@Contoso.example", "MAILTO:new.person@contoso.example"
    )
    client = signed_in(calendar_company.sponsor)  # sponsors Contoso: may log meetings, not edit its contacts
    preview_url = upload(client, OUTLOOK, content=text.encode("utf-8"))["Location"]
    html = client.get(preview_url).content.decode()
    assert "new.person@contoso.example" in html  # listed as unknown …
    assert 'name="create_contact"' not in html  # … but not offered
    client.post(preview_url + "commit/", {"create_contact": ["new.person@contoso.example"]})
    assert not Contact.objects.filter(email="new.person@contoso.example").exists()
    assert calendar_engagements().filter(account=calendar_company.contoso).count() == 3


def test_a_window_that_ends_before_it_starts_is_refused_on_the_form(calendar_company):
    client = signed_in(calendar_company.owner)
    file = SimpleUploadedFile("google.ics", GOOGLE.read_bytes(), content_type="text/calendar")
    response = client.post("/engagements/calendar/", {"file": file, "since": "2026-06-01", "until": "2026-01-01"})
    assert response.status_code == 422
    assert "Must be after the first day." in response.content.decode()
    only_since = SimpleUploadedFile("google.ics", GOOGLE.read_bytes(), content_type="text/calendar")
    response = client.post("/engagements/calendar/", {"file": only_since, "since": "2099-01-01"})
    assert response.status_code == 422
    assert "The window is empty" in response.content.decode()
