"""Database-level integrity helpers shared by the models."""

from __future__ import annotations

from django.db import models


def choice_check(field: str, choices: type[models.TextChoices], *, table: str, nullable: bool = False):
    """A CHECK constraint that keeps an enum column inside its choices, in the database itself."""
    condition = models.Q(**{f"{field}__in": choices.values})
    if nullable:
        condition |= models.Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=condition, name=f"{table}_{field}_valid")


def range_check(field: str, low, high, *, table: str, nullable: bool = True):
    condition = models.Q(**{f"{field}__gte": low, f"{field}__lte": high})
    if nullable:
        condition |= models.Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=condition, name=f"{table}_{field}_range")


class Source(models.TextChoices):
    """Where a record came from; external ids are unique per source."""

    MANUAL = "manual", "Entered in ExecSponsor"
    SALESFORCE = "salesforce", "Salesforce"
    HUBSPOT = "hubspot", "HubSpot"
    CSV = "csv", "CSV with mapping"
    CALENDAR = "calendar", "Calendar (ICS)"
    DEMO = "demo", "Demo company"


def external_id_unique(*, table: str):
    """(source, external_id) is unique when an external id is present."""
    return models.UniqueConstraint(
        fields=["source", "external_id"],
        condition=~models.Q(external_id=""),
        name=f"{table}_unique_external_id",
    )
