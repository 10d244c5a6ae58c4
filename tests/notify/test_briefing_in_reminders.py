"""The meeting reminder carries the account's briefing pack: a PDF attached to the email (received by a real
SMTP server), a link in a chat message; drawn as the recipient may see it when it is sent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from execsponsor.customers.services_outcomes import outcome_create
from execsponsor.notify import composing, delivery, services
from execsponsor.program.models import SponsorshipStatus
from execsponsor.users.models import Role
from tests.factories import (
    AccountFactory,
    ContactFactory,
    EngagementFactory,
    ExecutiveFactory,
    SponsorshipFactory,
    UserFactory,
)
from tests.pdf_support import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://esp.example.com"
    settings.ESP_WEBHOOK_ALLOW_HTTP = True
    settings.ESP_WEBHOOK_ALLOW_PRIVATE = True


@pytest.fixture
def meeting(db):
    executive = ExecutiveFactory(user__username="sam.sponsor", user__email="sam@ourco.example", user__time_zone="UTC")
    account = AccountFactory(name="Sakura Denki K.K.", industry="Manufacturing")
    sponsorship = SponsorshipFactory(account=account, executive=executive)
    ContactFactory(account=account, first_name="", last_name="山田 太郎", seniority="c_level")
    owner = UserFactory(username="olivia.owner", role=Role.PROGRAM_OWNER)
    services.preferences_save(user=owner, by=owner, digest="off")
    outcome_create(by=owner, account=account, fields={"title": "Halve scrap on line 3"})
    # Another account of the same industry with a success story: it is not Sam's, so it must not be named.
    other = AccountFactory(name="Nordlicht Maschinenbau", industry="Manufacturing")
    outcome_create(
        by=owner,
        account=other,
        fields={"title": "Nordlicht cut changeovers", "status": "delivered", "evidence": "x", "is_success_story": True},
    )
    return EngagementFactory(
        account=account, sponsorship=sponsorship, subject="EBR", occurred_at=timezone.now() + dt.timedelta(hours=6)
    )


def test_the_reminder_email_has_the_briefing_pack_attached_as_a_pdf_naming_the_account(mailbox, meeting):
    composing.meeting_reminders_queue()
    assert delivery.notifications_deliver()["sent"] == 1

    [message] = mailbox.wait_for(1)
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename().startswith("briefing-sakura-denki-kk-")
    pdf = attachment.get_content()
    assert pdf.startswith(b"%PDF")
    assert pdf_pages(pdf) == 1
    text = pdf_text(pdf)
    assert "Sakura Denki K.K." in text and "山田 太郎" in text and "Halve scrap on line 3" in text
    assert "Nordlicht" not in text and "A Manufacturing customer in the Enterprise segment" in text
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert f"https://esp.example.com/accounts/{meeting.account_id}/briefing/" in body


def test_a_sponsor_who_no_longer_sponsors_gets_no_pack_of_that_account(mailbox, meeting):
    composing.meeting_reminders_queue()
    meeting.sponsorship.status = SponsorshipStatus.ENDED
    meeting.sponsorship.save()
    assert delivery.notifications_deliver()["sent"] == 1
    [message] = mailbox.wait_for(1)
    assert list(message.iter_attachments()) == []


def test_a_chat_reminder_links_to_the_pack(chat_server, meeting):
    admin = UserFactory(username="ada.admin", role=Role.ADMIN)
    services.preferences_save(user=admin, by=admin, digest="off")
    webhook = services.chat_webhook_save(by=admin, name="#sponsors", url=f"http://127.0.0.1:{chat_server.port}/h")
    sam = meeting.sponsorship.executive.user
    services.preferences_save(user=sam, by=sam, meeting_reminder="chat", chat_webhook=webhook)

    composing.meeting_reminders_queue()
    assert delivery.notifications_deliver()["sent"] == 1

    [got] = chat_server.received
    text = got.payload["text"]
    assert f"https://esp.example.com/accounts/{meeting.account_id}/briefing/" in text
    assert f"https://esp.example.com/accounts/{meeting.account_id}/briefing.pdf" in text
