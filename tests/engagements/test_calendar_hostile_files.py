"""Calendar files that are broken, huge or not calendars at all: a clear message, never a crash."""

from __future__ import annotations

import time

import pytest

from execsponsor.common.constraints import Source
from execsponsor.engagements.models import Engagement
from tests.engagements.calendar_support import WINDOW
from tests.exchange.importing_support import esp

pytestmark = pytest.mark.django_db

HEADER = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//ExecSponsor tests//EN\r\n"
FOOTER = "END:VCALENDAR\r\n"


def meeting(uid: str, start: str = "20260310T150000Z", *, extra: str = "", summary: str = "Northwind review") -> str:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTART:{start}" if start else "",
        f"SUMMARY:{summary}",
        "ATTENDEE;CN=Priya Rao:mailto:priya.rao@ourco.example",
        "ATTENDEE;CN=Kofi Osei:mailto:k.osei@northwind.example",
        extra,
        "END:VEVENT",
    ]
    return "".join(f"{line}\r\n" for line in lines if line)


def write(tmp_path, content: bytes | str, name: str = "cal.ics"):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def run(path, *options):
    return esp("import", "calendar", path, "--json", *WINDOW, *options)


def test_missing_dtstart_is_skipped_with_its_reason_and_blocks_the_import_until_skipped(calendar_company, tmp_path):
    path = write(tmp_path, HEADER + meeting("good-1") + meeting("no-start", start="", summary="Lost") + FOOTER)
    outcome = run(path)
    assert outcome.exit_code == 1
    report = outcome.report
    assert {"uid": "no-start", "summary": "Lost", "reason": "no start time (DTSTART)", "occurrences": 1} in report[
        "skipped"
    ]
    assert report["errors"] == [{"uid": "no-start", "summary": "Lost", "message": "no start time (DTSTART)"}]
    # The contract: bad items found, nothing written unless asked to go on without them.
    assert (report["written"], Engagement.objects.filter(source=Source.CALENDAR).count()) == (False, 0)

    again = run(path, "--skip-bad-events")
    assert again.exit_code == 1
    assert again.report["written"] is True
    assert list(Engagement.objects.filter(source=Source.CALENDAR).values_list("external_id", flat=True)) == ["good-1"]


def test_unreadable_dates_and_unknown_time_zones_are_errors_not_crashes(calendar_company, tmp_path):
    content = (
        HEADER
        + meeting("bad-date", start="2026031")
        + "BEGIN:VEVENT\r\nUID:no-zone\r\nDTSTART;TZID=Atlantis/Capital:20260310T100000\r\nSUMMARY:Where\r\n"
        "ATTENDEE:mailto:k.osei@northwind.example\r\nEND:VEVENT\r\n"
        + meeting("backwards", extra="DTEND:20260310T140000Z")
        + FOOTER
    )
    report = run(write(tmp_path, content)).report
    messages = {error["uid"]: error["message"] for error in report["errors"]}
    assert messages["bad-date"].startswith("unreadable DTSTART")
    assert messages["no-zone"] == (
        "unknown time zone 'Atlantis/Capital' in DTSTART, and the file has no VTIMEZONE for it"
    )
    assert messages["backwards"] == "ends (DTEND) before it starts (DTSTART)"


def test_a_ten_year_daily_series_is_expanded_only_inside_the_window_and_fast(calendar_company, tmp_path):
    rule = "RRULE:FREQ=DAILY;UNTIL=20341231T150000Z"
    path = write(tmp_path, HEADER + meeting("daily-10y", start="20250101T150000Z", extra=rule) + FOOTER)
    started = time.perf_counter()
    outcome = run(path, "--dry-run")
    elapsed = time.perf_counter() - started
    assert outcome.exit_code == 0, outcome.stdout
    assert outcome.report["events"] == 365  # every day of 2026, the window
    assert outcome.report["created"] == 365
    assert elapsed < 15.0  # a guard against expanding the whole series, not a benchmark (a busy machine)


def test_an_hourly_series_is_refused_by_rule_not_expanded(calendar_company, tmp_path):
    path = write(tmp_path, HEADER + meeting("every-second", extra="RRULE:FREQ=SECONDLY") + FOOTER)
    started = time.perf_counter()
    report = run(path).report
    assert time.perf_counter() - started < 2.0
    assert report["skipped"] == [
        {
            "uid": "every-second",
            "summary": "Northwind review",
            "reason": "repeats more than once a day; meetings are not imported from such a series",
            "occurrences": 1,
        }
    ]
    assert report["errors"] == []


def test_a_file_above_the_size_limit_is_refused_before_it_is_read(calendar_company, tmp_path):
    path = tmp_path / "huge.ics"
    filler = ("X-FILLER:" + "a" * 1013 + "\r\n").encode()  # 1 KiB a line
    with path.open("wb") as stream:
        stream.write(HEADER.encode())
        for _ in range(50 * 1024):  # 50 MB
            stream.write(filler)
        stream.write(FOOTER.encode())
    outcome = run(path)
    assert outcome.exit_code == 2
    message = outcome.report["errors"][0]["message"]
    assert "calendar imports take at most 20 MB" in message
    assert "The file is 50.0 MB" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            (HEADER + meeting("latin", summary="Müller & Söhne") + FOOTER).encode("latin-1"),
            "The file is not UTF-8 text (byte 0xFC on line 7)",
        ),
        (bytes(range(256)) * 40, "This is a binary file, not a calendar"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, "This file is a PNG image, not a calendar"),
        (b"Subject,Start Date\r\nLunch,2026-03-10\r\n", "This is not an iCalendar file"),
        (b"", "The file is empty."),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n", "The file cannot be read as iCalendar"),
    ],
    ids=["latin-1", "garbage", "png", "csv", "empty", "truncated"],
)
def test_files_that_are_not_utf8_calendars_exit_2_with_a_clear_message(calendar_company, tmp_path, content, expected):
    outcome = run(write(tmp_path, content))
    assert outcome.exit_code == 2, outcome.stdout
    assert expected in outcome.report["errors"][0]["message"]
    assert Engagement.objects.count() == 0


def test_a_missing_file_and_a_bad_date_option_are_usage_errors(calendar_company, tmp_path):
    outcome = run(tmp_path / "nowhere.ics")
    assert outcome.exit_code == 2
    assert "cannot read" in outcome.report["errors"][0]["message"]
    bad_option = esp("import", "calendar", write(tmp_path, HEADER + FOOTER), "--since", "March")
    assert bad_option.exit_code == 2


def test_two_files_with_different_customized_time_zones_each_keep_their_own(calendar_company, tmp_path):
    def with_zone(offset: str) -> str:
        zone = (
            "BEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
            f"TZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
        )
        event = meeting("zoned", start="", extra="DTSTART;TZID=Customized Time Zone:20260310T120000")
        return HEADER + zone + event + FOOTER

    first = run(write(tmp_path, with_zone("+0530"), "first.ics"), "--dry-run").report
    second = run(write(tmp_path, with_zone("-0300"), "second.ics"), "--dry-run").report
    # 12:00 at +05:30 is 06:30 UTC; 12:00 at -03:00 is 15:00 UTC.
    assert first["meetings"][0]["start"] == "2026-03-10T12:00:00+05:30"
    assert second["meetings"][0]["start"] == "2026-03-10T12:00:00-03:00"


def test_floating_times_are_read_in_the_calendars_x_wr_timezone(calendar_company, tmp_path):
    content = HEADER + "X-WR-TIMEZONE:Asia/Tokyo\r\n" + meeting("floating", start="20260310T100000") + FOOTER
    report = run(write(tmp_path, content), "--dry-run").report
    assert report["meetings"][0]["start"] == "2026-03-10T10:00:00+09:00"


def test_a_windows_zone_name_without_vtimezone_is_still_understood(calendar_company, tmp_path):
    event = meeting("windows", start="", extra="DTSTART;TZID=Tokyo Standard Time:20260710T100000")
    report = run(write(tmp_path, HEADER + event + FOOTER), "--dry-run").report
    assert report["meetings"][0]["start"] == "2026-07-10T10:00:00+09:00"


def test_more_meetings_in_the_window_than_the_limit_is_refused(calendar_company, tmp_path, settings):
    settings.CALENDAR_IMPORT_MAX_MEETINGS = 100
    path = write(tmp_path, HEADER + meeting("daily", start="20260101T090000Z", extra="RRULE:FREQ=DAILY") + FOOTER)
    outcome = run(path)
    assert outcome.exit_code == 2
    assert (
        "The file has 365 meetings between 2026-01-01 and 2027-01-01, more than the 100"
        in (outcome.report["errors"][0]["message"])
    )
