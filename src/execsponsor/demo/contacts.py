"""Demo contacts: reports-to trees per account, from a CEO down to individual contributors."""

from __future__ import annotations

import numpy as np

from execsponsor.demo import vocabulary as words
from execsponsor.demo.accounts import LOCALES
from execsponsor.demo.plan import Company
from execsponsor.demo.storage import insert_rows

MEAN_CONTACTS = np.array([33.0, 13.0, 5.5])  # by segment
MIN_CONTACTS = 4  # enough for three threads after a planted departure or a quiet champion
LEVEL_SHARES = (0.07, 0.13, 0.20, 0.25, 0.35)
SENIORITY = ("c_level", "vp", "director", "manager", "individual")
BUYING_ROLES = ("user", "evaluator", "decision_maker", "approver", "champion", "executive_sponsor", "influencer",
                "blocker")  # fmt: skip
# Buying-role probabilities per level, in BUYING_ROLES order.
BUYING_ROLE_BY_LEVEL = np.array([
    [0.00, 0.00, 0.35, 0.35, 0.00, 0.25, 0.05, 0.00],
    [0.00, 0.10, 0.35, 0.10, 0.20, 0.05, 0.15, 0.05],
    [0.05, 0.30, 0.10, 0.00, 0.25, 0.00, 0.20, 0.10],
    [0.35, 0.30, 0.00, 0.00, 0.10, 0.00, 0.15, 0.10],
    [0.70, 0.20, 0.00, 0.00, 0.02, 0.00, 0.05, 0.03],
])  # fmt: skip
SUPPORT = ("mentor", "supporter", "neutral", "non_supporter", "opponent")
INFLUENCE = ("high", "medium", "low")
ORIENTATIONS = ("financial", "technical", "relationship", "business")
STATUS = ("active", "changed_role", "left")
CHAMPION = BUYING_ROLES.index("champion")


def _name_pools() -> tuple[list[str], list[str], list[str], list[str], np.ndarray, np.ndarray, np.ndarray]:
    firsts, first_ascii, lasts, last_ascii = [], [], [], []
    first_offset, last_offset, sizes = [], [], []
    for locale in LOCALES:
        given, family = words.PEOPLE[locale]
        first_offset.append(len(firsts))
        last_offset.append(len(lasts))
        sizes.append((len(given), len(family)))
        for value in given:
            display, plain = words.split_name(value)
            firsts.append(display)
            first_ascii.append(words.ascii_slug(plain))
        for value in family:
            display, plain = words.split_name(value)
            lasts.append(display)
            last_ascii.append(words.ascii_slug(plain))
    return firsts, first_ascii, lasts, last_ascii, np.array(first_offset), np.array(last_offset), np.array(sizes)


def plan_contacts(company: Company) -> None:
    """Draw every contact, sorted by (account, level); the first contact of an account is its CEO."""
    a = company.arrays
    rng = company.rng("contacts")
    n = company.size.accounts
    per_account = np.maximum(MIN_CONTACTS, rng.poisson(MEAN_CONTACTS[a["segment"]]))
    account = np.repeat(np.arange(n), per_account)
    start = np.concatenate([[0], np.cumsum(per_account)[:-1]])
    position = np.arange(account.size) - start[account]
    level = rng.choice(5, account.size, p=LEVEL_SHARES)
    level[position == 0] = -1
    order = np.lexsort((level, account))
    level = np.maximum(level[order], 0)
    top = np.zeros(account.size, dtype=bool)
    top[start] = True
    a.update(contact_account=account, contact_level=level, contact_start=start, contact_count=per_account)
    a["contact_reports_to"] = _reports_to(rng, account, level, start, top, n)
    a["contact_top"] = top
    _contact_attributes(company, rng, top)


def _reports_to(
    rng: np.random.Generator, account: np.ndarray, level: np.ndarray, start: np.ndarray, top: np.ndarray, n: int
) -> np.ndarray:
    """Each contact reports to someone one level up (or the nearest level above that exists) in its account."""
    members = np.bincount(account * 5 + level, minlength=n * 5).reshape(n, 5)
    group_start = start[:, None] + np.concatenate([np.zeros((n, 1), dtype=np.int64), np.cumsum(members, 1)[:, :-1]], 1)
    parent = np.full(account.size, -1)
    parent[(level == 0) & ~top] = start[account[(level == 0) & ~top]]
    for contact_level in range(1, 5):
        rows = np.flatnonzero(level == contact_level)
        acc = account[rows]
        chosen = np.full(rows.size, -1)
        for above in range(contact_level - 1, -1, -1):
            open_rows = (chosen < 0) & (members[acc, above] > 0)
            chosen[open_rows] = above
        size = members[acc, chosen]
        parent[rows] = group_start[acc, chosen] + (rng.random(rows.size) * size).astype(np.int64)
    return parent


def _contact_attributes(company: Company, rng: np.random.Generator, top: np.ndarray) -> None:
    a = company.arrays
    account, level = a["contact_account"], a["contact_level"]
    count = account.size
    locale = np.where(rng.random(count) < 0.8, a["locale"][account], rng.integers(0, len(LOCALES), count))
    *_, first_offset, last_offset, sizes = _name_pools()
    a["contact_first"] = first_offset[locale] + (rng.random(count) * sizes[locale, 0]).astype(np.int64)
    a["contact_last"] = last_offset[locale] + (rng.random(count) * sizes[locale, 1]).astype(np.int64)
    a["contact_department"] = rng.integers(0, len(words.DEPARTMENTS), count)
    cumulative = BUYING_ROLE_BY_LEVEL.cumsum(1)[level]
    a["contact_buying_role"] = (rng.random(count)[:, None] > cumulative).sum(1)
    support = rng.choice(5, count, p=[0.08, 0.30, 0.42, 0.14, 0.06])
    champions = a["contact_buying_role"] == CHAMPION
    support[champions] = rng.choice(2, champions.sum(), p=[0.4, 0.6])
    a["contact_support"] = support
    a["contact_influence"] = np.clip(np.round(level / 2 + rng.normal(0, 0.5, count)), 0, 2).astype(np.int64)
    dept_orientation = np.array([ORIENTATIONS.index(words.DEPARTMENT_ORIENTATION[d]) for d in words.DEPARTMENTS])
    a["contact_orientation"] = np.where(
        rng.random(count) < 0.6, dept_orientation[a["contact_department"]], rng.integers(0, 4, count)
    )
    status = np.zeros(count, dtype=np.int64)
    status_days = np.full(count, -1)
    changed = rng.random(count) < 0.03
    status[changed], status_days[changed] = 1, rng.integers(30, 365, changed.sum())
    left = (rng.random(count) < 0.02) & ~champions & (level > 0)
    # Every account keeps at least MIN_CONTACTS people who have not left (contacts are sorted by account).
    leaving = np.flatnonzero(left)
    rank = np.arange(leaving.size) - np.searchsorted(account[leaving], account[leaving])
    left[leaving[rank >= a["contact_count"][account[leaving]] - MIN_CONTACTS]] = False
    status[left], status_days[left] = 2, rng.integers(200, 700, left.sum())
    a["contact_status"], a["contact_status_days"] = status, status_days
    # The day after which a contact takes part in no engagement (0 = still engaged up to today).
    a["contact_silent_after"] = np.where(status == 2, status_days, 0)
    # Contacts exist before the two years of engagement history begin.
    a["contact_created_days"] = np.maximum(a["created_days_ago"][account] - rng.integers(0, 60, count), 735)


def plant_departures(company: Company) -> None:
    """Recent champion departures; some reappear at another demo account as new contacts."""
    a, truth = company.arrays, company.truth
    rng = company.rng("departures")
    departed = []
    for account in a["departure_accounts"].tolist():
        rows = np.arange(a["contact_start"][account], a["contact_start"][account] + a["contact_count"][account])
        candidates = rows[(a["contact_level"][rows] >= 1) & (a["contact_status"][rows] == 0)]
        champions = candidates[a["contact_buying_role"][candidates] == CHAMPION]
        contact = int(champions[0] if champions.size else candidates[0])
        a["contact_buying_role"][contact] = CHAMPION
        a["contact_support"][contact] = 1
        a["contact_status"][contact] = 2
        a["contact_status_days"][contact] = int(rng.integers(5, 45))
        a["contact_silent_after"][contact] = int(rng.integers(100, 160))
        departed.append(contact)
    a["departed_contacts"] = np.array(departed, dtype=np.int64)
    truth["departed_contacts"] = departed


def plant_followed(company: Company) -> None:
    """Append a new contact at another account for each followed champion (same person, new e-mail)."""
    a = company.arrays
    rng = company.rng("followed")
    followed = a["departed_contacts"][: company.size.followed_champions]
    targets = a["follow_accounts"][: followed.size]
    for name in ("account", "level", "first", "last", "department", "buying_role", "support", "influence",
                 "orientation", "status", "status_days", "silent_after", "created_days", "reports_to"):  # fmt: skip
        source = a[f"contact_{name}"][followed].copy()
        if name == "account":
            source = targets
        elif name == "level":
            source = np.maximum(source - 1, 1)
        elif name in ("status", "silent_after"):
            source = np.zeros(followed.size, dtype=np.int64)
        elif name == "status_days":
            source = np.full(followed.size, -1)
        elif name == "created_days":
            source = a["contact_status_days"][followed] - rng.integers(1, 5, followed.size)
        elif name == "buying_role":
            source = np.full(followed.size, BUYING_ROLES.index("influencer"))
        elif name == "reports_to":
            source = a["contact_start"][targets]
        a[f"contact_{name}"] = np.concatenate([a[f"contact_{name}"], source])
    a["contact_top"] = np.concatenate([a["contact_top"], np.zeros(followed.size, dtype=bool)])
    total = a["contact_account"].size
    a["followed_new_contacts"] = np.arange(total - followed.size, total)


CONTACT_COLUMNS = (
    "id", "account_id", "source", "external_id", "first_name", "last_name", "title", "department", "email", "phone",
    "profile_url", "notes", "seniority", "persona", "buying_role", "support", "influence", "decision_orientation",
    "reports_to_id", "status", "status_changed_on", "created_at", "updated_at",
)  # fmt: skip


def _titles(level: np.ndarray, department: np.ndarray, top: np.ndarray) -> list[str]:
    table = []
    for lvl in range(5):
        for dept in words.DEPARTMENTS:
            table.append(
                (
                    words.C_LEVEL_TITLES[dept],
                    f"Vice President, {dept}",
                    f"Director of {dept}",
                    f"{dept} Manager",
                    words.INDIVIDUAL_TITLES[dept],
                )[lvl]
            )
    titles = [table[k] for k in (level * len(words.DEPARTMENTS) + department).tolist()]
    for k in np.flatnonzero(top).tolist():
        titles[k] = "Chief Executive Officer"
    return titles


def _emails(company: Company, first_ascii: list[str], last_ascii: list[str]) -> list[str]:
    a = company.arrays
    domains = company.lists["account_domain"]
    seen: dict[str, int] = {}
    out = []
    for f, last, acc in zip(a["contact_first"].tolist(), a["contact_last"].tolist(), a["contact_account"].tolist(),
                            strict=True):  # fmt: skip
        local = f"{first_ascii[f]}.{last_ascii[last]}"
        key = f"{local}@{domains[acc]}"
        n = seen.get(key, 0) + 1
        seen[key] = n
        out.append(key if n == 1 else f"{local}{n}@{domains[acc]}")
    return out


def write_contacts(company: Company) -> None:
    a = company.arrays
    firsts, first_ascii, lasts, last_ascii, *_ = _name_pools()
    level, top = a["contact_level"], a["contact_top"]
    count = level.size
    persona = np.select(
        [top, level <= 1, level <= 3], [3, 2, 1], default=0
    )  # ceo_coo, functional_vp, team_manager, power_user
    personas = ("power_user", "team_manager", "functional_vp", "ceo_coo")
    departments = [words.DEPARTMENTS[d] for d in a["contact_department"].tolist()]
    for k in np.flatnonzero(top).tolist():
        departments[k] = "Executive Office"
    # The planted recent departures are written as the CRM still has them, active: the product detects that
    # they left from the bounces and replies the demo writes (see effects.write_signals).
    written_status = a["contact_status"].copy()
    status_days = a["contact_status_days"].copy()
    written_status[a["departed_contacts"]] = 0
    status_days[a["departed_contacts"]] = -1
    status_on = [company.iso(d) if d >= 0 else None for d in status_days.tolist()]
    created = [f"{company.iso(d)} 09:30:00" for d in a["contact_created_days"].tolist()]
    reports_to = [p + 1 if p >= 0 else None for p in a["contact_reports_to"].tolist()]
    columns = {
        "id": range(1, count + 1),
        "account_id": (a["contact_account"] + 1).tolist(),
        "source": ["demo"] * count,
        "external_id": [f"DEMO-CON-{i:07d}" for i in range(1, count + 1)],
        "first_name": [firsts[k] for k in a["contact_first"].tolist()],
        "last_name": [lasts[k] for k in a["contact_last"].tolist()],
        "title": _titles(level, a["contact_department"], top),
        "department": departments,
        "email": _emails(company, first_ascii, last_ascii),
        "phone": [""] * count,
        "profile_url": [""] * count,
        "notes": [""] * count,
        "seniority": [SENIORITY[k] for k in level.tolist()],
        "persona": [personas[k] for k in persona.tolist()],
        "buying_role": [BUYING_ROLES[k] for k in a["contact_buying_role"].tolist()],
        "support": [SUPPORT[k] for k in a["contact_support"].tolist()],
        "influence": [INFLUENCE[k] for k in a["contact_influence"].tolist()],
        "decision_orientation": [ORIENTATIONS[k] for k in a["contact_orientation"].tolist()],
        "reports_to_id": reports_to,
        "status": [STATUS[k] for k in written_status.tolist()],
        "status_changed_on": status_on,
        "created_at": created,
        "updated_at": created,
    }
    company.lists["contact_email"] = columns["email"]
    company.lists["contact_name"] = [
        f"{f} {last}" for f, last in zip(columns["first_name"], columns["last_name"], strict=True)
    ]
    insert_rows("customers_contact", CONTACT_COLUMNS, zip(*(columns[c] for c in CONTACT_COLUMNS), strict=True))
