"""Which executive may sponsor which account (hard constraints), and how well they fit (soft features).

Hard constraints remove pairs: conflicts of interest (forbidden pairs), seniority by segment, a language
the customer requires, and a time-zone window. Each removed pair leaves a reason, so an account nobody may
sponsor can be explained ("no executive speaks Japanese"). The fit of a remaining pair is a weighted sum
of features in [0, 1]; with weights summing to 100 the fit is 0–100.

One computation gives both: `FitModel.points` is each feature's points for one account against every
executive at once; the solver's fit is their sum and a pair's reasons are the same points, one per feature.

Continuity first: a live sponsorship that breaks a seniority, language or time-zone rule (the rule came
after it began) stays a candidate unless the program enforces the rules on live sponsorships; it is
reported as grandfathered, with the rules it breaks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from execsponsor.core.matching import CandidateTable

FEATURES = ("relationship", "industry", "region", "function", "style", "continuity")

DEFAULT_FIT_WEIGHTS: Mapping[str, float] = {
    "relationship": 30,
    "industry": 20,
    "region": 10,
    "function": 20,
    "style": 5,
    "continuity": 40,
}

# Minimum executive level rank by account segment (5 C-suite, 4 EVP, 3 SVP, 2 VP, 1 director): senior
# leadership (SVP and above) for enterprise, VPs for mid-market, anyone for SMB. Configurable per program.
DEFAULT_SENIORITY_BY_SEGMENT: Mapping[str, int] = {"enterprise": 3, "mid_market": 2, "smb": 1}
LEVEL_NAMES = {5: "C-suite", 4: "EVP", 3: "SVP", 2: "VP", 1: "director"}

LANGUAGE_NAMES = {
    "en": "English", "ja": "Japanese", "de": "German", "fr": "French", "pt": "Portuguese", "es": "Spanish",
    "it": "Italian", "nl": "Dutch", "zh": "Chinese", "ko": "Korean", "sv": "Swedish", "ar": "Arabic",
}  # fmt: skip


@dataclass(frozen=True)
class ExecutiveProfile:
    id: str
    name: str
    function: str = ""
    level_rank: int = 5
    industries: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset({"en"})
    utc_offset: float = 0.0
    style: frozenset[str] = frozenset()
    current_accounts: frozenset[str] = frozenset()
    # Existing relationship strength (0–1) with each account's contacts, by account id.
    relationships: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class AccountProfile:
    id: str
    name: str
    segment: str = ""
    industry: str = ""
    region: str = ""
    required_languages: frozenset[str] = frozenset()
    utc_offset: float | None = None
    counterpart_functions: frozenset[str] = frozenset()
    style: frozenset[str] = frozenset()


@dataclass(frozen=True)
class HardRules:
    seniority_by_segment: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_SENIORITY_BY_SEGMENT))
    time_zone_window_hours: float | None = 8.0
    forbidden: frozenset[tuple[str, str]] = frozenset()  # (account, executive)
    locked: frozenset[tuple[str, str]] = frozenset()  # locked pairs bypass seniority, language and time zone


@dataclass(frozen=True)
class CandidateSet:
    candidates: CandidateTable  # reads as a sequence of Candidate
    exclusions: dict[str, list[str]]
    # Live pairs kept as candidates though they break a hard rule: (account, executive) -> the rules, in words.
    grandfathered: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def hour_gap(a: np.ndarray, b: float) -> np.ndarray:
    """Hours between time zones, the short way round the clock."""
    gap: np.ndarray = np.abs(a - b) % 24
    shortest: np.ndarray = np.minimum(gap, 24 - gap)
    return shortest


class _ExecutiveArrays:
    """Executives' attributes as arrays, so each account is scored against all of them at once."""

    def __init__(self, executives: Sequence[ExecutiveProfile]):
        self.executives = list(executives)
        self.index = {e.id: i for i, e in enumerate(executives)}
        self.level = np.array([e.level_rank for e in executives], dtype=np.int64)
        self.offset = np.array([e.utc_offset for e in executives], dtype=float)
        self.languages = self._membership(lambda e: e.languages)
        self.industries = self._membership(lambda e: e.industries)
        self.regions = self._membership(lambda e: e.regions)
        self.functions = self._membership(lambda e: frozenset({e.function}) if e.function else frozenset())
        self.none: np.ndarray = np.zeros(len(executives), dtype=bool)
        self.relationships: dict[str, list[tuple[int, float]]] = {}
        self.continuity: dict[str, list[int]] = {}
        self.styled = [i for i, e in enumerate(executives) if e.style]
        for i, executive in enumerate(executives):
            for account_id, strength in executive.relationships.items():
                self.relationships.setdefault(account_id, []).append((i, strength))
            for account_id in executive.current_accounts:
                self.continuity.setdefault(account_id, []).append(i)

    def _membership(self, values_of) -> dict[str, np.ndarray]:  # type: ignore[no-untyped-def]
        table: dict[str, np.ndarray] = {}
        for i, executive in enumerate(self.executives):
            for value in values_of(executive):
                table.setdefault(value, np.zeros(len(self.executives), dtype=bool))[i] = True
        return table

    def has(self, table: dict[str, np.ndarray], value: str) -> np.ndarray:
        return table.get(value, self.none)

    def features(self, account: AccountProfile) -> dict[str, np.ndarray]:
        """Each feature's value in [0, 1] for `account` against every executive."""
        n = len(self.executives)
        relationship = np.zeros(n)
        for i, strength in self.relationships.get(account.id, ()):
            relationship[i] = min(1.0, max(0.0, strength))
        function = self.none.copy()
        for code in account.counterpart_functions:
            function |= self.has(self.functions, code)
        style = np.zeros(n)
        if account.style:
            for i in self.styled:
                style[i] = _overlap(account.style, self.executives[i].style)
        continuity = np.zeros(n)
        continuity[self.continuity.get(account.id, [])] = 1.0
        return {
            "relationship": relationship,
            "industry": self.has(self.industries, account.industry).astype(float),
            "region": self.has(self.regions, account.region).astype(float),
            "function": function.astype(float),
            "style": style,
            "continuity": continuity,
        }


class FitModel:
    """The fit of accounts against executives: per-feature points, their sum, and the words for them."""

    def __init__(self, executives: Sequence[ExecutiveProfile], weights: Mapping[str, float] = DEFAULT_FIT_WEIGHTS):
        self.arrays = _ExecutiveArrays(executives)
        self.weights = dict(weights)

    def points(self, account: AccountProfile) -> dict[str, np.ndarray]:
        """Each feature's points (weight × value) for `account` against every executive."""
        features = self.arrays.features(account)
        return {name: self.weights.get(name, 0.0) * features[name] for name in FEATURES}

    def fits(self, account: AccountProfile) -> np.ndarray:
        points = self.points(account)
        total = np.zeros(len(self.arrays.executives))
        for name in FEATURES:
            total += points[name]
        return total

    def breakdown(self, account: AccountProfile, executive_id: str) -> dict[str, float]:
        """The points of one pair, feature by feature (rounded like the fit, so they add up to it)."""
        i = self.arrays.index[executive_id]
        return {name: round(float(values[i]), 3) for name, values in self.points(account).items()}

    def reasons(self, account: AccountProfile, executive_id: str) -> tuple[str, ...]:
        """Every feature that scored for this pair, in words with its points, strongest first."""
        executive = self.arrays.executives[self.arrays.index[executive_id]]
        features = self.arrays.features(account)
        i = self.arrays.index[executive_id]
        scored = sorted(
            (
                (self.weights.get(name, 0.0) * float(features[name][i]), name)
                for name in FEATURES
                if features[name][i] > 0 and self.weights.get(name, 0.0) > 0
            ),
            key=lambda item: (-item[0], FEATURES.index(item[1])),
        )
        words = [
            f"{_describe(name, account, executive, float(features[name][i]))} (+{points:.1f})"
            for points, name in scored
        ]
        return tuple(words) or ("meets the hard constraints; no particular fit beyond that",)


def candidates_for(
    accounts: Sequence[AccountProfile],
    executives: Sequence[ExecutiveProfile],
    *,
    rules: HardRules | None = None,
    weights: Mapping[str, float] = DEFAULT_FIT_WEIGHTS,
    max_per_account: int | None = None,
    keep_live: bool = True,
    model: FitModel | None = None,
) -> CandidateSet:
    """Every pair that passes the hard constraints, with its fit; optionally the best N per account.

    With `keep_live` a live sponsorship (the executive sponsors the account today) that breaks seniority,
    language or time zone stays a candidate and is listed in `grandfathered`; a conflict of interest
    (a forbidden pair) is never kept."""
    rules = rules or HardRules()
    model = model or FitModel(executives, weights)
    arrays = model.arrays
    account_rows: list[np.ndarray] = []
    executive_rows: list[np.ndarray] = []
    fit_rows: list[np.ndarray] = []
    exclusions: dict[str, list[str]] = {}
    grandfathered: dict[tuple[str, str], tuple[str, ...]] = {}
    for row, account in enumerate(accounts):
        allowed, reasons, broken = _allowed(account, arrays, rules)
        live = [i for i in arrays.continuity.get(account.id, []) if not allowed[i] and i not in broken.forbidden]
        if keep_live:
            for i in live:
                allowed[i] = True
                grandfathered[(account.id, executives[i].id)] = broken.rules_of(i)
        if not allowed.any():
            exclusions[account.id] = reasons or ["no executive is available"]
            continue
        indices = np.flatnonzero(allowed)
        fits = model.fits(account)[indices]
        if max_per_account is not None and len(indices) > max_per_account:
            keep = np.argsort(-fits, kind="stable")[:max_per_account]
            today = np.flatnonzero(np.isin(indices, arrays.continuity.get(account.id, [])))
            keep = np.union1d(keep, today)  # today's sponsor is always a candidate, whatever its rank
            indices, fits = indices[keep], fits[keep]
        account_rows.append(np.full(len(indices), row, dtype=np.int64))
        executive_rows.append(indices.astype(np.int64))
        fit_rows.append(np.round(fits, 3))
    table = CandidateTable(
        [a.id for a in accounts],
        [e.id for e in executives],
        np.concatenate(account_rows) if account_rows else np.zeros(0, dtype=np.int64),
        np.concatenate(executive_rows) if executive_rows else np.zeros(0, dtype=np.int64),
        np.concatenate(fit_rows) if fit_rows else np.zeros(0),
    )
    return CandidateSet(table, exclusions, grandfathered)


@dataclass
class _Broken:
    """Which hard rule excluded which executive for one account, to flag grandfathered sponsorships."""

    forbidden: set[int] = field(default_factory=set)
    by_rule: list[tuple[str, np.ndarray]] = field(default_factory=list)  # (rule in words, excluded mask)

    def rules_of(self, i: int) -> tuple[str, ...]:
        return tuple(rule for rule, excluded in self.by_rule if excluded[i])


def _allowed(
    account: AccountProfile, arrays: _ExecutiveArrays, rules: HardRules
) -> tuple[np.ndarray, list[str], _Broken]:
    n = len(arrays.executives)
    allowed = np.ones(n, dtype=bool)
    reasons: list[str] = []
    broken = _Broken()

    for account_id, executive_id in rules.forbidden:
        if account_id == account.id and executive_id in arrays.index:
            allowed[arrays.index[executive_id]] = False
            broken.forbidden.add(arrays.index[executive_id])

    needed_level = rules.seniority_by_segment.get(account.segment, 0)
    if needed_level:
        senior = arrays.level >= needed_level
        if allowed.any() and not (allowed & senior).any():
            reasons.append(f"no available executive at {LEVEL_NAMES.get(needed_level, needed_level)} level or above")
        allowed &= senior
        broken.by_rule.append((seniority_rule(account.segment, needed_level), ~senior))

    for language in sorted(account.required_languages):
        speaks = arrays.has(arrays.languages, language)
        if allowed.any() and not (allowed & speaks).any():
            reasons.append(f"no eligible executive speaks {language_name(language)}")
        allowed &= speaks
        broken.by_rule.append((f"speaks {language_name(language)} where the customer requires it", ~speaks))

    if rules.time_zone_window_hours is not None and account.utc_offset is not None:
        near = hour_gap(arrays.offset, account.utc_offset) <= rules.time_zone_window_hours
        if allowed.any() and not (allowed & near).any():
            reasons.append(f"no eligible executive within {rules.time_zone_window_hours:g} hours of the customer")
        allowed &= near
        broken.by_rule.append((f"within {rules.time_zone_window_hours:g} hours of the customer", ~near))

    for account_id, executive_id in rules.locked:
        if account_id == account.id and executive_id in arrays.index:
            allowed[arrays.index[executive_id]] = True
    if not allowed.any() and not reasons:
        reasons.append("every executive is excluded by a conflict of interest")
    return allowed, reasons, broken


def seniority_rule(segment: str, level: int) -> str:
    name = LEVEL_NAMES.get(level, str(level))
    plus = "" if level >= max(LEVEL_NAMES) else "+"
    return f"{name}{plus} for {segment.replace('_', '-')}"


def _describe(name: str, account: AccountProfile, executive: ExecutiveProfile, value: float) -> str:
    if name == "relationship":
        return f"already knows {account.name}'s people (relationship strength {round(value * 100)})"
    if name == "industry":
        return f"{account.industry} industry expertise"
    if name == "region":
        return f"covers {account.region}"
    if name == "function":
        return f"{executive.function.upper()} to {executive.function.upper()}: matches the customer counterpart"
    if name == "style":
        shared = ", ".join(sorted(account.style & executive.style))
        return f"shared working style: {shared}"
    return f"sponsors {account.name} today (continuity)"


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
