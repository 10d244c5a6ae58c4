"""Demo accounts: segment, place, industry, heavy-tailed ARR, owners, strategy text and names."""

from __future__ import annotations

import json

import numpy as np

from execsponsor.customers.models import search_key
from execsponsor.demo import vocabulary as words
from execsponsor.demo.plan import Company
from execsponsor.demo.storage import insert_rows
from execsponsor.users.models import Role

SEGMENTS = ("enterprise", "mid_market", "smb")
SEGMENT_SHARES = (0.15, 0.35, 0.50)
# Median ARR by segment (USD); log-normal spread, and a few very large accounts on top.
MEDIAN_ARR = np.array([900_000.0, 150_000.0, 25_000.0])
EMPLOYEES = np.array([25_000.0, 2_500.0, 180.0])
LOCALES = tuple(words.PEOPLE)
REQUIRES_LANGUAGE = {"ja": 0.5, "pt": 0.3, "fr": 0.2, "de": 0.1, "es": 0.1}
GROUP_PREFIXES = ("Grupo", "Groupe")
EXTRA_NAME_WORDS = ("International", "Solutions", "Partners", "Digital", "Services", "Holding")


def plan_accounts(company: Company) -> None:
    """Draw every account attribute as arrays; written later, once the other plans have drawn from them."""
    n = company.size.accounts
    rng = company.rng("accounts")
    segment = rng.choice(3, n, p=SEGMENT_SHARES)
    weights = np.array([c[5] for c in words.COUNTRIES])
    country = rng.choice(len(words.COUNTRIES), n, p=weights / weights.sum())
    locale = np.array([LOCALES.index(words.COUNTRIES[c][2]) for c in country])
    industry = rng.integers(0, len(words.INDUSTRIES), n)
    arr = MEDIAN_ARR[segment] * rng.lognormal(0.0, 0.7, n)
    huge = rng.random(n) < 0.004
    arr[huge] *= rng.uniform(8, 30, huge.sum())
    arr = np.round(arr, -2)
    employees = np.round(EMPLOYEES[segment] * rng.lognormal(0, 0.6, n)).astype(np.int64) + 10
    strategic = np.clip(np.round(30 + 12 * (2 - segment) + 8 * np.log10(arr / 10_000) + rng.normal(0, 10, n)), 0, 100)
    aes, csms = company.users[Role.ACCOUNT_EXECUTIVE], company.users[Role.CSM]
    company.arrays.update(
        segment=segment,
        country=country,
        locale=locale,
        industry=industry,
        arr_drawn=arr,
        employees=employees,
        company_revenue=np.round(employees * rng.uniform(150_000, 400_000, n), -3),
        renewal_in_days=rng.integers(7, 365, n),
        growth_potential=np.round(arr * rng.lognormal(-0.3, 0.5, n), -2),
        strategic_value=strategic.astype(np.int64),
        owner=np.array(aes)[rng.integers(0, len(aes), n)],
        csm=np.array(csms)[rng.integers(0, len(csms), n)],
        created_days_ago=rng.integers(800, 3000, n),
        in_churn=np.zeros(n, dtype=bool),
    )
    _name_accounts(company, rng)
    _describe_accounts(company, rng)
    # Some customers need their sponsor to speak their language (mostly Japan, Brazil, France, Germany).
    language = [words.LANGUAGE_OF_LOCALE[LOCALES[k]] for k in locale]
    needs = rng.random(n) < np.array([REQUIRES_LANGUAGE.get(LOCALES[k], 0.0) for k in locale])
    company.lists["required_language"] = [lang if need else "" for lang, need in zip(language, needs, strict=True)]


def _name_accounts(company: Company, rng: np.random.Generator) -> None:
    a = company.arrays
    n = company.size.accounts
    stem_pick, suffix_pick, extra_pick = rng.random(n), rng.random(n), rng.integers(0, len(EXTRA_NAME_WORDS), n)
    names, short_names, domains, seen_names, seen_domains = [], [], [], set(), set()
    for i in range(n):
        locale = LOCALES[a["locale"][i]]
        stems, suffixes = words.COMPANY_STEMS[locale], words.LEGAL_SUFFIXES[locale]
        stem = stems[int(stem_pick[i] * len(stems))]
        industry_word = words.INDUSTRY_WORDS[locale][words.INDUSTRIES[a["industry"][i]]]
        suffix = suffixes[int(suffix_pick[i] * len(suffixes))]
        extra = f" {EXTRA_NAME_WORDS[extra_pick[i]]}"
        if suffix in GROUP_PREFIXES:  # "Grupo Azteca Comercial", not "Azteca Comercial Grupo"
            name = f"{suffix} {stem} {industry_word}"
            if name in seen_names:
                name += extra
        else:
            name = f"{stem} {industry_word} {suffix}"
            if name in seen_names:
                name = f"{stem} {industry_word}{extra} {suffix}"
        base, k = name, 1
        while name in seen_names:
            k += 1
            name = f"{base} {k}"
        seen_names.add(name)
        names.append(name)
        short_names.append(f"{stem} {industry_word}")
        tld = words.COUNTRIES[a["country"][i]][4]
        slug = words.ascii_slug(f"{stem} {industry_word}", sep="-")
        domain, k = f"{slug}.{tld}", 1
        while domain in seen_domains:
            k += 1
            domain = f"{slug}{k}.{tld}"
        seen_domains.add(domain)
        domains.append(domain)
    company.lists["account_name"] = names
    company.lists["account_short_name"] = short_names
    company.lists["account_domain"] = domains


def _describe_accounts(company: Company, rng: np.random.Generator) -> None:
    n = company.size.accounts
    areas = words.CAPABILITY_AREAS
    order = np.argsort(rng.random((n, len(areas))), 1).tolist()
    used = rng.integers(1, 5, n).tolist()
    wanted = rng.integers(0, 3, n).tolist()
    goal_a = rng.integers(0, len(words.CUSTOMER_GOALS), n)
    goal_b = ((goal_a + 1 + rng.integers(0, len(words.CUSTOMER_GOALS) - 1, n)) % len(words.CUSTOMER_GOALS)).tolist()
    pain = rng.integers(0, len(words.PAIN_POINTS), n).tolist()
    template = rng.integers(0, len(words.STRATEGY_TEMPLATES), n).tolist()
    department = rng.integers(0, len(words.DEPARTMENTS), n).tolist()
    goal_a = goal_a.tolist()
    company.lists.update(
        capability_areas_in_use=[json.dumps([areas[k] for k in sorted(order[i][: used[i]])]) for i in range(n)],
        capability_areas_planned=[
            json.dumps([areas[k] for k in sorted(order[i][used[i] : used[i] + wanted[i]])]) for i in range(n)
        ],
        account_strategy=[
            words.STRATEGY_TEMPLATES[template[i]].format(
                area=areas[order[i][0]],
                dept=words.DEPARTMENTS[department[i]],
                goal=words.CUSTOMER_GOALS[goal_a[i]].split(" ")[0].lower(),
            )
            for i in range(n)
        ],
        customer_goals=[f"{words.CUSTOMER_GOALS[goal_a[i]]}\n{words.CUSTOMER_GOALS[goal_b[i]]}" for i in range(n)],
        pain_points=[words.PAIN_POINTS[k] for k in pain],
    )


ACCOUNT_COLUMNS = (
    "id", "name", "search_name", "source", "external_id", "domain", "industry", "segment", "region", "country",
    "time_zone", "required_language", "lifecycle",
    "in_churn", "arr", "company_revenue", "employees", "renewal_date", "growth_potential", "strategic_value",
    "owner_id", "csm_id", "account_strategy", "capability_areas_in_use", "capability_areas_planned",
    "customer_goals", "pain_points", "health_score", "health_band", "created_at", "updated_at",
)  # fmt: skip


def write_accounts(company: Company) -> None:
    a, lists = company.arrays, company.lists
    n = company.size.accounts
    stamp = f"{company.as_of.isoformat()} 06:00:00"
    columns = {
        "id": np.arange(1, n + 1).tolist(),
        "name": lists["account_name"],
        "search_name": [search_key(name) for name in lists["account_name"]],
        "source": ["demo"] * n,
        "external_id": [f"DEMO-ACC-{i:06d}" for i in range(1, n + 1)],
        "domain": lists["account_domain"],
        "industry": [words.INDUSTRIES[k] for k in a["industry"]],
        "segment": [SEGMENTS[k] for k in a["segment"]],
        "region": [words.COUNTRIES[k][1] for k in a["country"]],
        "country": [words.COUNTRIES[k][0] for k in a["country"]],
        "time_zone": [words.COUNTRIES[k][3] for k in a["country"]],
        "required_language": company.lists["required_language"],
        "lifecycle": ["customer"] * n,
        "in_churn": a["in_churn"].tolist(),
        "arr": a["arr"].round(2).tolist(),
        "company_revenue": a["company_revenue"].tolist(),
        "employees": a["employees"].tolist(),
        "renewal_date": [company.iso(-int(d)) for d in a["renewal_in_days"]],
        "growth_potential": a["growth_potential"].tolist(),
        "strategic_value": a["strategic_value"].tolist(),
        "owner_id": a["owner"].tolist(),
        "csm_id": a["csm"].tolist(),
        "account_strategy": lists["account_strategy"],
        "capability_areas_in_use": lists["capability_areas_in_use"],
        "capability_areas_planned": lists["capability_areas_planned"],
        "customer_goals": lists["customer_goals"],
        "pain_points": lists["pain_points"],
        "health_score": [None] * n,  # computed by the product at the end (measures.compute_health)
        "health_band": [""] * n,
        "created_at": [f"{company.iso(int(d))} 09:00:00" for d in a["created_days_ago"]],
        "updated_at": [stamp] * n,
    }
    insert_rows("customers_account", ACCOUNT_COLUMNS, zip(*(columns[c] for c in ACCOUNT_COLUMNS), strict=True))


def account_external_ids(indices: np.ndarray) -> list[str]:
    return [f"DEMO-ACC-{int(i) + 1:06d}" for i in indices]
