"""Reads for the People page and executives' profiles: who may be made an executive, and the base values a
profile offers on a new install. The executive pages themselves (load, accounts) are in program/executives/.
"""

from __future__ import annotations

from django.db.models import Q

from execsponsor.users.models import Executive, Role, User


def people_list(*, search: str = "", role: str = "") -> list[User]:
    """Everyone, admins first, with what the People page shows (role, active, last sign-in, password set)."""
    people = User.objects.order_by("-is_active", "role", "first_name", "last_name", "username")
    if search := search.strip():
        people = people.filter(
            Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
            | Q(username__icontains=search)
        )
    if role in Role.values:
        people = people.filter(role=role)
    return list(people.select_related("executive"))


def executive_candidates():
    """Active people without an executive profile, by name: whom the program owner may make an executive."""
    return User.objects.filter(is_active=True, executive__isnull=True).order_by("first_name", "last_name", "username")


# A base so that a new install, with no accounts yet, still offers sensible choices.
BASE_INDUSTRIES = (
    "Banking",
    "Insurance",
    "Healthcare",
    "Life Sciences",
    "Manufacturing",
    "Retail",
    "Technology",
    "Telecommunications",
    "Energy",
    "Public Sector",
)
BASE_REGIONS = ("North America", "Latin America", "EMEA", "DACH", "Nordics", "UK & Ireland", "APAC", "Japan")
BASE_LANGUAGES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "pt": "Portuguese",
    "it": "Italian",
    "nl": "Dutch",
    "sv": "Swedish",
    "ja": "Japanese",
    "zh": "Chinese",
    "ko": "Korean",
    "hi": "Hindi",
    "ar": "Arabic",
}


def merged(*groups) -> list[str]:
    """The values of every group, once each, blanks dropped, in case-insensitive order."""
    return sorted({value for group in groups for value in group if value}, key=str.casefold)


def executive_values(field: str) -> set[str]:
    """The strings held in one list field (industries, regions, languages, enablement) across every executive."""
    values: set[str] = set()
    for listed in Executive.objects.values_list(field, flat=True):
        values.update(v for v in listed or () if isinstance(v, str))
    return values
