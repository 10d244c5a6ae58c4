"""Name search on the accounts list: a fragment anywhere in the name, whatever its case and accents, through a
text index; the same answers on SQLite and PostgreSQL (run this file with DATABASE_URL set for the latter)."""

from __future__ import annotations

import unicodedata

import pytest
from django.db import connection

from execsponsor.customers import selectors
from execsponsor.customers.models import Account
from execsponsor.customers.search_index import ensure_account_search_index
from execsponsor.customers.services import account_update
from tests.conftest import client_for
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

NAMES = (
    "Rheinwerk Präzision GmbH",
    "Oberrhein Logistik AG",
    "Alpha RHEIN Partners",
    "São Jorge Seguros S.A.",
    "Saône Valley Wines",
    "Sao Paulo Trading",
    "Müller & Söhne",
    "Ålesund Fiskeri",
    "Brightwater Grocers, Inc.",
    "Élan Vital Clinics",
    "東雲電機株式会社",
    "100% Renewable Co",
)


def plain(text: str) -> str:
    """The requirement, written independently of the code: lower case, without accents."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


@pytest.fixture
def named(cast):
    # Domains that match nothing, so only the names decide.
    return [AccountFactory(name=name, domain=f"d{n}.invalid") for n, name in enumerate(NAMES)]


def found(user, term: str) -> set[str]:
    response = client_for(user).get("/accounts/", {"q": term})
    assert response.status_code == 200
    return {account.name for account in response.context["page"].rows}


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("rhein", {"Rheinwerk Präzision GmbH", "Oberrhein Logistik AG", "Alpha RHEIN Partners"}),
        ("RHEIN", {"Rheinwerk Präzision GmbH", "Oberrhein Logistik AG", "Alpha RHEIN Partners"}),
        ("sao", {"São Jorge Seguros S.A.", "Saône Valley Wines", "Sao Paulo Trading"}),
        ("São J", {"São Jorge Seguros S.A."}),
        ("praz", {"Rheinwerk Präzision GmbH"}),
        ("präz", {"Rheinwerk Präzision GmbH"}),
        ("muller", {"Müller & Söhne"}),
        ("& söhne", {"Müller & Söhne"}),
        ("alesund", {"Ålesund Fiskeri"}),
        ("elan", {"Élan Vital Clinics"}),
        ("電機株", {"東雲電機株式会社"}),
        ("rs, in", {"Brightwater Grocers, Inc."}),
        ('"quoted"', set()),
        ("100%", {"100% Renewable Co"}),
        ("0% r", {"100% Renewable Co"}),
        ("xyz", set()),
    ],
)
def test_a_fragment_finds_names_whatever_the_case_and_accents(cast, named, term, expected):
    assert found(cast.owner, term) == expected


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("sa", {"São Jorge Seguros S.A.", "Saône Valley Wines", "Sao Paulo Trading"}),
        ("É", {"Élan Vital Clinics", "Evergreen Energy"}),  # the cast has Evergreen Energy
        ("东", set()),
        ("東雲", {"東雲電機株式会社"}),
        ("rh", {"Rheinwerk Präzision GmbH"}),
    ],
)
def test_one_or_two_characters_match_the_start_of_a_name(cast, named, term, expected):
    assert found(cast.owner, term) == expected


def test_results_equal_a_plain_filter_over_the_same_accounts(cast, named):
    everyone = list(Account.objects.values_list("name", flat=True))
    for term in ("rhein", "sao", "er", "in", "ö", "ag", "se", "ine", "GmbH", "ria", "s.a.", "ne v", "o"):
        key = plain(term)
        if len(key) >= 3:
            expected = {name for name in everyone if key in plain(name)}
        else:
            expected = {name for name in everyone if plain(name).startswith(key)}
        # A domain that starts with the term also matches; the fixture's domains start with "d".
        assert found(cast.owner, term) == expected, term


def test_a_renamed_account_is_found_by_its_new_name_only(cast, named):
    account = Account.objects.get(name="Sao Paulo Trading")

    account_update(account=account, by=cast.owner, changes={"name": "Curitiba Comércio"})

    assert found(cast.owner, "comerc") == {"Curitiba Comércio"}
    assert "Curitiba Comércio" not in found(cast.owner, "paulo")


def test_a_deleted_account_is_no_longer_found(cast, named):
    Account.objects.get(name="Oberrhein Logistik AG").delete()

    assert found(cast.owner, "rhein") == {"Rheinwerk Präzision GmbH", "Alpha RHEIN Partners"}


def test_search_stays_within_what_the_user_may_see(cast, named):
    assert found(cast.ae, "rhein") == set()


def test_the_index_is_put_back_when_a_table_rebuild_dropped_its_triggers(cast, named):
    # What SQLite does to triggers when a later migration rebuilds the accounts table.
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL keeps indexes through ALTER TABLE")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER customers_account_search_insert")
    AccountFactory(name="Rheinland Kabel", domain="k.invalid")

    ensure_account_search_index(connection)

    assert "Rheinland Kabel" in found(cast.owner, "rhein")
    AccountFactory(name="Rheinau Mühle", domain="m.invalid")
    assert "Rheinau Mühle" in found(cast.owner, "rhein")


@pytest.mark.parametrize("window_max", [selectors.WINDOW_MAX, 50, 0], ids=["window", "short-window", "no-window"])
def test_a_fragment_matching_more_accounts_than_are_counted_pages_like_a_plain_filter(cast, monkeypatch, window_max):
    # Above the count cap (1,000) SQLite avoids sorting every match: by ARR it walks the sort's index against the
    # list of matches; by name it first looks among the first rows of the order, testing each row, which finds
    # the "RH" page by name descending and finds too few for "rhein" by name (the "Hafen Nord" names come
    # first), and then sorts the matches; with a window too short for the page (50 rows, none) it sorts them
    # at once. The same answers every way. bulk_create skips save(), so the search keys are written out here.
    monkeypatch.setattr(selectors, "WINDOW_MAX", window_max)
    names = [f"Rheinhafen Lager {n:04d}" for n in range(1050)] + [f"Hafen Nord {n:04d}" for n in range(300)]
    Account.objects.bulk_create(
        Account(name=name, search_name=name.lower(), domain=f"x{n}.invalid", arr=(n * 7919) % 1000)
        for n, name in enumerate(names)
    )
    # Found only by the start of the domain, only by the CRM id, only through the accent-free key.
    Account.objects.bulk_create(
        [
            Account(name="Port Authority", search_name="port authority", domain="rheinport.invalid", arr=5000),
            Account(
                name="Imported Ltd",
                search_name="imported ltd",
                domain="i.invalid",
                arr=4000,
                source="salesforce",
                external_id="rhein",
            ),
            Account(name="RHÉINBLICK", search_name="rheinblick", domain="b.invalid", arr=3000),
        ]
    )
    everyone = dict(Account.objects.values_list("name", "arr"))
    domains = dict(Account.objects.values_list("name", "domain"))
    crm_ids = dict(Account.objects.values_list("name", "external_id"))
    created = dict(Account.objects.values_list("name", "pk"))  # the tie-break of every sort

    def page_of(term: str, sort: str, number: int) -> list[str]:
        response = client_for(cast.owner).get("/accounts/", {"q": term, "sort": sort, "page": number})
        assert response.context["page"].capped
        return [account.name for account in response.context["page"].rows]

    def matching(term: str) -> list[str]:  # the requirement, in plain Python
        return [
            name
            for name in everyone
            if (plain(term) in plain(name) if len(term) >= 3 else plain(name).startswith(plain(term)))
            or domains[name].startswith(term.lower())
            or crm_ids[name] == term
        ]

    by_name = sorted(matching("rhein"), key=lambda name: (name, created[name]))
    assert "Port Authority" in by_name and "Imported Ltd" in by_name and "RHÉINBLICK" in by_name
    assert page_of("rhein", "name", 1) == by_name[:50]
    assert page_of("rhein", "name", 3) == by_name[100:150]
    assert page_of("rhein", "name", 12) == by_name[550:600]
    assert (
        page_of("RH", "-name", 1) == sorted(matching("RH"), key=lambda name: (name, created[name]), reverse=True)[:50]
    )
    by_arr = sorted(by_name, key=lambda name: (-everyone[name], created[name]))
    assert by_arr[:3] == ["Port Authority", "Imported Ltd", "RHÉINBLICK"]
    assert page_of("rhein", "-arr", 1) == by_arr[:50]
    assert page_of("rhein", "-arr", 2) == by_arr[50:100]


def found_by_api(user, term: str) -> set[str]:
    response = client_for(user).get("/api/v1/accounts", {"search": term, "limit": 100})
    assert response.status_code == 200
    return {item["name"] for item in response.json()["items"]}


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("rhein", {"Rheinwerk Präzision GmbH", "Oberrhein Logistik AG", "Alpha RHEIN Partners"}),
        ("sao", {"São Jorge Seguros S.A.", "Saône Valley Wines", "Sao Paulo Trading"}),
        ("SÃO", {"São Jorge Seguros S.A.", "Saône Valley Wines", "Sao Paulo Trading"}),
        ("muller", {"Müller & Söhne"}),
        ("電機株", {"東雲電機株式会社"}),
        ("sa", {"São Jorge Seguros S.A.", "Saône Valley Wines", "Sao Paulo Trading"}),
        ("rh", {"Rheinwerk Präzision GmbH"}),
        ("100%", {"100% Renewable Co"}),
        ("xyz", set()),
    ],
)
def test_the_api_search_finds_what_the_page_finds(cast, named, term, expected):
    """GET /api/v1/accounts?search= goes through the same index: case and accents ignored, on both databases."""
    assert found_by_api(cast.owner, term) == expected
    assert found(cast.owner, term) == expected


def test_the_api_search_also_finds_the_start_of_a_domain_and_a_crm_id(cast, named):
    AccountFactory(name="Quiet Harbour", domain="harbourline.invalid", source="salesforce", external_id="001ZZ1")

    assert found_by_api(cast.owner, "harbourl") == {"Quiet Harbour"}
    assert found_by_api(cast.owner, "001ZZ1") == {"Quiet Harbour"}
    assert found_by_api(cast.owner, "line.invalid") == set()  # the domain matches from its start only


def test_the_api_search_stays_within_what_the_user_may_see(cast, named):
    # The fixture's accounts have no owner; the AE sees only their own.
    assert found_by_api(cast.ae, "rhein") == set()
    assert found_by_api(cast.owner, "rhein") != set()


def test_a_search_over_more_than_a_page_counts_each_match_once(cast):
    # 60 names with the fragment, 5 of them also with a domain that starts with it, 3 others only by domain:
    # 63 accounts, counted from the indexes on SQLite, through the table on PostgreSQL.
    Account.objects.bulk_create(
        Account(
            name=f"Kleinhafen {n:02d}",
            search_name=f"kleinhafen {n:02d}",
            domain=f"kleinhafen{n}.invalid" if n < 5 else f"k{n}.invalid",
        )
        for n in range(60)
    )
    Account.objects.bulk_create(
        Account(name=f"Port {n}", search_name=f"port {n}", domain=f"kleinhafen-port{n}.invalid") for n in range(3)
    )

    page = client_for(cast.owner).get("/accounts/", {"q": "kleinhafen", "page": 2}).context["page"]

    assert (page.matches, page.capped, len(page.rows)) == (63, False, 13)
    viewer_page = client_for(cast.viewer).get("/accounts/", {"q": "KLEINHAFEN", "page": 2}).context["page"]
    assert viewer_page.matches == 63
