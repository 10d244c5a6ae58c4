"""Is this company one of our accounts? Domain first, then the name with legal forms, accents, case and
punctuation set aside ("Sakura Denki K.K." is "SAKURA DENKI"; "Müller GmbH" is "Muller")."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Legal forms, written without dots and in lower case, as they end (or begin) a company's name.
LEGAL_FORMS = frozenset(
    {
        "inc", "incorporated", "corp", "corporation", "co", "company", "llc", "llp", "lp", "ltd", "limited", "plc",
        "gmbh", "ag", "kg", "kgaa", "se", "ug", "ev", "mbh", "co kg", "gmbh co kg",
        "kk", "kabushiki kaisha", "kabushikigaisha", "gk", "yk",
        "sa", "sas", "sarl", "sasu", "sca", "spa", "srl", "sl", "slu", "sau",
        "ltda", "me", "eireli", "sa de cv", "s de rl",
        "bv", "nv", "vof", "oy", "oyj", "ab", "as", "asa", "aps", "a s", "hf",
        "pty", "pty ltd", "pte", "pte ltd", "bhd", "sdn bhd", "pvt", "pvt ltd", "private limited",
        "s a", "s l", "s r l", "s p a", "b v", "n v", "ag co",
        "holding", "holdings", "group",
    }
)  # fmt: skip


def company_key(name: str) -> str:
    """A company's name reduced to what identifies it: no accents, case, punctuation or legal form."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ").replace("ß", "ss")
    text = re.sub(r"(?<=\b\w)\.(?=\w\b)", "", text)  # "k.k." → "kk", "s.a." → "sa"
    text = re.sub(r"[^\w]+", " ", text).strip()
    words = text.split()
    changed = True
    while changed and len(words) > 1:
        changed = False
        for size in (3, 2, 1):
            if len(words) > size and " ".join(words[-size:]) in LEGAL_FORMS:
                words = words[:-size]
                changed = True
                break
    return " ".join(words)


def domain_key(domain: str) -> str:
    """`https://www.Example.com/about` → `example.com`."""
    text = domain.strip().casefold()
    text = re.sub(r"^[a-z]+://", "", text).split("/", 1)[0].split("@")[-1]
    return text.removeprefix("www.")


@dataclass(frozen=True)
class KnownCompany:
    id: str
    name: str
    domain: str = ""


@dataclass(frozen=True)
class CompanyMatch:
    company: KnownCompany | None
    by: str  # "domain", "name" or "" when nothing matched


class CompanyIndex:
    """Known companies looked up by domain and by normalised name, each key computed once: matching many
    departures against 100,000 accounts costs one pass over the accounts, not one per departure."""

    def __init__(self, known: Iterable[KnownCompany]):
        self.by_domain: dict[str, list[KnownCompany]] = {}
        self.by_name: dict[str, list[KnownCompany]] = {}
        for company in known:
            if company.domain:
                self.by_domain.setdefault(domain_key(company.domain), []).append(company)
            key = company_key(company.name)
            if key:
                self.by_name.setdefault(key, []).append(company)

    def match(self, name: str, domain: str, *, exclude: frozenset[str] = frozenset()) -> CompanyMatch:
        """The first known company (in the order given) this one is: by domain when one is given, else by
        normalised name; companies whose id is in `exclude` are passed over."""
        wanted_domain = domain_key(domain) if domain else ""
        for company in self.by_domain.get(wanted_domain, []) if wanted_domain else []:
            if company.id not in exclude:
                return CompanyMatch(company, "domain")
        wanted_name = company_key(name)
        for company in self.by_name.get(wanted_name, []) if wanted_name else []:
            if company.id not in exclude:
                return CompanyMatch(company, "name")
        return CompanyMatch(None, "")


def match_company(name: str, domain: str, known: Iterable[KnownCompany]) -> CompanyMatch:
    """The known company this one is: by domain when one is given, else by normalised name."""
    return CompanyIndex(known).match(name, domain)
