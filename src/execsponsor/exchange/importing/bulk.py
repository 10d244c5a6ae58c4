"""Bulk writes for the kinds that arrive by the million (activities): no model instance per row.

Django's bulk_create builds and prepares a model instance per row, which costs ~25x a plain executemany.
Here rows are plain tuples in the table's column order: SQLite gets one executemany per batch, PostgreSQL
gets COPY. Defaults for the columns an import does not set are prepared once.
"""

from __future__ import annotations

import datetime as dt
import json

from django.db import connection, models

UTC = dt.UTC


def by_external_id(model: type[models.Model], *, source: str, keys: list[str]) -> models.QuerySet:
    """Rows of `source` with these external ids, through the (source, external_id) unique index.

    The index is partial (external id not blank); repeating its condition lets SQLite use it instead of
    scanning the table once per batch.
    """
    return model.objects.filter(source=source, external_id__in=keys).exclude(external_id="").order_by()


def existing_external_ids(model: type[models.Model], *, source: str, keys: list[str]) -> set[str]:
    """Which of `keys` `source` already has in `model`'s table: one hand-written query per 10,000 keys.

    The same condition as `by_external_id` (so that SQLite uses the partial unique index), without building a
    lookup per key through the ORM, which at 5,000 keys a batch cost more than the query.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    found: set[str] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(keys), 10_000):
            chunk = keys[start : start + 10_000]
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT external_id FROM {table} WHERE source = %s AND NOT (external_id = '')"  # noqa: S608
                f" AND external_id IN ({placeholders})",
                [source, *chunk],
            )
            found.update(row[0] for row in cursor.fetchall())
    return found


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for `count` new rows, so that links can be written without reading the rows back.

    PostgreSQL: from the table's sequence. SQLite: after the current maximum — safe because each batch of an
    import is written in its own write transaction (BEGIN IMMEDIATE), which also inserts the rows, so no other
    writer can take ids meanwhile.
    """
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


class RowInserter:
    """Insert rows given as tuples of `attnames` values into `model`'s table, filling every other column's default.

    The caller passes values already in the database's form (`datetime()` converts a timestamp for SQLite); the
    defaults of the other columns are one tuple appended to each row, prepared once.
    """

    def __init__(self, model: type[models.Model], attnames: tuple[str, ...]):
        by_attname = {field.attname: field for field in model._meta.concrete_fields}
        others = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in attnames]
        self.table = connection.ops.quote_name(model._meta.db_table)
        self.columns = [by_attname[name].column for name in attnames] + [field.column for field in others]
        self.postgres = connection.vendor == "postgresql"
        self.defaults = tuple(self._default(field) for field in others)

    def _default(self, field: models.Field):
        value = field.get_default()  # "" for NOT NULL text fields without a default, None for nullable ones
        if isinstance(field, models.JSONField):
            return json.dumps(value)
        if isinstance(value, dt.datetime):
            return self.datetime(value)
        return value

    def datetime(self, value: dt.datetime | None):
        """SQLite stores Django datetimes as naive UTC text (str() of the naive value, as Django writes them);
        PostgreSQL takes the aware value as is."""
        if value is None or self.postgres:
            return value
        if value.tzinfo is not UTC:
            value = value.astimezone(UTC)
        return str(value)[:-6]  # drop "+00:00"

    def from_stored_datetime(self, value):
        """The aware datetime of what `datetime()` returned."""
        if value is None or self.postgres:
            return value
        return dt.datetime.fromisoformat(value).replace(tzinfo=UTC)

    def insert(self, rows: list[tuple]) -> None:
        if not rows:
            return
        defaults = self.defaults
        values = [row + defaults for row in rows] if defaults else rows
        columns = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
                    for value in values:
                        copy.write_row(value)
            else:
                placeholders = ", ".join(["%s"] * len(self.columns))
                sql = f"INSERT INTO {self.table} ({columns}) VALUES ({placeholders})"  # noqa: S608 — our own names
                cursor.executemany(sql, values)
