"""Calendar import as a use case: plan what an .ics file means for our accounts, then write it in one transaction.

A meeting becomes an engagement of the account its external attendees belong to, with both sides as
participants, `rubric_pending` set (it does not count until the sponsor fills in the rubric) and
`source=calendar`, `external_id` = UID (+ recurrence id): a re-import creates nothing, a changed event updates.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from execsponsor.access.rules import can
from execsponsor.access.visibility import editable_accounts
from execsponsor.common.constraints import Source
from execsponsor.common.editing import validate_and_attribute
from execsponsor.common.errors import NotPermitted
from execsponsor.customers.models import Account, Contact
from execsponsor.customers.services import ensure_can_change_account_records
from execsponsor.engagements.calendar_import import (
    CalendarFileError,
    Occurrence,
    ParsedCalendar,
    Person,
    parse_calendar,
)
from execsponsor.engagements.models import (
    RUBRIC_FIELDS,
    Engagement,
    EngagementAttendee,
    EngagementContact,
    EngagementKind,
)
from execsponsor.engagements.services import ensure_can_log_engagements
from execsponsor.program.models import Sponsorship
from execsponsor.users.models import User

__all__ = [
    "CalendarFileError",
    "CalendarImportReport",
    "calendar_import",
    "default_window",
    "engagement_rubric_fill",
]

PAST_DAYS, FUTURE_DAYS = 365, 90


def default_window(now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The last year and the next quarter: what a sponsor's rubric and cadence care about."""
    now = now or timezone.now()
    return now - dt.timedelta(days=PAST_DAYS), now + dt.timedelta(days=FUTURE_DAYS)


@dataclass
class CalendarImportReport:
    file_name: str
    since: dt.datetime
    until: dt.datetime
    dry_run: bool
    events: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    contacts_created: int = 0
    written: bool = False
    skipped: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    unmatched_attendees: list[str] = field(default_factory=list)
    proposed_contacts: list[dict] = field(default_factory=list)
    meetings: list[dict] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    def as_dict(self) -> dict:
        return {
            "file": self.file_name,
            "window": {"since": self.since.isoformat(), "until": self.until.isoformat()},
            "dry_run": self.dry_run,
            "written": self.written,
            "events": self.events,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "contacts_created": self.contacts_created,
            "skipped": self.skipped,
            "unmatched_attendees": self.unmatched_attendees,
            "proposed_contacts": self.proposed_contacts,
            "errors": self.errors,
            "meetings": self.meetings,
        }


def ensure_can_import_calendar(by: User) -> None:
    """The program owner and admins import anyone's calendar; AE, CSM and sponsors their own (their accounts)."""
    if by is None:
        raise NotPermitted("A calendar import acts as a real user: name one (the command line uses the system user)")
    if not (can(by, "execsponsor.import_data") or can(by, "execsponsor.import_calendar")):
        raise NotPermitted("Your role is read-only: you cannot import a calendar")


def calendar_import(
    *,
    content: bytes,
    file_name: str,
    by: User,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    dry_run: bool = False,
    skip_bad_events: bool = False,
    create_contacts: Iterable[str] = (),
) -> CalendarImportReport:
    """Import the meetings of `content` (or only plan them with `dry_run`); `by` None is the command line.

    Broken events are errors: without `skip_bad_events` nothing is written when there is one. The emails in
    `create_contacts` (proposals of a preview) become contacts of their account first, then take part."""
    ensure_can_import_calendar(by)
    default_since, default_until = default_window()
    since, until = since or default_since, until or default_until
    if since >= until:
        raise CalendarFileError("The window is empty: its first day (--since) must come before its end (--until).")
    tz = _zone_of(by)
    parsed = parse_calendar(
        content,
        since=since,
        until=until,
        default_tz=tz,
        max_bytes=settings.CALENDAR_IMPORT_MAX_BYTES,
        max_occurrences=settings.CALENDAR_IMPORT_MAX_MEETINGS,
    )
    report = CalendarImportReport(file_name=file_name, since=since, until=until, dry_run=dry_run)
    try:
        with transaction.atomic():
            # A dry run walks the same path and rolls back, so the preview counts are exactly what a commit does.
            wanted = {email.strip().lower() for email in create_contacts if email.strip()}
            if wanted:
                report.contacts_created = _create_contacts(wanted, by=by, parsed=parsed)
            _Planner(by=by, parsed=parsed, report=report).run()
            blocked = report.has_errors and not skip_bad_events
            if dry_run or blocked:
                transaction.set_rollback(True)
            else:
                report.written = True
    except IntegrityError:
        # Two imports of the same meetings at the same moment: the second finds the first's rows taken.
        raise CalendarFileError(
            "Another import wrote the same meetings at the same time; nothing was written. Run it again."
        ) from None
    return report


def _zone_of(by: User) -> dt.tzinfo:
    """Floating times are the importer's local times: their own zone, else the server's."""
    for name in (getattr(by, "time_zone", ""), settings.TIME_ZONE):
        if not name:
            continue
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
    return dt.UTC


def _domains_of(email: str) -> list[str]:
    """mail.blue.example → mail.blue.example, blue.example (an account's domain may be the parent)."""
    host = email.rpartition("@")[2]
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


def _our_domains() -> set[str]:
    configured = {d.lower().lstrip("@") for d in settings.OUR_EMAIL_DOMAINS}
    if configured:
        return configured
    emails = User.objects.filter(is_active=True).exclude(email="").values_list("email", flat=True)
    return {email.rpartition("@")[2].lower() for email in emails if "@" in email}


class _Planner:
    """Reads everything once (users, contacts, accounts by domain, existing engagements), then decides per meeting."""

    def __init__(self, *, by: User, parsed: ParsedCalendar, report: CalendarImportReport, write: bool = True):
        self.by, self.parsed, self.report, self.write = by, parsed, report, write
        meetings = [o for o in parsed.occurrences if not o.cancelled and not o.all_day]
        emails = {p.email for o in meetings for p in o.people}
        self.users = {
            u.email_lower: u for u in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
        }
        self.our_domains = _our_domains()
        self.contacts: dict[str, list[Contact]] = {}
        for contact in (
            Contact.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=emails)
            .select_related("account")
            .order_by("pk")
        ):
            self.contacts.setdefault(contact.email_lower, []).append(contact)
        domains = {d for email in emails for d in _domains_of(email)}
        self.accounts_by_domain: dict[str, list[Account]] = {}
        for account in Account.objects.annotate(domain_lower=Lower("domain")).filter(domain_lower__in=domains):
            self.accounts_by_domain.setdefault(account.domain_lower, []).append(account)
        self.editable = set(editable_accounts(by).values_list("pk", flat=True))
        keys = [o.key for o in parsed.occurrences]
        self.existing = {
            e.external_id: e
            for e in Engagement.objects.filter(source=Source.CALENDAR, external_id__in=keys).prefetch_related(
                "engagementcontact_set", "engagementattendee_set"
            )
        }
        self.skips: dict[tuple[str, str], dict] = {}
        self.sponsorships: dict[int, list[Sponsorship]] = {}
        self.to_create: list[tuple[Engagement, list[int], list[int]]] = []
        self.contact_links: list[EngagementContact] = []
        self.attendee_links: list[EngagementAttendee] = []
        self.unmatched: dict[str, Person] = {}

    # -- reading ---------------------------------------------------------------------------------------------

    def _is_ours(self, person: Person) -> bool:
        return person.email in self.users or person.email.rpartition("@")[2] in self.our_domains

    def _account_by_domain(self, email: str) -> Account | None:
        for domain in _domains_of(email):
            accounts = self.accounts_by_domain.get(domain, [])
            if len(accounts) == 1:
                return accounts[0]
            if accounts:
                return None  # two accounts share the domain: no guess
        return None

    def _skip(self, occurrence: Occurrence, reason: str) -> None:
        entry = self.skips.get((occurrence.uid, reason))
        if entry is None:
            entry = {"uid": occurrence.uid, "summary": occurrence.summary, "reason": reason, "occurrences": 0}
            self.skips[(occurrence.uid, reason)] = entry
            self.report.skipped.append(entry)
        entry["occurrences"] += 1

    def _account_for(self, external: list[Person]) -> tuple[Account | None, str]:
        tally: Counter[int] = Counter()
        accounts: dict[int, Account] = {}
        for person in external:
            for contact in self.contacts.get(person.email, []):
                accounts[contact.account_id] = contact.account
            for account_id in {c.account_id for c in self.contacts.get(person.email, [])}:
                tally[account_id] += 1
        if not tally:
            for person in external:
                account = self._account_by_domain(person.email)
                if account is not None:
                    accounts[account.pk] = account
                    tally[account.pk] += 1
        if not tally:
            emails = ", ".join(p.email for p in external)
            return None, f"no account matches the external attendees ({emails})"
        ranked = tally.most_common()
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            names = ", ".join(sorted(accounts[pk].name for pk, n in ranked if n == ranked[0][1]))
            return None, f"the attendees belong to several accounts ({names}); log this one by hand"
        return accounts[ranked[0][0]], ""

    def run(self) -> None:
        report = self.report
        for bad in self.parsed.bad_events:
            entry = {"uid": bad.uid, "summary": bad.summary, "reason": bad.reason, "occurrences": 1}
            report.skipped.append(entry)
            if bad.broken:
                report.errors.append({"uid": bad.uid, "summary": bad.summary, "message": bad.reason})
        for occurrence in self.parsed.occurrences:
            report.events += 1
            self._plan(occurrence)
        if self.write:
            self.flush()
        report.unmatched_attendees = sorted(self.unmatched)
        for email in report.unmatched_attendees:
            account = self._account_by_domain(email)
            if account is not None and self._may_add_contacts(account):
                report.proposed_contacts.append(
                    {
                        "email": email,
                        "name": self.unmatched[email].name,
                        "account": account.name,
                        "account_id": account.pk,
                    }
                )

    def _may_add_contacts(self, account: Account) -> bool:
        """Contacts are account records: the program roles, the AE and the CSM add them, not the sponsor."""
        try:
            ensure_can_change_account_records(by=self.by, account=account)
        except NotPermitted:
            return False
        return True

    def _plan(self, occurrence: Occurrence) -> None:
        existing = self.existing.get(occurrence.key)
        if occurrence.cancelled:
            self._skip(occurrence, "cancelled")
            if self.write and existing is not None and existing.rubric_pending:
                # The meeting did not take place: the imported copy, still waiting for its rubric, goes too.
                existing._history_user = self.by
                existing.delete()
                self.report.removed += 1
            return
        if occurrence.all_day:
            self._skip(occurrence, "all-day event (not a meeting)")
            return
        if not occurrence.attendees:
            self._skip(occurrence, "no attendees")
            return
        people = occurrence.people
        external = [p for p in people if not self._is_ours(p)]
        if not external:
            self._skip(occurrence, "internal only: every attendee is one of our people")
            return
        for person in external:
            if person.email not in self.contacts:
                self.unmatched.setdefault(person.email, person)
        account, why = self._account_for(external)
        if account is None:
            self._skip(occurrence, why)
            return
        if account.pk not in self.editable:
            self._skip(occurrence, f"{account.name} is not one of your accounts")
            return
        contact_ids = sorted(
            {c.pk for p in external for c in self.contacts.get(p.email, []) if c.account_id == account.pk}
        )
        users = [self.users[p.email] for p in people if p.email in self.users and self.users[p.email].is_active]
        if self.write:
            self._write(occurrence, existing, account=account, contact_ids=contact_ids, users=users)

    # -- writing (rolled back on a dry run) --------------------------------------------------------------------

    def _owner(self, occurrence: Occurrence, users: list[User]) -> User | None:
        organizer = occurrence.organizer and self.users.get(occurrence.organizer.email)
        if organizer is not None and organizer.is_active:
            return organizer
        if not self.by.is_system:
            return self.by
        return users[0] if users else None  # imported from the command line: the first of our people there

    def _sponsorship(self, account_id: int, user_ids: list[int]) -> Sponsorship | None:
        """The live sponsorship of the account whose sponsor is at the meeting."""
        if account_id not in self.sponsorships:
            self.sponsorships[account_id] = list(
                Sponsorship.objects.live().filter(account_id=account_id).select_related("executive").order_by("pk")
            )
        return next((s for s in self.sponsorships[account_id] if s.executive.user_id in user_ids), None)

    def _write(
        self, occurrence: Occurrence, existing: Engagement | None, *, account, contact_ids: list[int], users: list[User]
    ) -> None:
        # The values come from the parser, already bounded (subject cut, end not before start, external id free:
        # `existing` is the one engagement with it), so the model's full_clean — a query per constraint and
        # meeting — is not run: a year of daily meetings imports in a fraction of a second.
        user_ids = sorted({u.pk for u in users})
        fields = {
            "account_id": account.pk,
            "subject": (occurrence.summary or "(no title)")[:255],
            "occurred_at": occurrence.start,
            "ends_at": occurrence.end if occurrence.end != occurrence.start else None,
        }
        if existing is None:
            engagement = Engagement(
                source=Source.CALENDAR,
                external_id=occurrence.key,
                kind=EngagementKind.MEETING,
                owner=self._owner(occurrence, users),
                sponsorship=self._sponsorship(account.pk, user_ids),
                notes=occurrence.description,
                rubric_pending=True,
                **fields,
            )
            self.to_create.append((engagement, contact_ids, user_ids))
            self.report.created += 1
            self._describe(occurrence, engagement, account, "create")
            return
        changed = [name for name, value in fields.items() if getattr(existing, name) != value]
        same_people = contact_ids == sorted(c.contact_id for c in existing.engagementcontact_set.all()) and (
            user_ids == sorted(a.user_id for a in existing.engagementattendee_set.all())
        )
        if not changed and same_people:
            self.report.unchanged += 1
            self._describe(occurrence, existing, account, "unchanged")
            return
        if changed:
            for name in changed:
                setattr(existing, name, fields[name])
            existing._history_user = self.by
            existing.save()
        EngagementContact.objects.filter(engagement=existing).delete()
        EngagementAttendee.objects.filter(engagement=existing).delete()
        self._link(existing, contact_ids, user_ids)
        self.report.updated += 1
        self._describe(occurrence, existing, account, "update")

    def _link(self, engagement: Engagement, contact_ids: list[int], user_ids: list[int]) -> None:
        self.contact_links += [EngagementContact(engagement=engagement, contact_id=pk) for pk in contact_ids]
        self.attendee_links += [EngagementAttendee(engagement=engagement, user_id=pk) for pk in user_ids]

    def flush(self) -> None:
        """Write the new engagements (with their history rows) and every participant in a few statements."""
        engagements = [engagement for engagement, _, _ in self.to_create]
        if engagements:
            bulk_create_with_history(engagements, Engagement, batch_size=500, default_user=self.by)
            # bulk_create_with_history sets primary keys on backends that return them; fetch them otherwise.
            if any(e.pk is None for e in engagements):
                ids = dict(
                    Engagement.objects.filter(
                        source=Source.CALENDAR, external_id__in=[e.external_id for e in engagements]
                    ).values_list("external_id", "pk")
                )
                for engagement in engagements:
                    engagement.pk = ids[engagement.external_id]
        for engagement, contact_ids, user_ids in self.to_create:
            self._link(engagement, contact_ids, user_ids)
        EngagementContact.objects.bulk_create(self.contact_links, batch_size=1000)
        EngagementAttendee.objects.bulk_create(self.attendee_links, batch_size=1000)
        self.to_create, self.contact_links, self.attendee_links = [], [], []

    def _describe(self, occurrence: Occurrence, engagement: Engagement, account: Account, action: str) -> None:
        self.report.meetings.append(
            {
                "uid": occurrence.uid,
                "recurrence_id": occurrence.recurrence_id,
                "subject": engagement.subject,
                "start": occurrence.start.isoformat(),
                "account": account.name,
                "action": action,
            }
        )


def _create_contacts(emails: set[str], *, by: User, parsed: ParsedCalendar) -> int:
    """New contacts for the proposed attendees in `emails`: only proposals (a known domain, an editable account)."""
    scratch = CalendarImportReport(file_name="", since=parsed.since, until=parsed.until, dry_run=True)
    _Planner(by=by, parsed=parsed, report=scratch, write=False).run()
    proposals = [p for p in scratch.proposed_contacts if p["email"] in emails]
    for proposal in proposals:
        first, last = _split_name(proposal["name"], proposal["email"])
        contact = Contact(
            account_id=proposal["account_id"], first_name=first[:100], last_name=last[:100], email=proposal["email"]
        )
        validate_and_attribute(contact, by=by)
        contact.save()
    return len(proposals)


def _split_name(name: str, email: str) -> tuple[str, str]:
    """ "Schäfer, Jonas" (Outlook) and "Jonas Schäfer" (Google) → (Jonas, Schäfer); no name: the email's local part."""
    name = name.strip()
    if "," in name:
        last, _, first = name.partition(",")
        return first.strip(), last.strip()
    if " " in name:
        first, _, last = name.rpartition(" ")
        return first.strip(), last.strip()
    return "", name or email.partition("@")[0]


@transaction.atomic
def engagement_rubric_fill(*, by: User, engagement: Engagement, answers: dict[str, bool]) -> Engagement:
    """The sponsor answers the rubric of an imported meeting: it stops waiting, and counts if the answers say so."""
    engagement = Engagement.objects.select_for_update().select_related("account").get(pk=engagement.pk)
    ensure_can_log_engagements(by=by, account=engagement.account)
    for name in RUBRIC_FIELDS:
        setattr(engagement, name, bool(answers.get(name)))
    engagement.rubric_pending = False
    engagement._history_user = by
    engagement.save()  # Engagement.save computes `counts` from the rubric
    return engagement
