"""Fast writes for the demo generator: wipe the company data, bulk-insert rows, reset id sequences.

The generator computes primary keys itself and writes rows straight through the database driver:
`executemany` on SQLite, `COPY` on PostgreSQL. Both run inside the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models

# Everything that describes the customers and the program; wiped before the demo company is written.
# Configuration (role charters, program settings, playbooks, import mappings, webhooks) is kept.
COMPANY_MODELS = (
    "engagements.EngagementAttendee",
    "engagements.EngagementContact",
    "engagements.Commitment",
    "engagements.HistoricalEngagement",
    "engagements.Engagement",
    "program.HistoricalReviewDecision",
    "program.ReviewDecision",
    "program.HistoricalProgramReview",
    "program.ProgramReview",
    "playbooks.TaskComment",
    "playbooks.Task",
    "playbooks.PlaybookRun",
    "signals.Alert_evidence",
    "signals.Alert",
    "signals.FollowedChampion",
    "signals.Signal",
    "notify.Notification",
    "insights.HealthSnapshot",
    "insights.CsmRating",
    "insights.RelationshipStrength",
    "insights.MeasureSnapshotRow",
    "insights.ProgramKpiSnapshot",
    "insights.ImpactAnalysis",
    "program.Sponsorship_counterparts",
    "program.HistoricalSupportingExecutive",
    "program.SupportingExecutive",
    "program.HistoricalObjective",
    "program.Objective",
    "program.HistoricalAlignmentChecklist",
    "program.AlignmentChecklist",
    "program.RebalanceProposal",
    "program.RebalanceBatch",
    "program.HistoricalSponsorship",
    "program.Sponsorship",
    "program.PairRule",
    "program.RandomisedCohort",
    "program.SelectionRun",
    "program.MatchingRun",
    "customers.HistoricalRelationshipLevel",
    "customers.RelationshipLevel",
    "customers.HistoricalAdvocacyActivity",
    "customers.AdvocacyActivity",
    "customers.HistoricalAdvocate",
    "customers.Advocate",
    "customers.HistoricalOutcome",
    "customers.Outcome",
    "customers.SatisfactionResponse",
    "customers.UsageFigure",
    "customers.QuarterlyRevenue",
    "customers.Opportunity",
    "customers.HistoricalContact",
    "customers.Contact",
    "customers.HistoricalAccount",
    "customers.Account",
)

# Tables the generator fills with ids it computed itself; their sequences are reset afterwards.
GENERATED_MODELS = (
    "customers.Account",
    "customers.Outcome",
    "customers.Advocate",
    "customers.AdvocacyActivity",
    "customers.Contact",
    "customers.Opportunity",
    "customers.QuarterlyRevenue",
    "customers.SatisfactionResponse",
    "customers.UsageFigure",
    "program.Sponsorship",
    "program.Sponsorship_counterparts",
    "program.Objective",
    "engagements.Engagement",
    "engagements.EngagementContact",
    "engagements.EngagementAttendee",
    "signals.Signal",
    "insights.HealthSnapshot",
)


def _tables(labels: Iterable[str]) -> list[str]:
    return [apps.get_model(label)._meta.db_table for label in labels]


def wipe_company() -> None:
    """Delete every customer and program row, then our demo users. Other users and configuration stay."""
    tables = _tables(COMPANY_MODELS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if connection.in_atomic_block:
                connection.check_constraints()  # TRUNCATE refuses to run while deferred FK checks are pending
            cursor.execute("TRUNCATE {} RESTART IDENTITY CASCADE".format(", ".join(f'"{t}"' for t in tables)))
        else:
            for table in tables:
                cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608 - table names come from our models
    from execsponsor.common.constraints import Source
    from execsponsor.users.models import Executive, User

    Executive.objects.filter(user__source=Source.DEMO).delete()
    User.objects.filter(source=Source.DEMO).delete()


def _defaults_for_missing(table: str, columns: Sequence[str]) -> tuple[list[str], tuple[object, ...]]:
    """Columns the generator does not fill (fields added to the model later) and their default values."""
    model = next(m for m in apps.get_models(include_auto_created=True) if m._meta.db_table == table)
    names, values = [], []
    for field in model._meta.concrete_fields:
        if field.column in columns or field.null:
            continue
        value = field.get_default()
        value = json.dumps(value) if isinstance(field, models.JSONField) else field.get_db_prep_save(value, connection)
        names.append(field.column)
        values.append(value)
    return names, tuple(values)


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Write rows (tuples in `columns` order) to `table` through the driver, inside the current transaction.

    Columns of the table that `columns` leaves out get their model default, so new fields do not break the demo.
    """
    connection.ensure_connection()
    extra_columns, extra_values = _defaults_for_missing(table, columns)
    if extra_columns:
        columns = [*columns, *extra_columns]
        rows = (tuple(row) + extra_values for row in rows)
    column_list = ", ".join(f'"{c}"' for c in columns)
    raw = connection.connection
    if connection.vendor == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({column_list}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join("?" for _ in columns)
    # Building an index once from sorted data is far faster than updating it for every row.
    indexes = raw.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,)
    ).fetchall()
    for name, _ in indexes:
        raw.execute(f'DROP INDEX "{name}"')
    # SQLite evaluates each CHECK ... IN (...) list by building a temporary table, for every row: 5x slower
    # loads. The generated values come from the models' own choices, and tests check every constraint.
    raw.execute("PRAGMA ignore_check_constraints = ON")
    try:
        raw.executemany(f'INSERT INTO "{table}" ({column_list}) VALUES ({placeholders})', rows)  # noqa: S608
    finally:
        raw.execute("PRAGMA ignore_check_constraints = OFF")
    for _, sql in indexes:
        raw.execute(sql)


def reset_sequences() -> None:
    """After explicit ids, point each table's id sequence past the largest id (PostgreSQL; no-op on SQLite)."""
    models = [apps.get_model(label) for label in GENERATED_MODELS]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def speed_up_bulk_load() -> None:
    """SQLite only: fewer fsyncs while the demo loads. Safe: a crash just means running `esp demo` again."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-262144")


def restore_durability() -> None:
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=NORMAL")


COUNTED_MODELS = {
    "accounts": "customers.Account",
    "outcomes": "customers.Outcome",
    "advocates": "customers.Advocate",
    "contacts": "customers.Contact",
    "opportunities": "customers.Opportunity",
    "quarterly_revenue": "customers.QuarterlyRevenue",
    "satisfaction_responses": "customers.SatisfactionResponse",
    "usage_figures": "customers.UsageFigure",
    "sponsorships": "program.Sponsorship",
    "objectives": "program.Objective",
    "engagements": "engagements.Engagement",
    "engagement_contacts": "engagements.EngagementContact",
    "engagement_attendees": "engagements.EngagementAttendee",
    "health_snapshots": "insights.HealthSnapshot",
    "signals": "signals.Signal",
}


def row_counts() -> dict[str, int]:
    """Rows per generated table (the tables hold only demo data right after generation)."""
    counts = {}
    with connection.cursor() as cursor:
        for name, label in COUNTED_MODELS.items():
            cursor.execute(f'SELECT COUNT(*) FROM "{apps.get_model(label)._meta.db_table}"')  # noqa: S608
            counts[name] = cursor.fetchone()[0]
    return counts


def refresh_statistics() -> None:
    """Give the query planner fresh statistics after a bulk load (skipped inside a test transaction)."""
    restore_durability()
    if connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
