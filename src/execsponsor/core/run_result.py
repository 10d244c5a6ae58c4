"""A matching run's result, typed: the document `program/matching/explain.py` writes from `core.matching.match`.

A `MatchingRun` keeps that document as JSON in `result`; `RunResult.from_dict` reads it back into frozen
dataclasses, so services, views and templates read attributes instead of indexing a dict. It tolerates older
documents: a missing key takes its default, a key it does not know is ignored, and anything but a dict reads
as an empty result. The stored JSON (and the API, which returns it as it is) does not change.

Pure: no Django, no database.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

KEEP, REASSIGN, END, ADD = "keep", "reassign", "end", "add"
CHANGE_KINDS = (KEEP, REASSIGN, END, ADD)


@dataclass(frozen=True)
class RunPair:
    """An account and the executive this run gives it, with the fit and how it differs from today."""

    account_id: int
    executive_id: int
    account: str = ""  # the external id where there is one
    account_name: str = ""
    executive: str = ""
    executive_name: str = ""
    score: float = 0.0
    points: Mapping[str, float] = field(default_factory=dict)
    reasons: tuple[str, ...] = ()
    change: str = KEEP  # keep, reassign or add
    grandfathered: tuple[str, ...] = ()  # the rules it breaks that were introduced since it began
    current_executive_name: str | None = None  # today's sponsor, on a reassignment


@dataclass(frozen=True)
class Unassigned:
    account_id: int
    account: str = ""
    account_name: str = ""
    reason: str = ""


@dataclass(frozen=True)
class ExecutiveLoad:
    """An executive's load after the run (everything that would be live) against their capacity."""

    executive_id: int
    executive: str = ""
    executive_name: str = ""
    capacity_min: int = 0
    capacity_max: int = 0
    load: int = 0
    live_today: int | None = None  # absent from older runs


@dataclass(frozen=True)
class BelowMinimum:
    executive_id: int
    executive: str = ""
    executive_name: str = ""
    load: int = 0
    capacity_min: int = 0
    reason: str = ""


@dataclass(frozen=True)
class PlanRow:
    """The run's decision about one live sponsorship: keep, reassign (to whom) or end, and why."""

    sponsorship_id: int
    account_id: int
    executive_id: int
    change: str  # keep, reassign or end
    account_name: str = ""
    executive_name: str = ""
    to_executive_id: int | None = None
    to_executive_name: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class EnforcingRule:
    """What enforcing one hard rule on live sponsorships would do."""

    rule: str
    sponsorships: int = 0
    text: str = ""


@dataclass(frozen=True)
class ChangeCounts:
    keep: int = 0
    reassign: int = 0
    end: int = 0
    add: int = 0

    @property
    def changed(self) -> int:
        return self.reassign + self.end + self.add


Row = TypeVar("Row")


def _row(cls: type[Row], data: Any) -> Row:
    """One row from its dict: the fields it has, the defaults for the rest, lists as tuples."""
    data = data if isinstance(data, Mapping) else {}
    values = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in data:
            value = data[f.name]
            values[f.name] = tuple(value) if isinstance(value, list) else value
    return cls(**values)


def _rows(cls: type[Row], data: Any) -> tuple[Row, ...]:
    return tuple(_row(cls, item) for item in data) if isinstance(data, list) else ()


@dataclass(frozen=True)
class RunResult:
    """A matching run's result: the pairs, the unassigned accounts, each executive's load, and the plan for
    every live sponsorship (keep, reassign, end) with the new pairs to add."""

    status: str = ""
    objective: float | None = None
    pairs: tuple[RunPair, ...] = ()
    unassigned: tuple[Unassigned, ...] = ()
    executives: tuple[ExecutiveLoad, ...] = ()
    below_minimum: tuple[BelowMinimum, ...] = ()
    sponsorships: tuple[PlanRow, ...] = ()  # a decision for every live sponsorship (empty unless optimal)
    changes: ChangeCounts = ChangeCounts()
    enforcing: tuple[EnforcingRule, ...] = ()
    enforced_on_live: bool = False
    infeasible_because: tuple[str, ...] = ()
    selection_draw: Mapping[str, Any] | None = None  # the boundary draw's document, when the shortlist drew one

    @classmethod
    def from_dict(cls, data: Any) -> RunResult:
        if not isinstance(data, Mapping):
            return cls()
        counts = data.get("changes")
        counts = counts if isinstance(counts, Mapping) else {}
        return cls(
            status=data.get("status", ""),
            objective=data.get("objective"),
            pairs=_rows(RunPair, data.get("pairs")),
            unassigned=_rows(Unassigned, data.get("unassigned")),
            executives=_rows(ExecutiveLoad, data.get("executives")),
            below_minimum=_rows(BelowMinimum, data.get("below_minimum")),
            sponsorships=_rows(PlanRow, data.get("sponsorships")),
            changes=ChangeCounts(**{kind: int(counts.get(kind, 0)) for kind in CHANGE_KINDS}),
            enforcing=_rows(EnforcingRule, data.get("enforcing")),
            enforced_on_live=bool(data.get("enforced_on_live", False)),
            infeasible_because=tuple(data.get("infeasible_because") or ()),
            selection_draw=data.get("selection_draw") or None,
        )

    # The plan, by kind of change.
    @property
    def keep(self) -> tuple[PlanRow, ...]:
        return tuple(d for d in self.sponsorships if d.change == KEEP)

    @property
    def reassign(self) -> tuple[PlanRow, ...]:
        return tuple(d for d in self.sponsorships if d.change == REASSIGN)

    @property
    def end(self) -> tuple[PlanRow, ...]:
        return tuple(d for d in self.sponsorships if d.change == END)

    @property
    def add(self) -> tuple[RunPair, ...]:
        return tuple(p for p in self.pairs if p.change == ADD)

    @property
    def moved(self) -> tuple[PlanRow, ...]:
        """The live sponsorships the run changes (reassigns or ends), in the run's order."""
        return tuple(d for d in self.sponsorships if d.change != KEEP)

    @property
    def grandfathered(self) -> tuple[RunPair, ...]:
        """The pairs kept though they break a rule introduced since they began."""
        return tuple(p for p in self.pairs if p.grandfathered)

    def pairs_by_account(self) -> dict[int, RunPair]:
        return {p.account_id: p for p in self.pairs}
