"""Following a champion to their new company: domain first, then a forgiving name, never a duplicate."""

import pytest

from execsponsor.core.companies import KnownCompany, company_key, domain_key, match_company


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Acme Inc.", "acme"),
        ("ACME, Inc", "acme"),
        ("Müller Maschinenbau GmbH", "muller maschinenbau"),
        ("Sakura Denki K.K.", "sakura denki"),
        ("Sakura Denki Kabushiki Kaisha", "sakura denki"),
        ("Cordillera Minerals S.A.", "cordillera minerals"),
        ("Atlântico Seguros Ltda.", "atlantico seguros"),
        ("São Jorge Participações S/A", "sao jorge participacoes"),
        ("Nordlicht AG", "nordlicht"),
        ("Johnson & Johnson", "johnson and johnson"),
        ("Fjordbank ASA", "fjordbank"),
        ("Group", "group"),  # a name that is only a legal word keeps it
    ],
)
def test_company_key_sets_aside_legal_forms_accents_and_case(name, key):
    assert company_key(name) == key


@pytest.mark.parametrize(
    ("raw", "key"),
    [("https://www.Nordlicht.example/about", "nordlicht.example"), ("nordlicht.example", "nordlicht.example")],
)
def test_domain_key(raw, key):
    assert domain_key(raw) == key


ACCOUNTS = [
    KnownCompany("1", "Nordlicht Logistik GmbH", "nordlicht-logistik.example"),
    KnownCompany("2", "Sakura Denki K.K.", "sakura.example"),
    KnownCompany("3", "Granite Insurance Corp.", ""),
]


def test_the_domain_wins_over_the_name():
    found = match_company("Some Other Name", "www.sakura.example", ACCOUNTS)
    assert (found.company.id, found.by) == ("2", "domain")


def test_the_name_matches_when_the_domain_is_unknown():
    found = match_company("granite insurance", "granite.example", ACCOUNTS)
    assert (found.company.id, found.by) == ("3", "name")


def test_a_new_company_matches_nothing():
    found = match_company("Cordillera Minerals S.A.", "cordillera.example", ACCOUNTS)
    assert found.company is None and found.by == ""


def test_the_index_passes_over_excluded_companies_and_keeps_the_given_order():
    from execsponsor.core.companies import CompanyIndex, KnownCompany

    own = KnownCompany("1", "Sakura Denki K.K.", "sakura.example")
    twin = KnownCompany("2", "SAKURA DENKI", "")
    later = KnownCompany("3", "Sakura Denki Kabushiki Kaisha", "")
    index = CompanyIndex([own, twin, later])
    assert index.match("Sakura Denki", "").company == own
    assert index.match("Sakura Denki", "", exclude=frozenset({"1"})).company == twin
    # The domain names the excluded one: the name still finds the next.
    found = index.match("Sakura Denki", "https://www.sakura.example", exclude=frozenset({"1"}))
    assert (found.company, found.by) == (twin, "name")
    assert index.match("Sakura Denki", "", exclude=frozenset({"1", "2", "3"})).company is None
