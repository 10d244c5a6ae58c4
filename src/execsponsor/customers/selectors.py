"""Reads for the account pages. Every function starts from `visible_accounts(user)`."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, DecimalField, F, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.text import capfirst

from execsponsor.access.visibility import sees_every_account, visible_accounts
from execsponsor.common.constraints import Source
from execsponsor.customers.models import (
    Account,
    Contact,
    HealthBand,
    QuarterlyRevenue,
    Seniority,
    search_key,
)
from execsponsor.users.models import Role, User

# Each sort ends in a unique column so that pages never overlap; nulls go last both ways.
ACCOUNT_SORTS: dict[str, tuple] = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "arr": (F("arr").asc(nulls_last=True), "pk"),
    "-arr": (F("arr").desc(nulls_last=True), "pk"),
    "health": (F("health_score").asc(nulls_last=True), "name", "pk"),
    "-health": (F("health_score").desc(nulls_last=True), "name", "pk"),
    "renewal": (F("renewal_date").asc(nulls_last=True), "pk"),
    "-renewal": (F("renewal_date").desc(nulls_last=True), "pk"),
}
DEFAULT_SORT = "name"
NAME_SORTS = ("name", "-name")

# Counting every match of a filter over 100,000 accounts is the slowest part of a list page;
# beyond this many we say "1,000+" instead.
COUNT_CAP = 1000

# Below this many characters a name search matches the start of the name only (an index-friendly
# prefix match); longer terms match anywhere in the name.
SUBSTRING_SEARCH_MIN_LENGTH = 3

HISTORY_ENTRIES = 20
HISTORY_HIDDEN_FIELDS = {"updated_at", "created_at", "id"}
HISTORY_FIELD_LABELS = {"csm": "CSM", "owner": "Owner (AE)"}

SENIORITY_ORDER = {value: rank for rank, value in enumerate(Seniority.values)}


@dataclass(frozen=True)
class AccountPage:
    rows: list[Account]
    number: int
    page_size: int
    has_next: bool
    matches: int | None = None  # None when the count was not needed (one page) or capped
    capped: bool = False

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.page_size + 1 if self.rows else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.page_size + len(self.rows)


def account_list(
    *,
    user: User,
    search: str = "",
    segment: str = "",
    owner_id: int | None = None,
    health_band: str = "",
    conditions: Sequence[Q] = (),
    prefetch: Sequence[Prefetch] = (),
    sort: str = DEFAULT_SORT,
    page: int = 1,
) -> AccountPage:
    """One page of the accounts `user` may see, filtered and sorted, with owner and CSM.

    `conditions` narrow the accounts further and `prefetch` loads more on the page's rows: the apps above this
    one pass theirs (the accounts list filters on the program and shows the live sponsors, from `program`).
    """
    filters = {"segment": segment, "owner_id": owner_id, "health_band": health_band, "conditions": tuple(conditions)}
    accounts = _filtered_accounts(visible_accounts(user), search=search, **filters)
    page_size = settings.ESP_PAGE_SIZE
    page = max(page, 1)
    offset = (page - 1) * page_size
    matches = None
    sort = sort if sort in ACCOUNT_SORTS else DEFAULT_SORT
    order = ACCOUNT_SORTS[sort]
    ids = None
    if search.strip():
        # A search is counted first (capped, from the text index). One that matches more than the cap on SQLite
        # avoids sorting every match, which grows with the number of accounts (see `_search_walking_in_order`
        # and `_matches_in_window`); below the cap, sorting the matches is the quick way.
        unfiltered = sees_every_account(user) and not any(value not in ("", None, ()) for value in filters.values())
        if unfiltered and connection.vendor == "sqlite":
            matches = _search_match_count(search, COUNT_CAP + 1)
        else:
            matches = accounts.order_by()[: COUNT_CAP + 1].count()
        if matches > COUNT_CAP and connection.vendor == "sqlite":
            unsearched = _filtered_accounts(visible_accounts(user), search="", **filters)
            if sort in NAME_SORTS or len(search_key(search)) < SUBSTRING_SEARCH_MIN_LENGTH:
                ids = _matches_in_window(unsearched, search, order, offset, page_size + 1)
            if ids is None and sort not in NAME_SORTS:
                accounts = unsearched.filter(_search_walking_in_order(search))
    if ids is None:
        # Sort and slice on the narrow table first, then load the page's rows with their people: sorting
        # 100,000 rows joined to their owner and CSM is several times slower than sorting their ids.
        # One id more than a page tells whether a next page exists, without counting the whole table.
        ids = list(accounts.order_by(*order).values_list("pk", flat=True)[offset : offset + page_size + 1])
    has_next = len(ids) > page_size
    rows = _accounts_in_order(ids[:page_size], prefetch)
    if page == 1 and not has_next:
        return AccountPage(rows=rows, number=page, page_size=page_size, has_next=False, matches=len(rows))
    if matches is None:
        matches = accounts.order_by()[: COUNT_CAP + 1].count()
    return AccountPage(
        rows=rows,
        number=page,
        page_size=page_size,
        has_next=has_next,
        matches=min(matches, COUNT_CAP),
        capped=matches > COUNT_CAP,
    )


def _accounts_in_order(ids: list[int], prefetch: Sequence[Prefetch]) -> list[Account]:
    if not ids:
        return []
    by_id = Account.objects.select_related("owner", "csm").prefetch_related(*prefetch).in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def _filtered_accounts(
    accounts: QuerySet,
    *,
    search: str,
    segment: str,
    owner_id: int | None,
    health_band: str,
    conditions: tuple[Q, ...],
) -> QuerySet:
    if search := search.strip():
        accounts = accounts.filter(account_search_condition(search))
    if segment:
        accounts = accounts.filter(segment=segment)
    if owner_id is not None:
        accounts = accounts.filter(owner_id=owner_id)
    if health_band:
        accounts = accounts.filter(health_band=health_band)
    for condition in conditions:
        accounts = accounts.filter(condition)
    return accounts


def account_search_condition(term: str) -> Q:
    """The name contains the term (or starts with it, for short terms), ignoring case and accents; or the domain
    starts with it; or the external id is it. The accounts page and the API's `?search=` both use it.

    Every branch is an id list from an index: the trigram index for a fragment of the name, a b-tree range
    for a prefix, so the cost follows the number of matches rather than the number of accounts.
    """
    key = search_key(term)
    if len(key) >= SUBSTRING_SEARCH_MIN_LENGTH:
        name = Q(pk__in=_ids_with_name_fragment(key))
    else:
        name = _prefix_condition("search_name", key) if key else Q(pk__in=[])
    by_domain, by_external_id = _other_search_branches(term)
    return name | Q(pk__in=by_domain) | Q(pk__in=by_external_id)


def _other_search_branches(term: str) -> tuple[QuerySet, QuerySet]:
    """Ids of the accounts whose domain starts with the term, and of the one whose external id is the term."""
    # Unordered: written out as SQL inside another query, the model's ordering by name would make SQLite read
    # and sort every account whose domain starts with the term (8 ms for one letter at 100,000 accounts).
    by_domain = Account.objects.filter(_prefix_condition("domain", term.lower())).order_by().values("pk")
    by_external_id = (
        Account.objects.filter(source__in=Source.values, external_id=term)
        .exclude(external_id="")
        .order_by()
        .values("pk")
    )
    return by_domain, by_external_id


def _search_walking_in_order(term: str) -> RawSQL:
    """`account_search_condition` on SQLite for a sort other than by name, when the search matches more than
    COUNT_CAP accounts: the same test, written so that SQLite uses no index for it (a unary +) and scans the
    sort's index instead, checking each id against the list of matches until the page is full. The list comes
    from the trigram index (or the search key's index, for a prefix) and the walk reads the sort's index alone:
    with one account in a hundred matching or more, a few thousand entries (2-6 ms at 100,000 accounts, against
    5-30 ms for sorting every match). Names that share a fragment sit together in the order of names, so a
    walk by name can run far before it finds them: sorts by name use `_matches_in_window` instead."""
    list_sql, params = _name_match_sql(term)
    sql = f'+"customers_account"."id" IN ({list_sql})'
    # The other two branches as the ORM writes them, so that SQLite recognises the partial unique index.
    for subquery in _other_search_branches(term):
        sql_part, sub_params = subquery.query.sql_with_params()
        sql += f' OR +"customers_account"."id" IN ({sql_part})'
        params += list(sub_params)
    return RawSQL(f"({sql})", params, output_field=BooleanField())  # noqa: S611 - values are parameters


# A search that matches many accounts, sorted by name or by a one- or two-letter prefix, first looks for its page
# among the first rows of the sort's order: as many as should hold half as many matches again as the page needs,
# judged from how many names match (counted up to WINDOW_COUNT_LIMIT), and never more than WINDOW_MAX rows.
WINDOW_MAX = 2_500
WINDOW_COUNT_LIMIT = 20_000
WINDOW_MARGIN = 1.5


def _matches_in_window(unsearched: QuerySet, search: str, order: tuple, offset: int, wanted: int) -> list[int] | None:
    """The ids of rows `offset` to `offset + wanted` of the search's matches, found among the first rows of
    `unsearched` in `order`; None when those rows would hold, or held, too few matches (the caller then sorts
    every match).

    The window's ids come from the sort's index; SQLite reads each of those rows once, tests it with
    `_search_testing_each_row` and sorts what passes, so the cost follows the window (about 2.5 µs a row), not
    the number of accounts. A common fragment or letter fills a page from a few hundred rows at any size; a
    rare one, or one whose names come late in the order, is sorted from its matches instead."""
    needed = offset + wanted
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM customers_account")  # never fewer than the accounts
        accounts = cursor.fetchone()[0] or 0
    names = _name_matches(search, limit=WINDOW_COUNT_LIMIT)
    if not names:
        return None
    window = math.ceil(needed * accounts / names * WINDOW_MARGIN)
    if window > WINDOW_MAX:
        return None
    first_rows = unsearched.order_by(*order).values("pk")[:window]
    in_window = Account.objects.filter(pk__in=first_rows).filter(_search_testing_each_row(search))
    ids = list(in_window.order_by(*order).values_list("pk", flat=True)[offset:needed])
    return ids if len(ids) == wanted else None


def _search_testing_each_row(term: str) -> RawSQL:
    """`account_search_condition` for SQLite as a test of the row itself (no index), for `_matches_in_window`.
    The name test is a plain substring of the search key, which is what the trigram index answers."""
    key = search_key(term)
    table = '"customers_account"'
    if len(key) >= SUBSTRING_SEARCH_MIN_LENGTH:
        tests = [f"instr({table}.search_name, %s) > 0"]
        params: list = [key]
    elif key:
        tests = [f"(+{table}.search_name >= %s AND +{table}.search_name < %s)"]
        params = [key, key + "\U0010ffff"]
    else:
        tests, params = [], []
    domain = term.lower()
    tests.append(f"(+{table}.domain >= %s AND +{table}.domain < %s)")
    params += [domain, domain + "\U0010ffff"]
    sources = ", ".join("%s" for _ in Source.values)
    tests.append(f"(+{table}.external_id = %s AND {table}.external_id <> '' AND +{table}.source IN ({sources}))")
    params += [term, *Source.values]
    return RawSQL(f"({' OR '.join(tests)})", params, output_field=BooleanField())  # noqa: S611 - parameters


def _trigram_ids_sql(key: str) -> tuple[str, list]:
    """SQLite: the ids whose search key contains `key` (3+ characters), from the FTS5 trigram index. The key is an
    FTS5 phrase: double quotes inside it are doubled; the trigram tokenizer matches it anywhere."""
    phrase = '"' + key.replace('"', '""') + '"'
    return "SELECT rowid FROM customers_account_search WHERE customers_account_search MATCH %s", [phrase]


def _name_match_sql(term: str) -> tuple[str, list]:
    """SQLite: the ids whose search key contains the term (3+ characters, the trigram index) or starts with it."""
    key = search_key(term)
    if len(key) >= SUBSTRING_SEARCH_MIN_LENGTH:
        return _trigram_ids_sql(key)
    if key:
        return "SELECT id FROM customers_account WHERE search_name >= %s AND search_name < %s", [
            key,
            key + "\U0010ffff",
        ]
    return "SELECT id FROM customers_account WHERE 0", []


def _name_matches(term: str, *, limit: int) -> int:
    """How many accounts the name part of the search matches on SQLite, counting no further than `limit`."""
    name_sql, params = _name_match_sql(term)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({name_sql} LIMIT {int(limit)})", params)  # noqa: S608
        return cursor.fetchone()[0]


def _search_match_count(term: str, cap: int) -> int:
    """How many accounts `account_search_condition(term)` matches, up to `cap`, on SQLite, from the indexes
    alone: the union of the three branches' ids, never reading an account row. (Counting through the accounts
    table looks every match up by id, which at 100,000 accounts is most of a search's cost.)"""
    # The name's matches alone first: a LIMIT stops that early, while a UNION reads every branch in full to
    # drop the repeats (6 ms for a fragment found in a quarter of 100,000 names).
    if _name_matches(term, limit=cap) >= cap:
        return cap
    name_sql, params = _name_match_sql(term)
    parts = [name_sql]
    for subquery in _other_search_branches(term):
        sql_part, sub_params = subquery.query.sql_with_params()
        parts.append(sql_part)
        params += list(sub_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({' UNION '.join(parts)} LIMIT {int(cap)})", params)  # noqa: S608
        return cursor.fetchone()[0]


def _ids_with_name_fragment(key: str) -> RawSQL | QuerySet:
    """Ids of the accounts whose search key contains `key` (3+ characters), through the trigram index."""
    if connection.vendor == "sqlite":
        return RawSQL(*_trigram_ids_sql(key))  # noqa: S611 - the key is a parameter
    # PostgreSQL: LIKE '%key%' on the column is answered by the pg_trgm GIN index.
    return Account.objects.filter(search_name__contains=key).values("pk")


def _prefix_condition(column: str, prefix: str) -> Q:
    """`column` starts with `prefix` (compared as stored: the callers pass keys that are already lower case).

    PostgreSQL answers LIKE 'prefix%' from the varchar_pattern_ops index Django adds to indexed text columns;
    SQLite's LIKE ignores case and so cannot use a plain index, but a range on the column can.
    """
    if connection.vendor == "postgresql":
        return Q(**{f"{column}__startswith": prefix})
    return Q(**{f"{column}__gte": prefix, f"{column}__lt": prefix + "\U0010ffff"})


OWNER_OPTIONS_SHOWN = 12


def _owners_to_offer(user: User) -> QuerySet:
    """Active account executives who own accounts `user` may see."""
    owners = User.objects.filter(role=Role.ACCOUNT_EXECUTIVE, is_active=True)
    if not sees_every_account(user):
        owners = owners.filter(pk__in=visible_accounts(user).values("owner_id"))
    return owners


def _display_name(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


def account_owner_choices(*, user: User, search: str = "", limit: int = OWNER_OPTIONS_SHOWN) -> tuple[list, bool]:
    """Up to `limit` (id, name) of the owners `user` may filter by whose name or username contains every word
    of `search`, and whether there are more. The accounts list's owner picker asks for these as you type."""
    owners = _owners_to_offer(user)
    for word in search.split():
        owners = owners.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(username__icontains=word)
        )
    rows = list(
        owners.order_by("first_name", "last_name", "pk").values_list("pk", "first_name", "last_name", "username")[
            : limit + 1
        ]
    )
    return [(pk, _display_name(first, last, name)) for pk, first, last, name in rows[:limit]], len(rows) > limit


def account_owner_name(*, user: User, owner_id: int | None) -> str:
    """The name of the owner the list is filtered by, if `user` may filter by them; else ''."""
    if owner_id is None:
        return ""
    row = _owners_to_offer(user).filter(pk=owner_id).values_list("first_name", "last_name", "username").first()
    return _display_name(*row) if row else ""


# The account page's own parts (the page itself, which shows sponsorships, engagements and health too, is
# composed in home/selectors_accounts.py)


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: dt.datetime
    who: str
    kind: str  # created | changed | deleted | recorded (the oldest record we have, not a creation)
    changes: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class RevenueQuarter:
    label: str
    revenue: Decimal
    arr_end: Decimal | None


def account_contacts(account: Account) -> list[Contact]:
    """The account's contacts, most senior first."""
    contacts = list(account.contacts.select_related("reports_to", "advocacy"))
    contacts.sort(key=lambda c: (SENIORITY_ORDER.get(c.seniority, len(SENIORITY_ORDER)), c.last_name, c.first_name))
    return contacts


def account_revenue(account: Account) -> list[RevenueQuarter]:
    """The account's last twelve quarters of revenue, oldest first."""
    rows = QuarterlyRevenue.objects.filter(account=account).order_by("-year", "-quarter")[:12]
    return [RevenueQuarter(r.label, r.revenue, r.arr_end) for r in reversed(rows)]


def _history(account: Account) -> list[HistoryEntry]:
    # One record more than we show, so that the oldest shown change can be diffed against its predecessor.
    records = list(
        account.history.select_related("history_user").order_by("-history_date", "-history_id")[: HISTORY_ENTRIES + 1]
    )
    user_names = _user_names(records)
    entries = []
    for newer, older in zip(records[:HISTORY_ENTRIES], [*records[1:], None], strict=False):
        who = str(newer.history_user) if newer.history_user else "System or import"
        if newer.history_type == "+" or older is None:
            entries.append(
                HistoryEntry(newer.history_date, who, "created" if newer.history_type == "+" else "recorded")
            )
            continue
        if newer.history_type == "-":
            entries.append(HistoryEntry(newer.history_date, who, "deleted"))
            continue
        delta = newer.diff_against(older, excluded_fields=HISTORY_HIDDEN_FIELDS)
        changes = [
            FieldChange(
                field=_field_label(change.field),
                old=_display(change.field, change.old, user_names),
                new=_display(change.field, change.new, user_names),
            )
            for change in sorted(delta.changes, key=lambda c: c.field)
        ]
        if changes:
            entries.append(HistoryEntry(newer.history_date, who, "changed", changes))
    return entries


def _field_label(field_name: str) -> str:
    return HISTORY_FIELD_LABELS.get(field_name) or capfirst(str(Account._meta.get_field(field_name).verbose_name))


def _user_names(records: list) -> dict[int, str]:
    ids = {r.owner_id for r in records} | {r.csm_id for r in records}
    ids.discard(None)
    return {u.pk: str(u) for u in User.objects.filter(pk__in=ids)} if ids else {}


def _display(field_name: str, value, user_names: dict[int, str]) -> str:
    if value in (None, "", []):
        return "—"
    model_field = Account._meta.get_field(field_name)
    if model_field.is_relation:
        return user_names.get(value, f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(model_field, DecimalField):
        return f"{Decimal(value):,.0f}" if model_field.decimal_places else str(value)
    return str(value)


def health_band_choices() -> list[tuple[str, str]]:
    return list(HealthBand.choices)


# Edit in place


def account_get(*, user: User, account_id: int) -> Account:
    """One account with its AE and CSM. Raises Account.DoesNotExist when `user` may not see it."""
    return visible_accounts(user).select_related("owner", "csm").get(pk=account_id)


def contact_get(*, user: User, account_id: int, contact_id: int) -> Contact:
    """One contact of a visible account. Raises Contact.DoesNotExist when it is not there or not visible."""
    return (
        Contact.objects.filter(account__in=visible_accounts(user), account_id=account_id)
        .select_related("account", "reports_to", "advocacy")
        .get(pk=contact_id)
    )


def account_history(account: Account) -> list[HistoryEntry]:
    """The account's latest field changes, newest first, each with who made it."""
    return _history(account)
