"""One importer per kind: accounts, contacts, opportunities, revenue, activities, users, executives."""

from __future__ import annotations

from execsponsor.customers.importing.kinds.accounts import AccountImporter
from execsponsor.customers.importing.kinds.activities import ActivityImporter
from execsponsor.customers.importing.kinds.contacts import ContactImporter
from execsponsor.customers.importing.kinds.executives import ExecutiveImporter
from execsponsor.customers.importing.kinds.opportunities import OpportunityImporter
from execsponsor.customers.importing.kinds.revenue import RevenueImporter
from execsponsor.customers.importing.kinds.users import UserImporter

IMPORTERS = {
    "accounts": AccountImporter,
    "contacts": ContactImporter,
    "opportunities": OpportunityImporter,
    "revenue": RevenueImporter,
    "activities": ActivityImporter,
    "users": UserImporter,
    "executives": ExecutiveImporter,
}
