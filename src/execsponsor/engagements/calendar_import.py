"""Read an iCalendar export (Google, Outlook, Office 365) into plain meetings, expanded inside a window.

Pure Python on `icalendar` and `recurring-ical-events`, no Django: the writer (calendar_services) decides
what to do with each meeting. Time zones come from the file's own VTIMEZONE blocks, so Windows names
("W. Europe Standard Time") and Outlook's "Customized Time Zone" resolve to the offsets the sender used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from dataclasses import dataclass, field

import icalendar
import recurring_ical_events
from icalendar.timezone import tzp

EXTERNAL_ID_LENGTH = 64  # Engagement.external_id
# Meetings do not repeat by the hour: a rule that does would flood the window with thousands of copies.
_SUB_DAILY = frozenset({"SECONDLY", "MINUTELY", "HOURLY"})
_NOT_PEOPLE = frozenset({"RESOURCE", "ROOM"})  # Outlook lists meeting rooms as attendees
# icalendar keeps the zones of the VTIMEZONE blocks it has seen in one process-wide cache, keyed by TZID, so a
# second file's "Customized Time Zone" would get the first file's offsets. Each file is read with a fresh cache.
_ZONE_CACHE_LOCK = threading.Lock()
_MAGIC = {b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"%PDF": "a PDF", b"PK\x03\x04": "a ZIP file"}


class CalendarFileError(Exception):
    """The file as a whole cannot be read: nothing was imported (exit status 2)."""


@dataclass(frozen=True)
class Person:
    email: str  # lower case
    name: str


@dataclass
class Occurrence:
    """One meeting of the calendar: a one-off event or one occurrence of a recurring series."""

    uid: str
    recurrence_id: str  # "" for a one-off event; the original start of the occurrence otherwise
    summary: str
    description: str
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date
    all_day: bool
    cancelled: bool
    organizer: Person | None
    attendees: list[Person]
    sequence: int

    @property
    def key(self) -> str:
        """The engagement's external id: the UID, and the recurrence id for an occurrence of a series."""
        key = f"{self.uid}|{self.recurrence_id}" if self.recurrence_id else self.uid
        if len(key) <= EXTERNAL_ID_LENGTH:
            return key
        # Outlook UIDs alone are over 100 characters; a digest keeps the key stable and unique.
        return "ics:" + hashlib.sha256(key.encode()).hexdigest()[: EXTERNAL_ID_LENGTH - 4]

    @property
    def people(self) -> list[Person]:
        """Attendees and the organizer, each email once."""
        seen: dict[str, Person] = {}
        for person in [*self.attendees, *([self.organizer] if self.organizer else [])]:
            seen.setdefault(person.email, person)
        return list(seen.values())


@dataclass
class BadEvent:
    """An event that was not expanded: broken (an error) or one the importer refuses by rule."""

    uid: str
    summary: str
    reason: str
    broken: bool = True


@dataclass
class ParsedCalendar:
    since: dt.datetime
    until: dt.datetime
    occurrences: list[Occurrence] = field(default_factory=list)
    bad_events: list[BadEvent] = field(default_factory=list)


def parse_calendar(
    content: bytes,
    *,
    since: dt.datetime,
    until: dt.datetime,
    default_tz: dt.tzinfo,
    max_bytes: int,
    max_occurrences: int = 20_000,
) -> ParsedCalendar:
    """The meetings starting in [since, until), recurring series expanded; raise CalendarFileError on a bad file."""
    parsed = ParsedCalendar(since=since, until=until)
    with _ZONE_CACHE_LOCK:
        tzp.use_default()  # forget the zones of the previous file
        calendar = _read(content, max_bytes=max_bytes)
        method_cancels = str(calendar.get("METHOD", "")).upper() == "CANCEL"
        recurring = _set_aside_bad_events(calendar, parsed)
        try:
            components = recurring_ical_events.of(calendar).between(since, until)
        except Exception as error:  # the library raises many kinds; all mean the same to the person importing
            raise CalendarFileError(f"The recurring events in this file cannot be expanded: {error}") from None
    if len(components) > max_occurrences:
        raise CalendarFileError(
            f"The file has {len(components):,} meetings between {since:%Y-%m-%d} and {until:%Y-%m-%d}, more than "
            f"the {max_occurrences:,} one import takes: choose a shorter window (--since/--until)"
        )
    newest: dict[str, Occurrence] = {}
    for component in components:
        occurrence = _occurrence(component, recurring=recurring, default_tz=default_tz, cancelled=method_cancels)
        kept = newest.get(occurrence.key)
        # The same meeting twice in one file (an update pasted after the original): the higher SEQUENCE wins.
        if kept is None or occurrence.sequence >= kept.sequence:
            newest[occurrence.key] = occurrence
    parsed.occurrences = sorted(newest.values(), key=lambda o: (_as_datetime(o.start, default_tz), o.key))
    return parsed


def human_size(size: int) -> str:
    """20 MB, 50.1 MB, 5.2 KB: sizes as people read them (a round limit without decimals)."""
    unit, name = (1_048_576, "MB") if size >= 1_048_576 else (1024, "KB")
    return f"{size // unit} {name}" if size % unit == 0 else f"{size / unit:.1f} {name}"


def too_big(size: int, max_bytes: int) -> str:
    return (
        f"The file is {human_size(size)}; calendar imports take at most {human_size(max_bytes)}. "
        "Export a shorter period."
    )


def _read(content: bytes, *, max_bytes: int) -> icalendar.Calendar:
    if len(content) > max_bytes:
        raise CalendarFileError(too_big(len(content), max_bytes))
    if not content.strip():
        raise CalendarFileError("The file is empty.")
    for magic, what in _MAGIC.items():
        if content.startswith(magic):
            raise CalendarFileError(f"This file is {what}, not a calendar: export the calendar as .ics.")
    if b"\x00" in content[:8192]:
        raise CalendarFileError("This is a binary file, not a calendar: export the calendar as .ics.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise CalendarFileError(
            f"The file is not UTF-8 text (byte 0x{content[error.start]:02X} on line {line}). "
            "iCalendar files are UTF-8: export the calendar again, or save the file as UTF-8."
        ) from None
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise CalendarFileError("This is not an iCalendar file: it must start with BEGIN:VCALENDAR.")
    try:
        return icalendar.Calendar.from_ical(text)
    except Exception as error:  # icalendar raises ValueError, KeyError, IndexError on malformed structure
        raise CalendarFileError(f"The file cannot be read as iCalendar: {error}") from None


def _text(component, name: str) -> str:
    value = component.get(name)
    return str(value).strip() if value is not None else ""


def _problem(event) -> tuple[str, bool] | None:
    """Why `event` cannot be imported (and whether that is a defect of the file), or None."""
    if not _text(event, "UID"):
        return "no UID: the event could not be recognised on the next import", True
    if event.get("DTSTART") is None:
        return "no start time (DTSTART)", True
    if event.errors:
        name, message = event.errors[0]
        return f"unreadable {name}: {message}", True
    for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
        prop = event.get(name)
        if prop is None or isinstance(prop, list):
            continue
        tzid = prop.params.get("TZID")
        moment = prop.dt
        if tzid and isinstance(moment, dt.datetime) and moment.tzinfo is None:
            return f"unknown time zone {tzid!r} in {name}, and the file has no VTIMEZONE for it", True
    start, end = event["DTSTART"].dt, event.get("DTEND")
    if end is not None and type(end.dt) is type(start) and _comparable(end.dt) < _comparable(start):
        return "ends (DTEND) before it starts (DTSTART)", True
    for rule in event.get("RRULE", []) if isinstance(event.get("RRULE"), list) else [event.get("RRULE")]:
        if rule is None:
            continue
        freq = [str(part).upper() for part in rule.get("FREQ", [])]
        several_a_day = any(len(rule.get(part, [])) > 1 for part in ("BYHOUR", "BYMINUTE", "BYSECOND"))
        if _SUB_DAILY.intersection(freq) or several_a_day:
            return "repeats more than once a day; meetings are not imported from such a series", False
    return None


def _comparable(moment):
    if isinstance(moment, dt.datetime) and moment.tzinfo is not None:
        return moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def _set_aside_bad_events(calendar: icalendar.Calendar, parsed: ParsedCalendar) -> set[str]:
    """Remove the events that cannot be expanded (a whole series when one part is bad); the recurring UIDs."""
    events = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    bad: dict[str, BadEvent] = {}
    for event in events:
        uid = _text(event, "UID")
        problem = _problem(event)
        if problem and (uid not in bad or not uid):
            reason, broken = problem
            bad[uid or f"#{len(bad)}"] = BadEvent(
                uid=uid, summary=_text(event, "SUMMARY"), reason=reason, broken=broken
            )
    recurring = set()
    for event in events:
        uid = _text(event, "UID")
        if not uid or uid in bad:
            calendar.subcomponents.remove(event)
        elif any(event.get(name) is not None for name in ("RRULE", "RDATE", "RECURRENCE-ID")):
            recurring.add(uid)
    parsed.bad_events = list(bad.values())
    return recurring


def _person(address, *, skip_non_people: bool) -> Person | None:
    params = getattr(address, "params", {})
    if skip_non_people and (
        str(params.get("CUTYPE", "")).upper() in _NOT_PEOPLE or str(params.get("ROLE", "")).upper() == "NON-PARTICIPANT"
    ):
        return None
    email = str(address).strip()
    if email.lower().startswith("mailto:"):
        email = email[len("mailto:") :]
    email = email.strip().lower()
    if "@" not in email:
        return None
    return Person(email=email, name=str(params.get("CN", "")).strip().strip('"'))


def _people(component) -> list[Person]:
    values = component.get("ATTENDEE", [])
    if not isinstance(values, list):
        values = [values]
    people = (_person(value, skip_non_people=True) for value in values)
    return list({p.email: p for p in people if p is not None}.values())


def _as_datetime(moment: dt.datetime | dt.date, default_tz: dt.tzinfo) -> dt.datetime:
    if isinstance(moment, dt.datetime):
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=default_tz)
    return dt.datetime.combine(moment, dt.time(), tzinfo=default_tz)


def _recurrence_id(moment: dt.datetime | dt.date) -> str:
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is None:
            return moment.strftime("%Y%m%dT%H%M%S")
        return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return moment.strftime("%Y%m%d")


def _occurrence(component, *, recurring: set[str], default_tz: dt.tzinfo, cancelled: bool) -> Occurrence:
    uid = _text(component, "UID")
    start = component["DTSTART"].dt
    all_day = not isinstance(start, dt.datetime)
    if component.get("DTEND") is not None:
        end = component["DTEND"].dt
    elif component.get("DURATION") is not None:
        end = start + component["DURATION"].dt
    else:
        end = start
    if not all_day:
        # Floating times (no zone) are read in the importer's zone; everything is kept as an aware datetime.
        start = _as_datetime(start, default_tz)
        end = _as_datetime(end, default_tz) if isinstance(end, dt.datetime) else start
    recurrence = component.get("RECURRENCE-ID")
    organizer = component.get("ORGANIZER")
    sequence = component.get("SEQUENCE")
    return Occurrence(
        uid=uid,
        recurrence_id=_recurrence_id(recurrence.dt) if uid in recurring and recurrence is not None else "",
        summary=_text(component, "SUMMARY"),
        description=_text(component, "DESCRIPTION"),
        start=start,
        end=end,
        all_day=all_day,
        cancelled=cancelled or _text(component, "STATUS").upper() == "CANCELLED",
        organizer=_person(organizer, skip_non_people=False) if organizer is not None else None,
        attendees=_people(component),
        sequence=int(sequence) if isinstance(sequence, int) else 0,
    )
