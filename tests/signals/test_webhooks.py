"""Signed webhooks through real HTTP requests to a live server: good, bad signature, replay, duplicate, rotation."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

import pytest
from django.utils import timezone

from execsponsor.common.errors import NotPermitted
from execsponsor.customers.models import BuyingRole, ContactStatus
from execsponsor.signals.models import Alert, Signal, WebhookReceipt, WebhookSource
from execsponsor.signals.webhooks import (
    webhook_previous_secret_revoke,
    webhook_secret_rotate,
    webhook_source_create,
)
from execsponsor.users.models import Role
from tests.factories import AccountFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def admin(db):
    return UserFactory(username="ada.admin", role=Role.ADMIN)


@pytest.fixture
def enrichment(admin):
    source, secret = webhook_source_create(by=admin, name="Job-change feed")
    return source, secret


@pytest.fixture
def champion(db):
    ae = UserFactory(username="alex.ae", role=Role.ACCOUNT_EXECUTIVE)
    account = AccountFactory(name="Harbourline Ports", domain="harbourline.example", owner=ae)
    return ContactFactory(
        account=account,
        first_name="Michael",
        last_name="Osei",
        email="michael.osei@harbourline.example",
        buying_role=BuyingRole.CHAMPION,
    )


JOB_CHANGE = {
    "signals": [
        {
            "kind": "job_change",
            "email": "michael.osei@harbourline.example",
            "company": "Brightwater Logistics",
            "company_domain": "brightwater.example",
            "title": "VP Operations",
            "id": "evt-1001",
        }
    ]
}


def signed(secret: str, body: bytes, *, at: int | None = None) -> dict[str, str]:
    """The headers a sender computes, written from the documented scheme (not from our code)."""
    stamp = str(at if at is not None else int(time.time()))
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return {"X-ESP-Timestamp": stamp, "X-ESP-Signature": f"v1={digest}"}


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict, dict]:
    headers = {"Content-Type": "application/json", **headers}
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 — our own live server
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), dict(error.headers)


def hook_url(live_server, source: WebhookSource) -> str:
    return f"{live_server.url}/api/v1/signals/webhooks/{source.slug}"


def test_a_signed_job_change_marks_the_champion_left_and_raises_the_alert_at_once(live_server, enrichment, champion):
    source, secret = enrichment
    body = json.dumps(JOB_CHANGE).encode()
    started = time.monotonic()
    status, answer, _ = post(hook_url(live_server, source), body, {**signed(secret, body), "Idempotency-Key": "d-1"})
    latency = time.monotonic() - started
    assert status == 200, answer
    assert (answer["received"], answer["recorded"], answer["alerts_raised"]) == (1, 1, 1)
    alert = Alert.objects.get()
    assert alert.contact == champion and alert.priority == "high"
    champion.refresh_from_db()
    assert champion.status == ContactStatus.LEFT
    signal = Signal.objects.get()
    assert (signal.source, signal.kind, signal.detail["company"]) == ("webhook", "job_change", "Brightwater Logistics")
    receipt = WebhookReceipt.objects.get()
    assert (receipt.outcome, receipt.status_code, receipt.delivery_id) == ("accepted", 200, "d-1")
    print(f"ingest-to-alert latency through HTTP: {latency * 1000:.0f} ms")
    assert latency < 5


def test_a_bad_signature_is_401_and_recorded(live_server, enrichment, champion):
    source, _ = enrichment
    body = json.dumps(JOB_CHANGE).encode()
    status, answer, _ = post(
        hook_url(live_server, source), body, {**signed("whsec_not-the-secret", body), "Idempotency-Key": "d-2"}
    )
    assert status == 401
    assert "does not match" in answer["message"]
    receipt = WebhookReceipt.objects.get()
    assert (receipt.outcome, receipt.status_code, receipt.source) == ("rejected", 401, source)
    assert not Signal.objects.exists() and not Alert.objects.exists()


def test_a_body_changed_after_signing_is_refused(live_server, enrichment, champion):
    source, secret = enrichment
    body = json.dumps(JOB_CHANGE).encode()
    headers = {**signed(secret, body), "Idempotency-Key": "d-3"}
    tampered = body.replace(b"Brightwater", b"Blackwater")
    status, _, _ = post(hook_url(live_server, source), tampered, headers)
    assert status == 401
    assert not Signal.objects.exists()


def test_an_old_timestamp_is_refused_as_a_replay(live_server, enrichment, champion):
    source, secret = enrichment
    body = json.dumps(JOB_CHANGE).encode()
    six_minutes_ago = int(time.time()) - 6 * 60
    status, answer, _ = post(
        hook_url(live_server, source), body, {**signed(secret, body, at=six_minutes_ago), "Idempotency-Key": "d-4"}
    )
    assert status == 401
    assert "5 minutes" in answer["message"]
    assert WebhookReceipt.objects.get().outcome == "rejected"
    assert not Signal.objects.exists()


def test_a_timestamp_four_minutes_old_is_still_accepted(live_server, enrichment, champion):
    source, secret = enrichment
    body = json.dumps(JOB_CHANGE).encode()
    four_minutes_ago = int(time.time()) - 4 * 60
    status, _, _ = post(
        hook_url(live_server, source), body, {**signed(secret, body, at=four_minutes_ago), "Idempotency-Key": "d-5"}
    )
    assert status == 200


def test_a_duplicate_idempotency_key_gets_the_first_answer_and_does_nothing_twice(live_server, enrichment, champion):
    source, secret = enrichment
    body = json.dumps(JOB_CHANGE).encode()
    first_status, first, first_headers = post(
        hook_url(live_server, source), body, {**signed(secret, body), "Idempotency-Key": "d-6"}
    )
    Alert.objects.update(status="resolved", resolved_at=timezone.now())  # a second run would raise a new one
    again_status, again, again_headers = post(
        hook_url(live_server, source), body, {**signed(secret, body), "Idempotency-Key": "d-6"}
    )
    assert (first_status, again_status) == (200, 200)
    assert again == first
    assert again_headers.get("Idempotent-Replayed") == "true" and "Idempotent-Replayed" not in first_headers
    assert Signal.objects.count() == 1 and Alert.objects.count() == 1
    assert WebhookReceipt.objects.filter(outcome="accepted").count() == 1


def test_the_same_key_with_another_body_is_refused(live_server, enrichment, champion):
    source, secret = enrichment
    body = json.dumps(JOB_CHANGE).encode()
    post(hook_url(live_server, source), body, {**signed(secret, body), "Idempotency-Key": "d-7"})
    other = json.dumps({"kind": "unsubscribe", "email": "michael.osei@harbourline.example"}).encode()
    status, answer, _ = post(hook_url(live_server, source), other, {**signed(secret, other), "Idempotency-Key": "d-7"})
    assert status == 422 and "already used" in answer["message"]
    assert Signal.objects.count() == 1


def test_a_missing_idempotency_key_is_400(live_server, enrichment, champion):
    source, secret = enrichment
    body = json.dumps(JOB_CHANGE).encode()
    status, answer, _ = post(hook_url(live_server, source), body, signed(secret, body))
    assert status == 400 and "Idempotency-Key" in answer["message"]
    assert not Signal.objects.exists()


def test_an_unknown_source_is_401_and_recorded(live_server, enrichment, champion):
    _, secret = enrichment
    body = json.dumps(JOB_CHANGE).encode()
    status, _, _ = post(
        f"{live_server.url}/api/v1/signals/webhooks/nobody", body, {**signed(secret, body), "Idempotency-Key": "d-8"}
    )
    assert status == 401
    receipt = WebhookReceipt.objects.get()
    assert (receipt.source, receipt.source_slug, receipt.outcome) == (None, "nobody", "rejected")


def test_a_signed_body_that_is_not_a_signal_is_422_with_the_reason(live_server, enrichment, champion):
    source, secret = enrichment
    body = json.dumps({"signals": [{"kind": "promotion", "email": "x@y.example"}]}).encode()
    status, answer, _ = post(hook_url(live_server, source), body, {**signed(secret, body), "Idempotency-Key": "d-9"})
    assert status == 422
    assert "signals.0.kind" in answer["message"]


def test_after_a_rotation_the_old_secret_works_for_the_grace_period_until_revoked(
    live_server, admin, enrichment, champion
):
    source, old = enrichment
    new = webhook_secret_rotate(by=admin, source=source, grace=dt.timedelta(hours=2))
    assert new != old
    unsubscribe = json.dumps({"kind": "unsubscribe", "email": "michael.osei@harbourline.example"}).encode()
    url = hook_url(live_server, source)
    assert post(url, unsubscribe, {**signed(old, unsubscribe), "Idempotency-Key": "r-1"})[0] == 200
    assert post(url, unsubscribe, {**signed(new, unsubscribe), "Idempotency-Key": "r-2"})[0] == 200
    webhook_previous_secret_revoke(by=admin, source=source)
    assert post(url, unsubscribe, {**signed(old, unsubscribe), "Idempotency-Key": "r-3"})[0] == 401
    assert post(url, unsubscribe, {**signed(new, unsubscribe), "Idempotency-Key": "r-4"})[0] == 200


def test_a_rotation_without_grace_refuses_the_old_secret_at_once(live_server, admin, enrichment, champion):
    source, old = enrichment
    webhook_secret_rotate(by=admin, source=source, grace=dt.timedelta(0))
    body = json.dumps({"kind": "unsubscribe", "email": "michael.osei@harbourline.example"}).encode()
    assert post(hook_url(live_server, source), body, {**signed(old, body), "Idempotency-Key": "r-5"})[0] == 401


def test_only_an_admin_manages_sources(db):
    owner = UserFactory(username="olivia.owner", role=Role.PROGRAM_OWNER)
    with pytest.raises(NotPermitted):
        webhook_source_create(by=owner, name="Product analytics")


def test_the_admin_adds_a_source_and_sees_its_secret_once(db, admin):
    from tests.conftest import client_for

    client = client_for(admin)
    answer = client.post("/signals/webhooks/", {"name": "Marketing automation"})
    assert answer.status_code == 200
    source = WebhookSource.objects.get(name="Marketing automation")
    assert source.secret in answer.content.decode()
    assert "/api/v1/signals/webhooks/marketing-automation" in answer.content.decode()
    assert source.secret not in client.get("/signals/webhooks/").content.decode()
    assert "no-store" in answer.headers["Cache-Control"] or "no-cache" in answer.headers["Cache-Control"]


def test_the_admin_rotates_a_secret_from_the_page_with_a_grace_period(db, admin, enrichment):
    from tests.conftest import client_for

    source, old = enrichment
    answer = client_for(admin).post(f"/signals/webhooks/{source.pk}/rotate/", {"grace_hours": "72"})
    source.refresh_from_db()
    assert source.secret != old and source.secret in answer.content.decode()
    assert source.previous_secret == old
    left = source.previous_secret_valid_until - timezone.now()
    assert dt.timedelta(hours=71) < left <= dt.timedelta(hours=72)


def test_a_duplicate_name_is_refused_in_the_form(db, admin, enrichment):
    from tests.conftest import client_for

    answer = client_for(admin).post("/signals/webhooks/", {"name": "job-change FEED"})
    assert answer.status_code == 422 and "already a webhook source" in answer.content.decode()


@pytest.mark.parametrize("role", [Role.PROGRAM_OWNER, Role.ACCOUNT_EXECUTIVE, Role.VIEWER])
def test_others_may_not_open_the_webhook_page(db, role, enrichment):
    from tests.conftest import client_for

    client = client_for(UserFactory(username=f"u-{role}", role=role))
    assert client.get("/signals/webhooks/").status_code == 403
    source, _ = enrichment
    assert client.post(f"/signals/webhooks/{source.pk}/rotate/", {"grace_hours": "0"}).status_code == 403


def test_a_source_without_a_secret_accepts_nothing(live_server, enrichment, champion):
    source, _ = enrichment
    WebhookSource.objects.filter(pk=source.pk).update(secret="")
    body = json.dumps(JOB_CHANGE).encode()
    assert post(hook_url(live_server, source), body, {**signed("", body), "Idempotency-Key": "e-1"})[0] == 401


def test_the_worked_example_in_the_docs_is_right():
    """docs/signals.md shows a signature computed by hand (openssl); our check must agree with it."""
    from pathlib import Path

    from execsponsor.signals.webhooks import signature

    docs = (Path(__file__).resolve().parents[2] / "docs" / "signals.md").read_text()
    body = b'{"signals": [{"kind": "unsubscribe", "email": "ines.duarte@lisboa-telecom.example", "id": "mc-77"}]}'
    expected = "3725e8183189e7bfd34d0406a9064bd7038290d98e7a2617c0c7a5cff75e8b5d"
    assert f"v1={expected}" in docs and body.decode() in docs
    assert signature("whsec_3q2-example-only-Jx7T0mKcQe4RbZ", "1796083200", body) == expected


def test_ingest_to_alert_latency_over_twenty_deliveries(live_server, enrichment):
    """Twenty champions leave, one signed delivery each: every alert exists when its answer arrives."""
    import statistics

    source, secret = enrichment
    account = AccountFactory(name="Northwind Freight", domain="northwind.example")
    latencies = []
    for i in range(20):
        email = f"person{i}@northwind.example"
        ContactFactory(account=account, email=email, buying_role=BuyingRole.CHAMPION)
        body = json.dumps({"kind": "departure_notice", "email": email, "text": "has left the company"}).encode()
        started = time.monotonic()
        status, answer, _ = post(
            hook_url(live_server, source), body, {**signed(secret, body), "Idempotency-Key": f"l-{i}"}
        )
        latencies.append(time.monotonic() - started)
        assert status == 200 and answer["alerts_raised"] == 1
        assert Alert.objects.filter(contact__email=email).exists()
    median, worst = statistics.median(latencies), max(latencies)
    print(f"ingest-to-alert through HTTP, 20 deliveries: median {median * 1000:.0f} ms, worst {worst * 1000:.0f} ms")
    assert worst < 5
