"""Bulk writes for the kinds that arrive by the million (activities): no model instance per row.

Django's bulk_create builds and prepares a model instance per row, which costs ~25x a plain executemany.
Here rows are plain tuples in the table's column order: SQLite gets one executemany per batch, PostgreSQL
gets COPY. Defaults for the columns an import does not set are prepared once.
"""

from __future__ import annotations

import datetime as dt
import json
from operator import itemgetter

from django.db import connection, models

UTC = dt.UTC


def by_external_id(model: type[models.Model], *, source: str, keys: list[str]) -> models.QuerySet:
    """Rows of `source` with these external ids, through the (source, external_id) unique index.

    The index is partial (external id not blank); repeating its condition lets SQLite use it instead of
    scanning the table once per batch.
    """
    return model.objects.filter(source=source, external_id__in=keys).exclude(external_id="").order_by()


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
    """Insert rows given as {attname: value} dicts into `model`'s table, filling every other column's default."""

    def __init__(self, model: type[models.Model], attnames: tuple[str, ...]):
        fields = [field for field in model._meta.concrete_fields if not field.primary_key or field.attname in attnames]
        self.table = connection.ops.quote_name(model._meta.db_table)
        self.columns = [field.column for field in fields]
        self.postgres = connection.vendor == "postgresql"
        self.defaults = {f.attname: self._default(f) for f in fields if f.attname not in attnames}
        self.datetimes = [f.attname for f in fields if f.attname in attnames and isinstance(f, models.DateTimeField)]
        self.row_of = itemgetter(*[field.attname for field in fields])

    def _default(self, field: models.Field):
        value = field.get_default()  # "" for NOT NULL text fields without a default, None for nullable ones
        if isinstance(field, models.JSONField):
            return json.dumps(value)
        if isinstance(value, dt.datetime):
            return self.datetime(value)
        return value

    def datetime(self, value: dt.datetime | None):
        """SQLite stores Django datetimes as naive UTC text; PostgreSQL takes the aware value as is."""
        if value is None or self.postgres:
            return value
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")

    def tuples(self, rows: list[dict]) -> list[tuple]:
        defaults, row_of, datetimes, convert = self.defaults, self.row_of, self.datetimes, self.datetime
        result = []
        for row in rows:
            merged = {**defaults, **row}
            if not self.postgres:
                for name in datetimes:
                    merged[name] = convert(merged[name])
            result.append(row_of(merged))
        return result

    def insert(self, rows: list[dict]) -> None:
        if not rows:
            return
        values = self.tuples(rows)
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
