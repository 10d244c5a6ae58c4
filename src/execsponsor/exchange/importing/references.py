"""External ids → ExecSponsor ids, loaded once per import (one dict lookup per row, no per-row queries)."""

from __future__ import annotations

from functools import cached_property

from execsponsor.customers.models import Account, Contact
from execsponsor.users.models import User


class References:
    """Id maps for the accounts, contacts and users an import may point at.

    Salesforce and HubSpot rows point at records of their own source; a mapped CSV may point at records
    of any source (its own first), because it usually enriches what a CRM import brought in.
    """

    def __init__(self, *, source: str):
        self.source = source

    def _by_external_id(self, queryset, *fields: str) -> dict:
        rows = queryset.exclude(external_id="").values_list("source", "external_id", *fields)
        if self.source != "csv":
            return {ext: rest[0] if len(rest) == 1 else tuple(rest) for src, ext, *rest in rows if src == self.source}
        found: dict = {}
        for _src, ext, *rest in sorted(rows, key=lambda row: row[0] == self.source):
            found[ext] = rest[0] if len(rest) == 1 else tuple(rest)
        return found

    @cached_property
    def accounts(self) -> dict[str, int]:
        return self._by_external_id(Account.objects.all(), "id")

    @cached_property
    def contacts(self) -> dict[str, tuple[int, int]]:
        """{external id: (contact id, account id)}."""
        return self._by_external_id(Contact.objects.all(), "id", "account_id")

    @cached_property
    def users(self) -> dict[str, int]:
        return self._by_external_id(User.objects.all(), "id")

    @cached_property
    def users_by_name(self) -> dict[str, int]:
        """HubSpot names owners ("Jane Roe"); full names that two people share are left out."""
        found: dict[str, int | None] = {}
        for pk, first, last in User.objects.values_list("id", "first_name", "last_name"):
            key = f"{first} {last}".strip().casefold()
            found[key] = None if key in found else pk
        return {key: pk for key, pk in found.items() if pk is not None}

    @cached_property
    def users_by_email(self) -> dict[str, int]:
        return {email.casefold(): pk for pk, email in User.objects.exclude(email="").values_list("id", "email")}

    def user(self, value: str) -> int | None:
        """A user named by external id, email or (HubSpot) full name."""
        key = value.strip()
        return (
            self.users.get(key)
            or self.users_by_email.get(key.casefold())
            or self.users_by_name.get(" ".join(key.split()).casefold())
        )
