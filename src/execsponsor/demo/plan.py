"""The shape of the demo company: how many of everything for N accounts, and seeded random streams.

Each stage draws from its own generator, seeded by (seed, N, stage), so changing one stage does not
shift the numbers of another, and the same seed and N always give the same company.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field

import numpy as np

DEFAULT_ACCOUNTS = 2000
DEFAULT_SEED = 42
DEMO_PASSWORD = "execsponsor-demo"  # noqa: S105 - printed on screen on purpose; demo data only
HISTORY_DAYS = 730
# Above this many accounts, engagements grow with the square root of the extra accounts (see docs/demo.md).
LINEAR_ENGAGEMENTS_UP_TO = 10_000
ENGAGEMENTS_PER_ACCOUNT = 75


def stream(seed: int, accounts: int, stage: str) -> np.random.Generator:
    """An independent, reproducible random generator for one stage."""
    return np.random.default_rng([seed, accounts, zlib.crc32(stage.encode())])


def engagement_target(accounts: int) -> int:
    """75 engagements per account up to 10,000 accounts; beyond that the rate falls with sqrt(N/10,000)."""
    if accounts <= LINEAR_ENGAGEMENTS_UP_TO:
        return ENGAGEMENTS_PER_ACCOUNT * accounts
    return int(ENGAGEMENTS_PER_ACCOUNT * accounts * (LINEAR_ENGAGEMENTS_UP_TO / accounts) ** 0.5)


@dataclass(frozen=True)
class DemoSize:
    accounts: int
    executives: int
    account_executives: int
    csms: int
    sponsored: int
    champion_departures: int
    followed_champions: int
    single_threaded: int
    overloaded_executives: int
    cadence_overdue: int
    cadence_at_risk: int
    health_drops: int
    engagements: int

    @classmethod
    def for_accounts(cls, accounts: int) -> DemoSize:
        if accounts < 40:
            raise ValueError("the demo company needs at least 40 accounts")
        scale = accounts / DEFAULT_ACCOUNTS
        departures = min(12, max(2, accounts // 30))
        sponsored = max(round(0.075 * accounts), 14)
        return cls(
            accounts=accounts,
            executives=max(12, round(60 * scale)),
            account_executives=max(6, round(40 * scale)),
            csms=max(4, round(30 * scale)),
            sponsored=sponsored,
            champion_departures=departures,
            followed_champions=min(3, max(1, departures // 4)),
            single_threaded=max(2, round(0.015 * accounts)),
            overloaded_executives=min(4, max(1, sponsored // 25)),
            cadence_overdue=max(2, round(0.04 * sponsored)),
            cadence_at_risk=max(2, round(0.03 * sponsored)),
            health_drops=max(2, round(0.005 * accounts)),
            engagements=engagement_target(accounts),
        )


@dataclass
class Company:
    """Everything generated so far, as NumPy arrays indexed by position (id = position + 1)."""

    size: DemoSize
    seed: int
    as_of: dt.date
    users: dict[str, list[int]] = field(default_factory=dict)  # role -> user ids
    sign_in: dict[str, str] = field(default_factory=dict)  # role -> username
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    truth: dict[str, object] = field(default_factory=dict)
    sponsorships: list[dict[str, object]] = field(default_factory=list)
    _iso: dict[int, str] = field(default_factory=dict, repr=False)

    def rng(self, stage: str) -> np.random.Generator:
        return stream(self.seed, self.size.accounts, stage)

    def day(self, days_ago: int) -> dt.date:
        return self.as_of - dt.timedelta(days=int(days_ago))

    def iso(self, days_ago: int) -> str:
        """The ISO date `days_ago` days before the as-of date (negative: in the future); cached."""
        text = self._iso.get(days_ago)
        if text is None:
            text = self._iso[days_ago] = self.day(days_ago).isoformat()
        return text


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarters_before(day: dt.date, count: int) -> list[tuple[int, int]]:
    """The `count` complete quarters before the one containing `day`, oldest first."""
    year, quarter = quarter_of(day)
    out = []
    for _ in range(count):
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        out.append((year, quarter))
    return out[::-1]


def quarter_start(year: int, quarter: int) -> dt.date:
    return dt.date(year, 3 * (quarter - 1) + 1, 1)


def date_strings(as_of: dt.date, days: int) -> list[str]:
    """ISO strings for as_of minus 0..days-1 days, indexed by days ago."""
    return [(as_of - dt.timedelta(days=d)).isoformat() for d in range(days)]
