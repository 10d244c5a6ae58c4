"""Our people from Salesforce User.csv (or a mapped CSV): new users get a role from their title and no password."""

from __future__ import annotations

import re

from django.contrib.auth.hashers import make_password

from execsponsor.customers.importing.bulk import by_external_id
from execsponsor.customers.importing.kinds.base import Importer, Row
from execsponsor.users.models import Role, User

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ROLE_WORDS = (
    (re.compile(r"\baccount executive\b|\bsales executive\b|\baccount manager\b|\bAE\b", re.I), Role.ACCOUNT_EXECUTIVE),
    (re.compile(r"\bcustomer success\b|\bCSM\b", re.I), Role.CSM),
)


def role_from(title: str) -> str:
    """'Account Executive' → account executive, 'Customer Success Manager' → CSM; everyone else starts as viewer."""
    for pattern, role in _ROLE_WORDS:
        if pattern.search(title):
            return role
    return Role.VIEWER


class UserImporter(Importer):
    """Matches by (source, external id), else by email (linking a user made by hand). Roles are set on creation
    only, so a re-import never demotes someone an admin has promoted."""

    kind = "users"
    model = User

    def parse(self, row: Row) -> dict | None:
        key = row.text("external_id", max_length=64, required=True)
        email = row.text("email", max_length=254, required=True).lower()
        if email and not _EMAIL.match(email):
            row.error("email", f"{email!r} is not an email address")
        values: dict = {"email": email}
        if row.has("last_name"):
            values["first_name"] = row.text("first_name", max_length=150)
            values["last_name"] = row.text("last_name", max_length=150, required=True)
        else:
            first, _, last = row.text("name", max_length=301, required=True).rpartition(" ")
            values["first_name"], values["last_name"] = first[:150], last[:150]
        if row.has("title"):
            values["title"] = row.text("title", max_length=200)
        if row.has("is_active") and row.cells["is_active"].strip():
            values["is_active"] = row.boolean("is_active")
        role = row.text("role", max_length=24).lower().replace(" ", "_") if row.has("role") else ""
        if role and role not in Role.values:
            row.error("role", f"{role!r} is not a role ({', '.join(Role.values)})")
        if row.bad or not self.first_sighting(row, key) or not self.first_sighting(row, email, field="email"):
            return None
        return {"key": key, "values": values, "role": role or role_from(values.get("title", ""))}

    def write(self, rows: list[tuple[Row, dict]]) -> None:
        keys = [parsed["key"] for _row, parsed in rows]
        emails = [parsed["values"]["email"] for _row, parsed in rows]
        by_key = {u.external_id: u for u in by_external_id(User, source=self.source, keys=keys)}
        by_email = {u.email.lower(): u for u in User.objects.filter(email__in=emails)}
        usernames = set(User.objects.filter(username__in=emails).values_list("username", flat=True))
        for row, parsed in rows:
            values = parsed["values"]
            user = by_key.get(parsed["key"]) or by_email.get(values["email"])
            if user is None:
                self._create(row, parsed, usernames)
                continue
            wanted = {**values, "source": self.source, "external_id": parsed["key"]}
            differences = {name: value for name, value in wanted.items() if getattr(user, name) != value}
            if differences:
                for name, value in differences.items():
                    setattr(user, name, value)
                user.save(update_fields=list(differences))
                self.report.updated += 1
            else:
                self.report.unchanged += 1
            self.refs.users[parsed["key"]] = user.pk

    def _create(self, row: Row, parsed: dict, usernames: set[str]) -> None:
        values = parsed["values"]
        username = values["email"][:150]
        if username in usernames:
            row.error("email", f"the username {username} is taken by another user")
            return
        user = User.objects.create(
            username=username,
            password=make_password(None),
            role=parsed["role"],
            source=self.source,
            external_id=parsed["key"],
            **values,
        )
        usernames.add(username)
        self.refs.users[parsed["key"]] = user.pk
        self.report.created += 1
