"""Signals in through the service: recorded once, one alert per departure, the champion followed."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from execsponsor.common.errors import InvalidInput, NotPermitted
from execsponsor.customers.models import BuyingRole, ContactStatus
from execsponsor.engagements.models import Engagement, EngagementContact
from execsponsor.signals.models import Alert, FollowedChampion, Signal
from execsponsor.signals.services import signals_ingest
from execsponsor.users.models import Role
from tests.factories import AccountFactory, ContactFactory, UserFactory

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TODAY = dt.date(2026, 11, 30)


def read(name):
    path = FIXTURES / name
    return {"name": path.name, "raw": path.read_bytes()}


@pytest.fixture
def owner(db):
    return UserFactory(username="olivia.owner", role=Role.PROGRAM_OWNER)


@pytest.fixture
def harbourline(db):
    ae = UserFactory(username="alex.ae", role=Role.ACCOUNT_EXECUTIVE)
    return AccountFactory(name="Harbourline Ports", domain="harbourline.example", owner=ae)


def contact(account, email, **fields):
    first, last = email.split("@")[0].split(".")
    return ContactFactory(account=account, email=email, first_name=first.title(), last_name=last.title(), **fields)


def test_a_left_the_company_reply_raises_one_alert_for_the_owner(owner, harbourline):
    michael = contact(harbourline, "michael.osei@harbourline.example", buying_role=BuyingRole.CHAMPION)
    report = signals_ingest(by=owner, today=TODAY, **read("mail/left-en.eml"))
    assert report.alerts_raised == 1
    alert = Alert.objects.get()
    assert (alert.contact, alert.owner, alert.priority) == (michael, harbourline.owner, "high")
    assert alert.due_on == TODAY + dt.timedelta(days=2)
    assert "95% sure" in alert.reason and "a reply saying they have left" in alert.reason
    assert list(alert.evidence.values_list("kind", flat=True)) == ["departure_notice"]
    michael.refresh_from_db()
    assert michael.status == ContactStatus.LEFT
    signal = Signal.objects.get()
    assert signal.detail["successor_email"] == "rachel.ng@harbourline.example"


def test_reading_the_same_file_twice_records_nothing_new(owner, harbourline):
    contact(harbourline, "michael.osei@harbourline.example")
    signals_ingest(by=owner, today=TODAY, **read("mail/left-en.eml"))
    again = signals_ingest(by=owner, today=TODAY, **read("mail/left-en.eml"))
    assert (again.recorded, again.already_known, again.alerts_raised) == (0, 1, 0)
    assert Alert.objects.count() == 1 and Signal.objects.count() == 1


def test_an_ordinary_absence_raises_nothing(owner, harbourline):
    grace = contact(harbourline, "grace.whitfield@harbourline.example")
    report = signals_ingest(by=owner, today=TODAY, **read("mail/ooo-en.eml"))
    assert report.alerts_raised == 0
    grace.refresh_from_db()
    assert grace.status == ContactStatus.ACTIVE


def test_a_hard_bounce_after_they_last_wrote_is_a_departure(owner):
    bank = AccountFactory(name="Fjordbank", domain="fjordbank.example")
    tomas = contact(bank, "tomas.lindqvist@fjordbank.example")
    _met(tomas, dt.datetime(2026, 10, 1, 10, tzinfo=dt.UTC))
    report = signals_ingest(by=owner, today=TODAY, **read("mail/postfix-user-unknown.eml"))
    assert [d["email"] for d in report.departures] == ["tomas.lindqvist@fjordbank.example"]


def test_a_hard_bounce_before_they_wrote_again_is_no_departure(owner):
    bank = AccountFactory(name="Fjordbank", domain="fjordbank.example")
    tomas = contact(bank, "tomas.lindqvist@fjordbank.example")
    _met(tomas, dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC))  # after the bounce of 16 November
    report = signals_ingest(by=owner, today=TODAY, **read("mail/postfix-user-unknown.eml"))
    assert report.departures == [] and report.alerts_raised == 0


def test_a_delayed_bounce_is_no_departure(owner):
    insurer = AccountFactory(name="Atlântico Seguros", domain="atlantico-seguros.example")
    contact(insurer, "ines.carvalho@atlantico-seguros.example")
    report = signals_ingest(by=owner, today=TODAY, **read("mail/postfix-delayed.eml"))
    assert report.recorded == 1 and report.alerts_raised == 0


def test_a_job_change_to_a_known_account_follows_the_champion_there(owner):
    rheinwerk = AccountFactory(name="Rheinwerk AG", domain="rheinwerk-ag.example")
    meridian = AccountFactory(name="Meridian Freight", domain="meridian-freight.example")
    stefan = contact(rheinwerk, "stefan.hoffmann@rheinwerk-ag.example")
    lena = contact(rheinwerk, "lena.wagner@rheinwerk-ag.example")
    report = signals_ingest(by=owner, today=TODAY, **read("enrichment/job-changes.csv"))
    followed = FollowedChampion.objects.get()
    assert (followed.contact, followed.matched_account, followed.new_title) == (
        stefan,
        meridian,
        "Chief Operating Officer",
    )
    lena.refresh_from_db()
    assert lena.status == ContactStatus.CHANGED_ROLE  # a new role inside Rheinwerk is not a departure
    assert lena.title == "Chief Digital Officer"
    assert [(e["line"], e["column"]) for e in report.errors] == [(4, "email"), (5, "changed_at")]


def test_a_json_feed_matches_emails_whatever_their_case_and_the_new_company_by_name(owner):
    sakura = AccountFactory(name="Sakura Denki K.K.", domain="sakura-denki.example")
    granite = AccountFactory(name="Granite Insurance", domain="granite.example")
    taro = contact(sakura, "taro.yamada@sakura-denki.example")
    signals_ingest(by=owner, today=TODAY, **read("enrichment/job-changes.json"))
    followed = FollowedChampion.objects.get(contact=taro)
    assert followed.matched_account == granite


def test_a_dry_run_records_nothing(owner, harbourline):
    contact(harbourline, "michael.osei@harbourline.example")
    report = signals_ingest(by=owner, today=TODAY, dry_run=True, **read("mail/mixed.mbox"))
    assert len(report.signals) == 5 and not report.written
    assert Signal.objects.count() == 0


def test_garbage_is_refused_with_a_reason(owner):
    with pytest.raises(InvalidInput, match="not an email message or an mbox"):
        signals_ingest(by=owner, today=TODAY, **read("mail/garbage.eml"))


def test_only_the_program_owner_or_an_admin_may_ingest(db):
    ae = UserFactory(username="alex.ae", role=Role.ACCOUNT_EXECUTIVE)
    with pytest.raises(NotPermitted):
        signals_ingest(by=ae, today=TODAY, **read("mail/left-en.eml"))


def _met(person, when):
    engagement = Engagement.objects.create(
        account=person.account, subject="Check-in", occurred_at=when, two_way=True, created_at=timezone.now()
    )
    EngagementContact.objects.create(engagement=engagement, contact=person)
