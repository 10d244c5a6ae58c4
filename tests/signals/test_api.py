"""Unsubscribes and product-login drops through the token API: two weak signals make a probable departure."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from execsponsor.customers.models import ContactStatus
from execsponsor.signals.models import Alert, Signal
from execsponsor.users.models import ApiToken, Role
from tests.factories import AccountFactory, ContactFactory, UserFactory

EMAIL = "ines.duarte@lisboa-telecom.example"


@pytest.fixture
def ines(db):
    csm = UserFactory(username="casey.csm", role=Role.CSM)
    account = AccountFactory(name="Lisboa Telecom", domain="lisboa-telecom.example", csm=csm)
    return ContactFactory(account=account, first_name="Inês", last_name="Duarte", email=EMAIL)


def token_client(user) -> Client:
    _, raw = ApiToken.issue(user=user, name="marketing automation")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def integration(db):
    return token_client(UserFactory(username="olivia.owner", role=Role.PROGRAM_OWNER))


def send(client, *signals, query=""):
    body = json.dumps({"signals": list(signals)})
    return client.post(f"/api/v1/signals{query}", body, content_type="application/json")


def yesterday() -> str:
    return (timezone.now() - dt.timedelta(days=1)).isoformat()


def test_an_unsubscribe_alone_is_recorded_but_is_no_departure(integration, ines):
    answer = send(integration, {"kind": "unsubscribe", "email": EMAIL, "observed_at": yesterday()})
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["recorded"], answer.json()["alerts_raised"]) == (1, 0)
    signal = Signal.objects.get()
    assert (signal.kind, signal.source, signal.contact, signal.weight) == ("unsubscribe", "api", ines, 0.5)
    ines.refresh_from_db()
    assert ines.status == ContactStatus.ACTIVE


def test_an_unsubscribe_then_a_login_drop_make_a_probable_departure(integration, ines):
    send(integration, {"kind": "unsubscribe", "email": EMAIL, "observed_at": yesterday()})
    answer = send(
        integration, {"kind": "login_drop", "email": EMAIL.upper(), "logins_before": 42, "logins_after": 0}
    ).json()
    assert answer["alerts_raised"] == 1
    (departure,) = answer["departures"]
    assert departure["confidence"] == 0.75  # 1 − (1 − 0.5)(1 − 0.5)
    ines.refresh_from_db()
    assert ines.status == ContactStatus.LEFT
    alert = Alert.objects.get()
    assert alert.owner == ines.account.csm
    assert sorted(alert.evidence.values_list("kind", flat=True)) == ["login_drop", "unsubscribe"]
    assert "an unsubscribe" in alert.reason and "a drop in their product logins" in alert.reason
    assert "logins 42 → 0 a month" in alert.reason


def test_the_same_signal_sent_again_is_recorded_once(integration, ines):
    signal = {"kind": "unsubscribe", "email": EMAIL, "id": "mc-unsub-77"}
    send(integration, signal)
    again = send(integration, signal).json()
    assert (again["recorded"], again["already_known"]) == (0, 1)
    assert Signal.objects.count() == 1


def test_a_dry_run_says_what_it_would_record_and_writes_nothing(integration, ines):
    answer = send(integration, {"kind": "unsubscribe", "email": EMAIL}, query="?dry_run=true").json()
    assert answer["written"] is False and answer["signals"][0]["kind"] == "unsubscribe"
    assert not Signal.objects.exists()


def test_an_address_of_no_contact_is_listed_as_unmatched(integration, ines):
    answer = send(integration, {"kind": "unsubscribe", "email": "someone@else.example"}).json()
    assert answer["unmatched_emails"] == ["someone@else.example"]


@pytest.mark.parametrize(
    ("signal", "where"),
    [
        ({"kind": "promotion", "email": EMAIL}, "signals.0.kind"),
        ({"kind": "unsubscribe", "email": "not-an-address"}, "signals.0.email"),
        ({"kind": "login_drop", "email": EMAIL, "logins_after": -3}, "signals.0.logins_after"),
    ],
)
def test_a_bad_signal_is_422_naming_the_field(integration, ines, signal, where):
    answer = send(integration, signal)
    assert answer.status_code == 422
    assert where in answer.json()["message"]
    assert not Signal.objects.exists()


@pytest.mark.parametrize("role", [Role.ACCOUNT_EXECUTIVE, Role.CSM, Role.VIEWER, Role.EXECUTIVE])
def test_only_the_program_owner_or_an_admin_may_send_signals(ines, role):
    client = token_client(UserFactory(username=f"someone-{role}", role=role))
    answer = send(client, {"kind": "unsubscribe", "email": EMAIL})
    assert answer.status_code == 403
    assert not Signal.objects.exists()


def test_an_admin_token_may_send_signals(ines):
    client = token_client(UserFactory(username="ada.admin", role=Role.ADMIN))
    assert send(client, {"kind": "unsubscribe", "email": EMAIL}).status_code == 200


def test_without_a_token_it_is_401(ines):
    body = json.dumps({"signals": [{"kind": "unsubscribe", "email": EMAIL}]})
    assert Client().post("/api/v1/signals", body, content_type="application/json").status_code == 401
