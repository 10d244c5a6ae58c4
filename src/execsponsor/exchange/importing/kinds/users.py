"""Our people from Salesforce User.csv (or a mapped CSV): new users get a role from their title and no password."""

from __future__ import annotations

import re

from django.contrib.auth.hashers import make_password

from execsponsor.access.rules import can
from execsponsor.exchange.importing.bulk import by_external_id
from execsponsor.exchange.importing.kinds.base import Importer, Row
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


# Changing these on someone who already signs in changes what they may do (or lets another person take over
# their account through the email), so an import does it only for whoever may manage users.
_GUARDED = ("is_active", "role", "email")
# Roles that run the program or the system: an import grants them only when an admin imports.
_GRANTED_BY_ADMINS = frozenset({Role.ADMIN, Role.PROGRAM_OWNER})


def _is_privileged(user: User) -> bool:
    return user.is_superuser or user.is_staff or user.role == Role.ADMIN


class UserImporter(Importer):
    """Matches by (source, external id), else by email (linking a user made by hand). Roles come from the title
    on creation; an explicit role column changes an existing user's role only when an admin imports, so a
    re-import never demotes someone an admin has promoted.

    Who imports matters: without the manage-users permission an import creates people and updates their names
    and titles, but never changes an existing user's role, active flag or email and never touches an admin.
    Every such change, applied or refused, is a warning in the report, so the preview lists it before commit.
    The CLI (`by` is None) is run by whoever operates the server and counts as an admin.
    """

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
        return {
            "key": key,
            "values": values,
            "role": role or role_from(values.get("title", "")),
            "explicit_role": role,
        }

    @property
    def _manages_users(self) -> bool:
        return can(self.by, "execsponsor.manage_users")

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
            if parsed["explicit_role"]:
                wanted["role"] = parsed["explicit_role"]
            differences = {name: value for name, value in wanted.items() if getattr(user, name) != value}
            differences = self._permitted(row, user, differences)
            if differences:
                for name, value in differences.items():
                    setattr(user, name, value)
                user.save(update_fields=list(differences))
                self.report.updated += 1
            else:
                self.report.unchanged += 1
            self.refs.users[parsed["key"]] = user.pk

    def _permitted(self, row: Row, user: User, differences: dict) -> dict:
        """The changes this import may make to `user`; each guarded change becomes a warning for the preview."""
        if not differences:
            return differences
        who = f"{user.get_full_name() or user.username} ({user.email or user.username})"
        if _is_privileged(user) and not self._manages_users:
            row.warning(None, f"{who} is an admin; only an admin's import changes them, so this row is left as is")
            return {}
        for name in _GUARDED:
            if name not in differences:
                continue
            change = _describe(name, getattr(user, name), differences[name])
            if self._manages_users:
                row.warning(name, f"will {change} of {who}")
            else:
                del differences[name]
                row.warning(name, f"not changed: only an admin may {change} of {who}")
        return differences

    def _create(self, row: Row, parsed: dict, usernames: set[str]) -> None:
        values = parsed["values"]
        username = values["email"][:150]
        role = parsed["role"]
        if role in _GRANTED_BY_ADMINS and not self._manages_users:
            role = role_from(values.get("title", ""))
            row.warning("role", f"only an admin may import a new {parsed['role']}; {username} starts as {role}")
        if username in usernames:
            row.error("email", f"the username {username} is taken by another user")
            return
        user = User.objects.create(
            username=username,
            password=make_password(None),
            role=role,
            source=self.source,
            external_id=parsed["key"],
            **values,
        )
        usernames.add(username)
        self.refs.users[parsed["key"]] = user.pk
        self.report.created += 1


def _describe(name: str, old, new) -> str:
    if name == "is_active":
        return "deactivate the account" if not new else "reactivate the account"
    if name == "role":
        return f"change the role from {old} to {new}"
    return f"change the email from {old} to {new}"
