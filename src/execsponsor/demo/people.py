"""Our people in the demo: admins, program owners, viewers, AEs, CSMs and the executive bench."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.contrib.auth.hashers import make_password
from django.db import connection

from execsponsor.common.constraints import Source
from execsponsor.demo import vocabulary as words
from execsponsor.demo.plan import DEMO_PASSWORD, Company
from execsponsor.users.enablement import catalogue_ensure
from execsponsor.users.models import (
    EnablementCompletion,
    EnablementItem,
    Executive,
    ExecutiveFunction,
    ExecutiveLevel,
    Role,
    User,
)

C_SUITE_FUNCTIONS = ("cfo", "cto", "cro", "coo", "cco", "cpo", "cio", "cmo", "chro", "ciso", "legal")
LINE_FUNCTIONS = ("engineering", "product", "sales", "services", "finance", "operations")
NOT_CUSTOMER_FACING = {"chro", "legal"}
LEVEL_ORDER = ("c_suite", "evp", "svp", "vp", "director")
# The languages customers of each region may require of their sponsor (see accounts.REQUIRES_LANGUAGE).
REGION_LANGUAGES = {"EMEA": ("de", "fr", "es"), "APAC": ("ja",), "LATAM": ("pt", "es")}
LEVEL_TITLES = {"evp": "Executive Vice President", "svp": "Senior Vice President", "vp": "Vice President",
                "director": "Director"}  # fmt: skip
FUNCTION_WORDS = {"engineering": "Engineering", "product": "Product", "sales": "Sales",
                  "services": "Professional Services", "finance": "Finance", "operations": "Operations"}  # fmt: skip
ZONES = {"North America": "America/New_York", "EMEA": "Europe/London", "APAC": "Asia/Singapore",
         "LATAM": "America/Sao_Paulo"}  # fmt: skip
# Our own company is global but mostly English-speaking.
OUR_LOCALES = ("en", "en", "en", "de", "fr", "ja", "pt", "es", "nordic", "in")


def _people_names(rng: np.random.Generator, count: int) -> list[tuple[str, str, str, str]]:
    """(first, last, ascii first, ascii last) for `count` of our people."""
    out = []
    for locale_index in rng.integers(0, len(OUR_LOCALES), count):
        locale = OUR_LOCALES[locale_index]
        firsts, lasts = words.PEOPLE[locale]
        first = words.split_name(firsts[rng.integers(len(firsts))])
        last = words.split_name(lasts[rng.integers(len(lasts))])
        out.append((first[0], last[0], words.ascii_slug(first[1]), words.ascii_slug(last[1])))
    return out


def create_users(company: Company) -> None:
    """Create every demo user with one shared Argon2 hash (hashing is deliberately slow; once is enough)."""
    size = company.size
    rng = company.rng("users")
    plan = (
        [(Role.ADMIN, 1), (Role.PROGRAM_OWNER, 2), (Role.VIEWER, 3)]
        + [(Role.ACCOUNT_EXECUTIVE, size.account_executives), (Role.CSM, size.csms)]
        + [(Role.EXECUTIVE, size.executives)]
    )
    total = sum(n for _, n in plan)
    names = _people_names(rng, total)
    taken = set(User.objects.values_list("username", flat=True))
    password = make_password(DEMO_PASSWORD)
    joined = dt.datetime.combine(company.day(900), dt.time(9), tzinfo=dt.UTC)
    users, position = [], 0
    for role, count in plan:
        for _ in range(count):
            first, last, first_ascii, last_ascii = names[position]
            position += 1
            username = _unique(f"{first_ascii}.{last_ascii}", taken)
            titles = words.OUR_TITLES.get(role, ("Executive",))
            users.append(
                User(
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@execsponsor.example",
                    role=role,
                    title=titles[position % len(titles)],
                    time_zone="UTC",
                    source=Source.DEMO,
                    external_id=f"DEMO-USR-{position:05d}",
                    password=password,
                    is_staff=role == Role.ADMIN,
                    is_superuser=role == Role.ADMIN,
                    date_joined=joined,
                )
            )
    created = User.objects.bulk_create(users, batch_size=500)
    for user in created:
        company.users.setdefault(user.role, []).append(user.pk)
        company.sign_in.setdefault(user.role, user.username)
    company.lists["executive_usernames"] = [u.username for u in created if u.role == Role.EXECUTIVE]


def _unique(base: str, taken: set[str]) -> str:
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    taken.add(name)
    return name


def executive_levels(count: int) -> np.ndarray:
    """Level index per executive (0 = C-suite ... 4 = director); position 0 is the CEO."""
    shares = np.array([0.17, 0.15, 0.25, 0.30, 0.13])
    counts = np.maximum(1, np.round(shares * count).astype(int))
    counts[3] += count - counts.sum()
    return np.repeat(np.arange(5), counts)[:count]


def create_executives(company: Company) -> None:
    """The executive bench: a CEO at the top, C-suite under them, then EVPs, SVPs, VPs and directors."""
    rng = company.rng("executives")
    user_ids = company.users[Role.EXECUTIVE]
    count = len(user_ids)
    levels = executive_levels(count)
    reports_to = np.full(count, -1)
    for level in range(1, 5):
        members = np.flatnonzero(levels == level)
        above = np.flatnonzero(levels == level - 1)
        if level == 1:
            above = np.flatnonzero(levels == 0)[:1]
        reports_to[members] = rng.choice(above, members.size)
    c_suite = np.flatnonzero(levels == 0)
    reports_to[c_suite[1:]] = 0
    functions = [
        "ceo" if i == 0 else C_SUITE_FUNCTIONS[(i - 1) % len(C_SUITE_FUNCTIONS)] if levels[i] == 0 else
        LINE_FUNCTIONS[int(rng.integers(len(LINE_FUNCTIONS)))]
        for i in range(count)
    ]  # fmt: skip
    # Directors are the bench: sponsors when a fit calls for them, never owed accounts (minimum 0).
    capacity_min = np.select([levels == 0, levels == 4], [1, 0], default=3)
    capacity_max = np.where(levels == 0, 3, 5)
    capacity_min[0], capacity_max[0] = 1, 2
    customer_facing = np.array([f not in NOT_CUSTOMER_FACING for f in functions])
    enablement = enablement_keys(company, customer_facing)
    executives = []
    speakers_in_region = dict.fromkeys(words.REGIONS, 0)
    for i in range(count):
        region = words.REGIONS[int(rng.integers(len(words.REGIONS)))]
        industries = sorted(rng.choice(len(words.INDUSTRIES), int(rng.integers(1, 4)), replace=False).tolist())
        other_regions = [r for r in words.REGIONS if r != region]
        regions = [region] + ([other_regions[int(rng.integers(3))]] if rng.random() < 0.4 else [])
        languages = ["en"] + ([["de", "fr", "ja", "pt", "es"][int(rng.integers(5))]] if rng.random() < 0.35 else [])
        # Customers who require their language need a sponsor in their time zones who speaks it: the first
        # three senior executives of each region speak its customers' languages (added after the draws, so
        # the rest of the bench stays as it was).
        if levels[i] <= 2 and speakers_in_region[region] < 3:
            speakers_in_region[region] += 1
            languages = [*dict.fromkeys([*languages, *REGION_LANGUAGES.get(region, ())])]
        executives.append(
            Executive(
                user_id=user_ids[i],
                function=ExecutiveFunction(functions[i]),
                level=ExecutiveLevel(LEVEL_ORDER[levels[i]]),
                industries=[words.INDUSTRIES[k] for k in industries],
                regions=regions,
                languages=languages,
                time_zone=ZONES[region],
                working_style=[
                    "Data-driven, prefers written pre-reads.",
                    "Relationship-first, likes in-person.",
                    "Direct and brief; wants a clear ask.",
                ][i % 3],  # fmt: skip
                capacity_min=int(capacity_min[i]),
                capacity_max=int(capacity_max[i]),
                customer_facing=bool(customer_facing[i]),
                enablement=enablement[i],
            )
        )
    created = Executive.objects.bulk_create(executives, batch_size=500)
    _write_completions(company, created, enablement)
    ids = np.array([e.pk for e in created])
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE users_executive SET reports_to_id = %s WHERE id = %s",
            [(int(ids[m]), int(ids[i])) for i, m in enumerate(reports_to.tolist()) if m >= 0],
        )
    _set_titles(company, user_ids, levels, functions)
    company.lists["executive_languages"] = [e.languages for e in executives]
    company.lists["executive_time_zone"] = [e.time_zone for e in executives]
    company.arrays.update(
        executive_id=ids,
        executive_user_id=np.array(user_ids),
        executive_level=levels,
        executive_capacity_max=capacity_max,
        executive_customer_facing=customer_facing,
        executive_reports_to=reports_to,
    )


# What the bench has completed of the enablement catalogue (users/migrations/0005): everyone Sponsor 101, most
# the briefing and account planning, some escalation handling; about half of those who are not customer-facing
# the customer-facing skills. A separate stream, so the rest of the bench is drawn as before.
ENABLEMENT_SHARE = {"executive-briefing": 0.85, "account-planning": 0.75, "escalation-handling": 0.35}


def enablement_keys(company: Company, customer_facing: np.ndarray) -> list[list[str]]:
    rng = company.rng("enablement")
    keys = []
    for facing in customer_facing.tolist():
        done = ["sponsor-101"] + [key for key, share in ENABLEMENT_SHARE.items() if rng.random() < share]
        if not facing and rng.random() < 0.5:
            done.append("customer-facing-skills")
        keys.append(done)
    return keys


def _write_completions(company: Company, executives: list[Executive], enablement: list[list[str]]) -> None:
    """Completions as the program owner recorded them, each on a day of the last year (inputs, like a form)."""
    catalogue_ensure()
    items = dict(EnablementItem.objects.values_list("key", "pk"))
    rng = company.rng("enablement-days")
    owners = company.users.get(Role.PROGRAM_OWNER) or [None]
    rows = [
        EnablementCompletion(
            executive_id=executive.pk,
            item_id=items[key],
            completed_on=company.day(int(rng.integers(7, 365))),
            recorded_by_id=owners[0],
        )
        for executive, keys in zip(executives, enablement, strict=True)
        for key in keys
        if key in items
    ]
    EnablementCompletion.objects.bulk_create(rows, batch_size=1000)
    known = [[key for key in keys if key in items] for keys in enablement]
    for executive, keys in zip(executives, known, strict=True):
        executive.enablement = keys
    Executive.objects.bulk_update(executives, ["enablement"], batch_size=500)


def _set_titles(company: Company, user_ids: list[int], levels: np.ndarray, functions: list[str]) -> None:
    titles = [
        ExecutiveFunction(function).label
        if level == 0
        else f"{LEVEL_TITLES[LEVEL_ORDER[level]]}, {FUNCTION_WORDS[function]}"
        for level, function in zip(levels.tolist(), functions, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.executemany("UPDATE users_user SET title = %s WHERE id = %s", list(zip(titles, user_ids, strict=True)))
