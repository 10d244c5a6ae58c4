"""Signed inbound webhooks: check a delivery's signature, time and idempotency key, then ingest its signals.

The scheme (docs/signals.md has a worked example):

    X-ESP-Timestamp: <unix seconds>
    X-ESP-Signature: v1=<hex HMAC-SHA256 of "<timestamp>." + the raw body, keyed with the source's secret>
    Idempotency-Key: <the sender's id of this delivery, at most 128 characters>

The timestamp is signed with the body, so an old delivery cannot be sent again under a fresh time; one more
than five minutes from our clock is refused. A key already answered gets the first answer again and does
nothing twice. Every refusal is recorded as a WebhookReceipt. A source's secrets are managed by an admin;
after a rotation the previous secret is accepted for a grace period.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from execsponsor.access.rules import require
from execsponsor.common.errors import InvalidInput
from execsponsor.signals import schemas
from execsponsor.signals.models import ReceiptOutcome, SignalSource, WebhookReceipt, WebhookSource
from execsponsor.signals.services import observations_ingest
from execsponsor.users.services import system_user

TIMESTAMP_HEADER = "X-ESP-Timestamp"
SIGNATURE_HEADER = "X-ESP-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
TOLERANCE = dt.timedelta(minutes=5)
DEFAULT_GRACE = dt.timedelta(hours=24)
MAX_GRACE = dt.timedelta(days=30)
SECRET_PREFIX = "whsec_"


@dataclass(frozen=True)
class Delivery:
    source_slug: str
    raw: bytes
    timestamp: str
    signature: str
    idempotency_key: str
    remote_addr: str = ""


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    replayed: bool = False  # the first answer to this idempotency key, given again


def signature(secret: str, timestamp: str, raw: bytes) -> str:
    """The hex HMAC-SHA256 a sender puts after `v1=`."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + raw, hashlib.sha256).hexdigest()


def webhook_receive(*, delivery: Delivery, now: dt.datetime | None = None) -> Answer:
    """Authenticate one delivery and ingest it; the answer to send back, recorded."""
    now = now or timezone.now()
    body_hash = hashlib.sha256(delivery.raw).hexdigest()
    source = WebhookSource.objects.filter(slug=delivery.source_slug, is_active=True).first()

    def refuse(status: int, reason: str) -> Answer:
        _record_refusal(delivery, source, status=status, reason=reason, body_hash=body_hash, now=now)
        return Answer(status, {"message": reason})

    if source is None:
        return refuse(401, f"No active webhook source '{delivery.source_slug[:100]}'")
    moment = _timestamp(delivery.timestamp)
    if moment is None:
        return refuse(401, f"{TIMESTAMP_HEADER} is missing or not a Unix time in seconds")
    if abs(now - moment) > TOLERANCE:
        return refuse(401, f"{TIMESTAMP_HEADER} is more than 5 minutes from our clock: refused as a possible replay")
    if not _signed_by(source, delivery, now=now):
        return refuse(401, f"{SIGNATURE_HEADER} does not match the body and timestamp signed with this source's secret")
    key = delivery.idempotency_key.strip()
    if not key or len(key) > 128:
        return refuse(400, f"{IDEMPOTENCY_HEADER} is required, at most 128 characters")
    if first := _first_answer(source, key):
        return _again(first, body_hash, delivery, source, now=now)
    try:
        batch = schemas.batch_from_json(delivery.raw)
    except InvalidInput as error:
        return _keep_answer(source, key, body_hash, delivery, Answer(422, {"message": error.message}), now=now)
    observations = schemas.observations_from_batch(batch, source=SignalSource.WEBHOOK, origin=source.slug)
    try:
        with transaction.atomic():
            receipt = WebhookReceipt.objects.create(
                source=source,
                source_slug=source.slug,
                delivery_id=key,
                outcome=ReceiptOutcome.ACCEPTED,
                status_code=200,
                body_sha256=body_hash,
                remote_addr=delivery.remote_addr[:64],
                received_at=now,
            )
            report = observations_ingest(
                observations=observations, problems=[], items=len(observations), by=system_user()
            )
            answer = Answer(200, _answer_body(report))
            receipt.response = answer.body
            receipt.save(update_fields=["response"])
    except IntegrityError:
        # The same key arrived at the same moment on another connection, which answered first.
        first = _first_answer(source, key)
        if first is None:
            raise
        return _again(first, body_hash, delivery, source, now=now)
    return answer


def _answer_body(report) -> dict[str, Any]:
    said = report.as_dict()
    return {
        "received": said["messages"],
        "recorded": said["recorded"],
        "already_known": said["already_known"],
        "alerts_raised": said["alerts_raised"],
        "departures": said["departures"],
        "unmatched_emails": said["unmatched_emails"],
        "signals": said["signals"],
        "written": said["written"],
    }


def _timestamp(raw: str) -> dt.datetime | None:
    raw = raw.strip()
    if not raw.isdigit() or len(raw) > 12:
        return None
    return dt.datetime.fromtimestamp(int(raw), tz=dt.UTC)


def _signed_by(source: WebhookSource, delivery: Delivery, *, now: dt.datetime) -> bool:
    offered = [part.strip()[3:] for part in delivery.signature.split(",") if part.strip().startswith("v1=")]
    stamp = delivery.timestamp.strip()
    expected = [signature(secret, stamp, delivery.raw) for secret in source.secrets_accepted(now=now)]
    # Compare every pair, so that the time taken says nothing about which one (if any) matched.
    matches = [hmac.compare_digest(o.encode(), e.encode()) for o in offered for e in expected]
    return any(matches)


def _first_answer(source: WebhookSource, key: str) -> WebhookReceipt | None:
    return WebhookReceipt.objects.filter(source=source, delivery_id=key, outcome=ReceiptOutcome.ACCEPTED).first()


def _again(first: WebhookReceipt, body_hash: str, delivery: Delivery, source, *, now) -> Answer:
    if first.body_sha256 != body_hash:
        reason = f"{IDEMPOTENCY_HEADER} {first.delivery_id!r} was already used for another body"
        _record_refusal(delivery, source, status=422, reason=reason, body_hash=body_hash, now=now)
        return Answer(422, {"message": reason})
    return Answer(first.status_code, first.response, replayed=True)


def _keep_answer(source, key: str, body_hash: str, delivery: Delivery, answer: Answer, *, now) -> Answer:
    """An authentic delivery we could not read: its answer is kept for its key like any other."""
    try:
        with transaction.atomic():
            WebhookReceipt.objects.create(
                source=source,
                source_slug=source.slug,
                delivery_id=key,
                outcome=ReceiptOutcome.ACCEPTED,
                status_code=answer.status,
                reason=str(answer.body.get("message", ""))[:255],
                response=answer.body,
                body_sha256=body_hash,
                remote_addr=delivery.remote_addr[:64],
                received_at=now,
            )
    except IntegrityError:
        first = _first_answer(source, key)
        if first is not None:
            return _again(first, body_hash, delivery, source, now=now)
        raise
    return answer


def _record_refusal(delivery: Delivery, source, *, status: int, reason: str, body_hash: str, now) -> None:
    WebhookReceipt.objects.create(
        source=source,
        source_slug=delivery.source_slug[:100],
        delivery_id=delivery.idempotency_key[:128],
        outcome=ReceiptOutcome.REJECTED,
        status_code=status,
        reason=reason[:255],
        body_sha256=body_hash,
        remote_addr=delivery.remote_addr[:64],
        received_at=now,
    )


# Managing sources and their secrets: admins only.


def _require_admin(by) -> None:
    require(by, "execsponsor.manage_users", to="manage webhook sources and their secrets")


def _new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


@transaction.atomic
def webhook_source_create(*, by, name: str) -> tuple[WebhookSource, str]:
    """A new source and its secret; the secret is returned this once and never shown again."""
    _require_admin(by)
    name = " ".join(name.split())
    slug = slugify(name)[:100]
    if not name or not slug:
        raise InvalidInput("Give the source a name with letters or digits, e.g. 'Product analytics'", field="name")
    if WebhookSource.objects.filter(name__iexact=name).exists() or WebhookSource.objects.filter(slug=slug).exists():
        raise InvalidInput(f"There is already a webhook source named {name!r}", field="name")
    secret = _new_secret()
    source = WebhookSource.objects.create(name=name[:100], slug=slug, secret=secret, created_by=by)
    return source, secret


@transaction.atomic
def webhook_secret_rotate(*, by, source: WebhookSource, grace: dt.timedelta = DEFAULT_GRACE) -> str:
    """A new secret; the one it replaces is still accepted for `grace` (0: at once no longer)."""
    _require_admin(by)
    if not dt.timedelta(0) <= grace <= MAX_GRACE:
        raise InvalidInput("The grace period is between 0 hours and 30 days", field="grace_hours")
    source = WebhookSource.objects.select_for_update().get(pk=source.pk)
    now = timezone.now()
    secret = _new_secret()
    source.previous_secret = source.secret if grace else ""
    source.previous_secret_valid_until = now + grace if grace else None
    source.secret = secret
    source.rotated_at = now
    source.save()
    return secret


@transaction.atomic
def webhook_previous_secret_revoke(*, by, source: WebhookSource) -> WebhookSource:
    _require_admin(by)
    WebhookSource.objects.filter(pk=source.pk).update(previous_secret="", previous_secret_valid_until=None)
    source.refresh_from_db()
    return source


@transaction.atomic
def webhook_source_set_active(*, by, source: WebhookSource, active: bool) -> WebhookSource:
    _require_admin(by)
    WebhookSource.objects.filter(pk=source.pk).update(is_active=active)
    source.refresh_from_db()
    return source
