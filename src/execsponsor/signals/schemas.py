"""The JSON shape of signals sent to ExecSponsor, by the API (a token) or a signed webhook, and what it becomes.

One signal is one thing an outside system knows about one email address: that the person unsubscribed,
that their product logins fell, that they changed jobs, that mail to them bounced.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import ValidationError, field_validator

from execsponsor.common.errors import InvalidInput
from execsponsor.schemas import InputSchema, Moment, Text
from execsponsor.signals.models import SignalKind
from execsponsor.signals.services import Observation

MAX_SIGNALS_PER_REQUEST = 1000

PostedKind = Literal[
    "unsubscribe",
    "login_drop",
    "job_change",
    "hard_bounce",
    "soft_bounce",
    "departure_notice",
    "out_of_office",
]


class SignalIn(Schema):
    kind: PostedKind
    email: Text = Field(..., max_length=254, description="The contact's email address")
    observed_at: Moment | None = Field(None, description="When it happened (ISO 8601); a time without zone is UTC")
    id: Text | None = Field(
        None, max_length=128, description="The sender's id of the event: sent again, it is recorded once"
    )
    text: Text = Field("", max_length=500, description="What the sender says about it, for people")
    company: Text = Field("", max_length=255, description="job_change, departure_notice: the new company")
    company_domain: Text = Field("", max_length=255, description="job_change: the new company's web domain")
    title: Text = Field("", max_length=200, description="job_change: the new title")
    logins_before: int | None = Field(None, ge=0, le=10**9, description="login_drop: logins a month before")
    logins_after: int | None = Field(None, ge=0, le=10**9, description="login_drop: logins a month now")
    successor_email: Text = Field("", max_length=254, description="departure_notice: who took over")
    successor_name: Text = Field("", max_length=200)

    @field_validator("email", "successor_email")
    @classmethod
    def _an_address(cls, value: str) -> str:
        value = value.strip().lower()
        if value and (value.count("@") != 1 or value.startswith("@") or value.endswith("@") or " " in value):
            raise ValueError(f"{value!r} is not an email address")
        return value


class SignalBatchIn(InputSchema):
    signals: list[SignalIn] = Field(..., min_length=1, max_length=MAX_SIGNALS_PER_REQUEST)


class DepartureOut(Schema):
    contact_id: int
    email: str
    account: str
    confidence: float
    evidence: list[str]
    alert_id: int


class SignalSaidOut(Schema):
    kind: str
    email: str
    detail: str


class IngestOut(Schema):
    received: int = Field(..., description="Signals in the request")
    recorded: int = Field(..., description="New signals recorded (a signal sent again is recorded once)")
    already_known: int
    alerts_raised: int
    departures: list[DepartureOut]
    unmatched_emails: list[str] = Field(..., description="Addresses of no contact of ours")
    signals: list[SignalSaidOut]
    written: bool


def batch_from_json(raw: bytes) -> SignalBatchIn:
    """Parse a webhook body: `{"signals": [...]}`, or one signal object alone. InvalidInput says what is wrong."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput("the body is not UTF-8 text") from error
    try:
        if text.lstrip().startswith("{") and '"signals"' not in text:
            return SignalBatchIn.model_validate_json(f'{{"signals": [{text}]}}')
        return SignalBatchIn.model_validate_json(text)
    except ValidationError as error:
        raise InvalidInput(_validation_message(error)) from error


def _validation_message(error: ValidationError) -> str:
    parts = []
    for problem in error.errors()[:5]:
        where = ".".join(str(p) for p in problem.get("loc", ()) if p not in ("body", "payload")) or "body"
        parts.append(f"{where}: {problem.get('msg', 'is not valid')}")
    return "; ".join(parts)


def observations_from_batch(batch: SignalBatchIn, *, source: str, origin: str) -> list[Observation]:
    """The signals as observations. `origin` names the sender (the webhook source, the API user): the same
    event sent twice by one sender is recorded once, by its id or else by kind, address and time."""
    now = timezone.now()
    found = []
    for item in batch.signals:
        observed = item.observed_at or now
        identity = item.id or f"{item.kind}|{item.email}|{observed.isoformat()}"
        key = "|".join((source, origin, hashlib.sha256(identity.encode()).hexdigest()))
        found.append(Observation(item.kind, item.email, _detail(item), observed, source, key))
    return found


def _detail(item: SignalIn) -> dict:
    detail: dict = {}
    if item.text:
        detail["text"] = item.text
    if item.id:
        detail["event_id"] = item.id
    if item.kind in (SignalKind.JOB_CHANGE, SignalKind.DEPARTURE_NOTICE):
        for name in ("company", "company_domain", "title"):
            if value := getattr(item, name):
                detail[name] = value
        if item.kind == SignalKind.DEPARTURE_NOTICE and item.company:
            detail["new_company"] = item.company
    if item.kind == SignalKind.LOGIN_DROP:
        for name in ("logins_before", "logins_after"):
            if getattr(item, name) is not None:
                detail[name] = getattr(item, name)
        if "text" not in detail and item.logins_after is not None:
            detail["text"] = f"logins {item.logins_before if item.logins_before is not None else '?'} → " + (
                f"{item.logins_after} a month"
            )
    if item.successor_email:
        detail["successor_email"] = item.successor_email
        detail["successor_name"] = item.successor_name
    return detail
