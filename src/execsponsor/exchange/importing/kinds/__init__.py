"""One importer per kind: accounts, contacts, opportunities, revenue, activities, users, executives."""

from __future__ import annotations

from execsponsor.exchange.importing.kinds.accounts import AccountImporter
from execsponsor.exchange.importing.kinds.activities import ActivityImporter
from execsponsor.exchange.importing.kinds.contacts import ContactImporter
from execsponsor.exchange.importing.kinds.executives import ExecutiveImporter
from execsponsor.exchange.importing.kinds.opportunities import OpportunityImporter
from execsponsor.exchange.importing.kinds.revenue import RevenueImporter
from execsponsor.exchange.importing.kinds.users import UserImporter

IMPORTERS = {
    "accounts": AccountImporter,
    "contacts": ContactImporter,
    "opportunities": OpportunityImporter,
    "revenue": RevenueImporter,
    "activities": ActivityImporter,
    "users": UserImporter,
    "executives": ExecutiveImporter,
}
