"""Signals in, departures out: record what bounces, replies and enrichment feeds say about our contacts,
then decide for each contact touched whether they have left, and raise one alert per departure.

Ingestion is idempotent: every signal has a dedupe key, so the same file read twice records nothing new
and raises no second alert. The verdict comes from `core.departures`; the company a champion moved to is
matched to our accounts by `core.companies`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from execsponsor.access.rules import require
from execsponsor.common.errors import InvalidInput
from execsponsor.core import companies, departures
from execsponsor.customers.models import Account, BuyingRole, Contact, ContactStatus
from execsponsor.signals import mail
from execsponsor.signals.models import (
    Alert,
    AlertStatus,
    AlertType,
    FollowedChampion,
    Priority,
    Signal,
    SignalKind,
    SignalSource,
)

KEY_PEOPLE = {BuyingRole.CHAMPION, BuyingRole.DECISION_MAKER, BuyingRole.EXECUTIVE_SPONSOR}
ENRICHMENT_COLUMNS = ("email", "full_name", "title", "company", "company_domain", "changed_at", "profile_url")


@dataclass(frozen=True)
class Observation:
    """One thing a file says about one email address, before it is matched to a contact."""

    kind: str
    email: str
    detail: dict[str, Any]
    observed_at: dt.datetime
    source: str
    key: str  # what makes it the same observation when the file is read again


@dataclass
class IngestReport:
    messages: int = 0
    signals: list[dict[str, Any]] = field(default_factory=list)
    recorded: int = 0
    already_known: int = 0
    alerts_raised: int = 0
    departures: list[dict[str, Any]] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    written: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "messages": self.messages,
            "signals": self.signals,
            "recorded": self.recorded,
            "already_known": self.already_known,
            "alerts_raised": self.alerts_raised,
            "departures": self.departures,
            "unmatched_emails": sorted(set(self.unmatched)),
            "errors": self.errors,
            "written": self.written,
        }


def observations_from_file(*, name: str, raw: bytes) -> tuple[list[Observation], list[dict[str, Any]], int]:
    """What a file says: observations, problems (each with a line or message number), items read."""
    lowered = name.lower()
    if lowered.endswith(".csv"):
        return _from_enrichment_rows(_csv_rows(raw), name)
    if lowered.endswith(".json"):
        return _from_enrichment_rows(_json_rows(raw), name)
    try:
        messages = mail.read_bytes(raw, name=name)
    except mail.UnreadableMail as error:
        raise InvalidInput(str(error), field="file") from error
    found: list[Observation] = []
    problems: list[dict[str, Any]] = []
    for number, message in enumerate(messages, start=1):
        for signal in mail.signals_from_message(message):
            if signal.kind == "unreadable":
                problems.append({"line": number, "column": "message", "message": signal.detail})
                continue
            found.append(_from_mail(signal))
    return found, problems, len(messages)


def _from_mail(signal: mail.MailSignal) -> Observation:
    detail: dict[str, Any] = {"text": signal.detail}
    if signal.successor_email:
        detail["successor_email"] = signal.successor_email
        detail["successor_name"] = signal.successor_name
    if signal.new_company:
        detail["new_company"] = signal.new_company
    observed = signal.observed_at or timezone.now()
    if timezone.is_naive(observed):
        observed = timezone.make_aware(observed, dt.UTC)
    key = "|".join(("mail", signal.kind, signal.email, signal.message_id or observed.isoformat()))
    return Observation(signal.kind, signal.email, detail, observed, SignalSource.EMAIL, key)


def _csv_rows(raw: bytes) -> list[dict[str, str]]:
    text = raw.decode("utf-8-sig", errors="replace")
    return [
        {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        for row in csv.DictReader(io.StringIO(text))
    ]


def _json_rows(raw: bytes) -> list[dict[str, str]]:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput(f"the file is not JSON: {error}", field="file") from error
    if isinstance(data, dict):
        data = data.get("changes") or data.get("records") or data.get("data") or [data]
    if not isinstance(data, list):
        raise InvalidInput("the JSON holds no list of job changes", field="file")
    return [
        {str(k).lower(): "" if v is None else str(v) for k, v in row.items()} for row in data if isinstance(row, dict)
    ]


def _from_enrichment_rows(rows: list[dict[str, str]], name: str) -> tuple[list[Observation], list[dict[str, Any]], int]:
    found, problems = [], []
    for number, row in enumerate(rows, start=2 if name.lower().endswith(".csv") else 1):
        email = row.get("email", "").lower()
        if "@" not in email:
            problems.append({"line": number, "column": "email", "message": f"{email!r} is not an email address"})
            continue
        try:
            changed = dt.date.fromisoformat(row.get("changed_at", "")[:10])
        except ValueError:
            problems.append(
                {
                    "line": number,
                    "column": "changed_at",
                    "message": f"{row.get('changed_at')!r} is not a date (YYYY-MM-DD)",
                }
            )
            continue
        detail = {k: row.get(k, "") for k in ENRICHMENT_COLUMNS if row.get(k)}
        observed = dt.datetime.combine(changed, dt.time(12), tzinfo=dt.UTC)
        key = "|".join(("enrichment", email, row.get("company", ""), row.get("title", ""), changed.isoformat()))
        found.append(Observation(SignalKind.JOB_CHANGE, email, detail, observed, SignalSource.ENRICHMENT, key))
    return found, problems, len(rows)


def signals_ingest(*, by, name: str, raw: bytes, dry_run: bool = False, today: dt.date | None = None) -> IngestReport:
    """Read one file of bounces, replies or job changes; record its signals; raise the alerts they justify."""
    require(by, "execsponsor.run_program", to="ingest signals")
    observations, problems, items = observations_from_file(name=name, raw=raw)
    return observations_ingest(
        observations=observations, problems=problems, items=items, by=by, dry_run=dry_run, today=today
    )


def observations_ingest(
    *,
    observations: list[Observation],
    problems: list[dict[str, Any]],
    items: int,
    by,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> IngestReport:
    """Record observations, whatever brought them (a file, the API, a signed webhook), and decide at once for
    every contact they touch whether they have left. The callers check who may send them: `by` is the user
    the changes are attributed to, or None for a webhook source that signed its delivery."""
    today = today or timezone.localdate()
    report = IngestReport(messages=items, errors=problems)
    report.signals = [{"kind": o.kind, "email": o.email, "detail": _said(o)} for o in observations]
    contacts_by_email = _contacts_by_email({o.email for o in observations})
    report.unmatched = [o.email for o in observations if o.email not in contacts_by_email]
    if dry_run:
        return report
    known = KnownAccounts()
    with transaction.atomic():
        touched = _record(observations, contacts_by_email, report)
        for contact in touched:
            _review(contact, by=by, today=today, report=report, known=known)
    report.written = True
    return report


@dataclass(frozen=True)
class DepartureSweep:
    reviewed: int
    departures: int
    alerts_raised: int


def departures_review(*, by, today: dt.date | None = None, contact_ids: list[int] | None = None) -> DepartureSweep:
    """Decide again for every contact with signals (or the ones given) whether they have left.

    Ingestion reviews the contacts it touched at once; this sweep catches evidence that arrived another way
    (the API, the CRM) and is safe to run again: alerts are raised once per departure."""
    require(by, "execsponsor.run_program", to="review departures")
    today = today or timezone.localdate()
    contacts = Contact.objects.select_related("account").filter(signals__isnull=False).distinct()
    if contact_ids is not None:
        contacts = contacts.filter(pk__in=contact_ids)
    report = IngestReport()
    reviewed = 0
    known = KnownAccounts()
    with transaction.atomic():
        for contact in contacts.iterator(chunk_size=500):
            _review(contact, by=by, today=today, report=report, known=known)
            reviewed += 1
    return DepartureSweep(reviewed, len(report.departures), report.alerts_raised)


def _said(observation: Observation) -> str:
    detail = observation.detail
    if observation.kind == SignalKind.JOB_CHANGE:
        title, company = detail.get("title", ""), detail.get("company", "")
        return f"now {title} at {company}" if title else f"now at {company}"
    if observation.kind == SignalKind.LOGIN_DROP and "logins_after" in detail:
        return f"logins {detail.get('logins_before', '?')} → {detail['logins_after']} a month"
    return str(detail.get("text", ""))


def _contacts_by_email(emails: set[str]) -> dict[str, list[Contact]]:
    found: dict[str, list[Contact]] = {}
    if not emails:
        return found
    for contact in Contact.objects.select_related("account").filter(email__in=_case_variants(emails)):
        found.setdefault(contact.email.lower(), []).append(contact)
    # Emails stored with another case: one more pass, case-insensitive, for the few still missing.
    for email in emails - set(found):
        matches = list(Contact.objects.select_related("account").filter(email__iexact=email))
        if matches:
            found[email] = matches
    return found


def _case_variants(emails: set[str]) -> list[str]:
    return sorted(emails | {e.lower() for e in emails})


def _record(
    observations: list[Observation], contacts_by_email: dict[str, list[Contact]], report: IngestReport
) -> list[Contact]:
    touched: dict[int, Contact] = {}
    for observation in observations:
        for contact in contacts_by_email.get(observation.email, [None]):  # type: ignore[list-item]
            key = hashlib.sha256(f"{observation.key}|{contact.pk if contact else ''}".encode()).hexdigest()
            _, created = Signal.objects.get_or_create(
                dedupe_key=key,
                defaults={
                    "kind": observation.kind,
                    "source": observation.source,
                    "account": contact.account if contact else None,
                    "contact": contact,
                    "email": observation.email,
                    "detail": observation.detail,
                    "weight": departures.DEFAULT_WEIGHTS.get(observation.kind, 0.0),
                    "observed_at": observation.observed_at,
                },
            )
            report.recorded += created
            report.already_known += not created
            if contact is not None:
                touched[contact.pk] = contact
    return list(touched.values())


def _evidence_of(contact: Contact) -> list[departures.Evidence]:
    evidence = []
    account_key = companies.domain_key(contact.account.domain) if contact.account.domain else ""
    for signal in contact.signals.all():
        detail = signal.detail or {}
        new_company = str(detail.get("company") or detail.get("new_company") or "")
        same = False
        if signal.kind == SignalKind.JOB_CHANGE:
            domain = companies.domain_key(str(detail.get("company_domain") or detail.get("new_domain") or ""))
            same = bool(account_key and domain == account_key) or (
                bool(new_company) and companies.company_key(new_company) == companies.company_key(contact.account.name)
            )
        evidence.append(
            departures.Evidence(
                kind=signal.kind,
                observed_on=timezone.localdate(signal.observed_at),
                detail=str(detail.get("text", ""))[:120],
                new_company="" if same else new_company,
                new_title=str(detail.get("title") or detail.get("new_title") or ""),
                same_company=same,
            )
        )
    return evidence


def _last_heard_from(contact: Contact) -> dt.date | None:
    latest = contact.engagements.filter(two_way=True).aggregate(latest=Max("occurred_at"))["latest"]
    return timezone.localdate(latest) if latest else None


class KnownAccounts:
    """Every account as a known company, indexed the first time a departure names a new employer."""

    def __init__(self) -> None:
        self._index: companies.CompanyIndex | None = None

    @property
    def index(self) -> companies.CompanyIndex:
        if self._index is None:
            rows = Account.objects.order_by("pk").values_list("pk", "name", "domain").iterator(chunk_size=5000)
            self._index = companies.CompanyIndex(
                companies.KnownCompany(str(pk), name, domain or "") for pk, name, domain in rows
            )
        return self._index


def _review(contact: Contact, *, by, today: dt.date, report: IngestReport, known: KnownAccounts) -> None:
    verdict = departures.assess_contact(_evidence_of(contact), today=today, last_heard_from=_last_heard_from(contact))
    if verdict.verdict == "probable_departure":
        _departed(contact, verdict, by=by, today=today, report=report, known=known)
    elif verdict.verdict == "role_change" and contact.status == ContactStatus.ACTIVE:
        contact.status = ContactStatus.CHANGED_ROLE
        contact.status_changed_on = today
        if verdict.new_title:
            contact.title = verdict.new_title[:200]
        contact._history_user = by
        contact.save()


def _departed(
    contact: Contact, verdict: departures.Assessment, *, by, today: dt.date, report: IngestReport, known: KnownAccounts
) -> None:
    if contact.status != ContactStatus.LEFT:
        contact.status = ContactStatus.LEFT
        contact.status_changed_on = today
        contact._history_user = by
        contact.save()
    key = f"departure:{contact.pk}"
    alert = Alert.objects.filter(dedupe_key=key).exclude(status=AlertStatus.RESOLVED).first()
    is_key_person = contact.buying_role in KEY_PEOPLE or contact.sponsor_counterparts.exists()
    if alert is None:
        alert = Alert.objects.create(
            type=AlertType.RISK,
            reason=_reason(contact, verdict)[:500],
            priority=Priority.HIGH if is_key_person else Priority.MEDIUM,
            account=contact.account,
            contact=contact,
            owner=contact.account.owner or contact.account.csm,
            starts_on=today,
            due_on=today + dt.timedelta(days=2 if is_key_person else 7),
            dedupe_key=key,
        )
        report.alerts_raised += 1
    alert.evidence.add(*contact.signals.filter(kind__in=[e.kind for e in verdict.evidence]))
    report.departures.append(
        {
            "contact_id": contact.pk,
            "email": contact.email,
            "account": contact.account.name,
            "confidence": verdict.confidence,
            "evidence": list(verdict.reasons),
            "alert_id": alert.pk,
        }
    )
    if verdict.new_company:
        _follow(contact, verdict, known)


def _reason(contact: Contact, verdict: departures.Assessment) -> str:
    evidence = "; ".join(verdict.reasons[: len(verdict.evidence)])
    return (
        f"{contact.full_name} ({contact.title or 'no title'}) has probably left {contact.account.name} — "
        f"{round(100 * verdict.confidence)}% sure, from {evidence}"
    )


def _follow(contact: Contact, verdict: departures.Assessment, known: KnownAccounts) -> None:
    domain = next(
        (
            str(s.detail.get("company_domain") or s.detail.get("new_domain") or "")
            for s in contact.signals.filter(kind=SignalKind.JOB_CHANGE)
        ),
        "",
    )
    found = known.index.match(verdict.new_company, domain, exclude=frozenset({str(contact.account_id)}))
    FollowedChampion.objects.update_or_create(
        contact=contact,
        new_company=verdict.new_company[:255],
        defaults={
            "new_domain": companies.domain_key(domain)[:255] if domain else "",
            "new_title": verdict.new_title[:200],
            "matched_account_id": int(found.company.id) if found.company else None,
        },
    )


@dataclass(frozen=True)
class NamedSuccessor:
    email: str
    name: str


def successor_named(alert: Alert) -> NamedSuccessor | None:
    """The successor the departure's automatic reply named, if any."""
    for detail in alert.evidence.filter(kind=SignalKind.DEPARTURE_NOTICE).values_list("detail", flat=True):
        email = str((detail or {}).get("successor_email") or "").strip().lower()
        if email:
            return NamedSuccessor(email, str(detail.get("successor_name") or "").strip())
    return None


def successor_record(*, by, alert: Alert) -> Contact:
    """Record the successor a departure's reply named: the contact with that address at the account, or a new
    contact, set as who replaced the one who left. The customers services check that `by` may change them."""
    from execsponsor.customers import services as customers

    named = successor_named(alert)
    if alert.contact is None or named is None:
        raise InvalidInput("This alert names no successor")
    departed = alert.contact
    with transaction.atomic():
        successor = Contact.objects.filter(account_id=departed.account_id, email__iexact=named.email).first()
        if successor is None:
            first, _, last = (named.name or named.email.split("@")[0].replace(".", " ").title()).rpartition(" ")
            successor = customers.contact_create(
                by=by,
                account=departed.account,
                fields={"first_name": first[:100], "last_name": (last or named.email)[:100], "email": named.email},
            )
        customers.contact_update(contact=departed, by=by, changes={"replaced_by_id": successor.pk})
    return successor
