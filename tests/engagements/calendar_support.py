"""Where the calendar fixtures are, and the window every calendar test names."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "calendar"
GOOGLE = FIXTURES / "google.ics"
OUTLOOK = FIXTURES / "outlook.ics"
# Every test names its window: the fixtures' meetings are in 2026 whatever the day the tests run.
WINDOW = ("--since", "2026-01-01", "--until", "2027-01-01")
