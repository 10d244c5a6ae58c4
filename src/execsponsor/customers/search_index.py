"""The trigram text index behind the accounts list's name search, per database.

SQLite: an FTS5 table with the trigram tokenizer that holds no copy of the text (external content on
customers_account, keyed by the account id) and three triggers that keep it in step with every insert,
update and delete, whoever writes (services, bulk imports, the demo generator). PostgreSQL: pg_trgm and a
GIN trigram index on the column itself.

SQLite drops a table's triggers when Django rebuilds the table (some later ALTERs do), so after every
`migrate` `ensure_account_search_index` puts back whatever is missing and then rebuilds the index.
"""

from __future__ import annotations

SEARCH_TABLE = "customers_account_search"

_SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE customers_account_search USING fts5("
    "search_name, content='customers_account', content_rowid='id', tokenize='trigram')"
)
# FTS5's 'delete' command takes the old text, which the external-content table needs to find the tokens.
_SQLITE_TRIGGERS = {
    "customers_account_search_insert": (
        "CREATE TRIGGER customers_account_search_insert AFTER INSERT ON customers_account BEGIN "
        "INSERT INTO customers_account_search (rowid, search_name) VALUES (new.id, new.search_name); END"
    ),
    "customers_account_search_delete": (
        "CREATE TRIGGER customers_account_search_delete AFTER DELETE ON customers_account BEGIN "
        "INSERT INTO customers_account_search (customers_account_search, rowid, search_name) "
        "VALUES ('delete', old.id, old.search_name); END"
    ),
    "customers_account_search_update": (
        "CREATE TRIGGER customers_account_search_update AFTER UPDATE OF id, search_name ON customers_account BEGIN "
        "INSERT INTO customers_account_search (customers_account_search, rowid, search_name) "
        "VALUES ('delete', old.id, old.search_name); "
        "INSERT INTO customers_account_search (rowid, search_name) VALUES (new.id, new.search_name); END"
    ),
}
_POSTGRES_CREATE = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS customers_account_search_trgm ON customers_account "
    "USING gin (search_name gin_trgm_ops)",
)


def ensure_account_search_index(connection) -> None:
    """Create the text index, or whatever part of it is missing; idempotent. Nothing before migration 0006."""
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if "customers_account" not in tables:
            return
        columns = {c.name for c in connection.introspection.get_table_description(cursor, "customers_account")}
        if "search_name" not in columns:
            return
        if connection.vendor == "postgresql":
            for statement in _POSTGRES_CREATE:
                cursor.execute(statement)
            return
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE ?",
            ["customers_account_search%"],
        )
        existing = {row[0] for row in cursor.fetchall()}
        missing = [sql for name, sql in _SQLITE_TRIGGERS.items() if name not in existing]
        if SEARCH_TABLE not in existing:
            cursor.execute(_SQLITE_TABLE)
        for statement in missing:
            cursor.execute(statement)
        if missing or SEARCH_TABLE not in existing:
            # Rows written while a trigger was missing are not in the index yet.
            cursor.execute("INSERT INTO customers_account_search (customers_account_search) VALUES ('rebuild')")


def drop_account_search_index(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS customers_account_search_trgm")
        elif connection.vendor == "sqlite":
            for name in _SQLITE_TRIGGERS:
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
            cursor.execute("DROP TABLE IF EXISTS customers_account_search")


def after_migrate(sender, using, plan=None, **kwargs) -> None:
    from django.db import connections

    ensure_account_search_index(connections[using])
