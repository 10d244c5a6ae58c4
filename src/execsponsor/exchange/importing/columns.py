"""The one place that says which column of a Salesforce, HubSpot or mapped CSV export fills which field.

A map is {our field: their column}; a tuple lists alternative column names, the first present wins.
"""

from __future__ import annotations

from dataclasses import dataclass

from execsponsor.exchange.importing.reader import ImportFileError

KINDS = ("accounts", "contacts", "opportunities", "revenue", "activities", "users", "executives")
SOURCES = ("salesforce", "hubspot", "csv")

# Fields each kind understands; the ones in REQUIRED must have a column.
FIELDS: dict[str, tuple[str, ...]] = {
    "accounts": (
        "external_id",
        "name",
        "domain",
        "industry",
        "segment",
        "region",
        "country",
        "lifecycle",
        "arr",
        "company_revenue",
        "employees",
        "renewal_date",
        "strategic_value",
        "growth_potential",
        "in_churn",
        "time_zone",
        "required_language",
        "owner",
        "csm",
        "created_at",
    ),
    "contacts": (
        "external_id",
        "account",
        "first_name",
        "last_name",
        "name",
        "title",
        "department",
        "email",
        "phone",
        "notes",
        "seniority",
        "persona",
        "reports_to",
    ),
    "opportunities": (
        "external_id",
        "account",
        "name",
        "stage",
        "amount",
        "currency",
        "close_date",
        "opened_on",
        "kind",
        "capability_area",
        "is_closed",
        "is_won",
        "owner",
    ),
    "revenue": ("account", "period", "year", "quarter", "revenue", "arr_end"),
    "activities": (
        "external_id",
        "account",
        "what",
        "contact",
        "subject",
        "occurred_at",
        "ends_at",
        "type",
        "subtype",
        "notes",
        "owner",
        "status",
    ),
    "users": ("external_id", "name", "first_name", "last_name", "email", "title", "is_active", "role"),
    "executives": (
        "external_id",
        "email",
        "title",
        "function",
        "level",
        "reports_to",
        "industries",
        "regions",
        "languages",
        "time_zone",
        "capacity_min",
        "capacity_max",
        "customer_facing",
        "working_style",
        "enablement",
    ),
}

REQUIRED: dict[str, tuple[str | tuple[str, ...], ...]] = {
    "accounts": ("external_id", "name"),
    "contacts": ("external_id", "account", ("last_name", "name")),
    "opportunities": ("external_id", "account", "name"),
    "revenue": ("account", ("period", "year"), "revenue"),
    "activities": ("external_id", ("account", "what"), "subject", "occurred_at"),
    "users": ("external_id", "email", ("name", "last_name")),
    "executives": (("external_id", "email"), "level"),
}

SALESFORCE = {
    "accounts": {
        "external_id": "Id",
        "name": "Name",
        "domain": "Website",
        "industry": "Industry",
        "segment": ("Segment__c", "Segment"),
        "region": ("Region__c", "Region"),
        "country": ("BillingCountry", "ShippingCountry"),
        "lifecycle": "Type",
        "arr": ("ARR__c", "ARR"),
        "company_revenue": "AnnualRevenue",
        "employees": "NumberOfEmployees",
        "renewal_date": ("Renewal_Date__c", "RenewalDate__c"),
        "strategic_value": ("Strategic_Value__c", "StrategicValue__c"),
        "growth_potential": ("Whitespace__c", "Growth_Potential__c"),
        "in_churn": ("In_Churn__c", "Churning__c"),
        "time_zone": ("Time_Zone__c", "TimeZone__c"),
        "required_language": ("Required_Language__c", "Language__c"),
        "owner": "OwnerId",
        "csm": ("CSM__c", "Customer_Success_Manager__c"),
        "created_at": "CreatedDate",
    },
    "contacts": {
        "external_id": "Id",
        "account": "AccountId",
        "first_name": "FirstName",
        "last_name": "LastName",
        "name": "Name",
        "title": "Title",
        "department": "Department",
        "email": "Email",
        "phone": ("Phone", "MobilePhone"),
        "notes": "Description",
        "reports_to": "ReportsToId",
    },
    "opportunities": {
        "external_id": "Id",
        "account": "AccountId",
        "name": "Name",
        "stage": "StageName",
        "amount": "Amount",
        "currency": "CurrencyIsoCode",
        "close_date": "CloseDate",
        "opened_on": "CreatedDate",
        "kind": "Type",
        "capability_area": ("Product_Line__c", "Capability_Area__c"),
        "is_closed": "IsClosed",
        "is_won": "IsWon",
        "owner": "OwnerId",
    },
    "revenue": {
        "account": ("AccountId", "Account__c"),
        "period": ("Period", "Period__c", "Quarter_Start__c"),
        "year": ("Year", "Year__c"),
        "quarter": ("Quarter", "Quarter__c"),
        "revenue": ("Revenue", "Revenue__c", "Amount"),
        "arr_end": ("ARR", "ARR__c"),
    },
    # Event.csv and Task.csv share this map: StartDateTime/EndDateTime/Type for events,
    # ActivityDate/TaskSubtype/Status for tasks.
    "activities": {
        "external_id": "Id",
        "account": "AccountId",
        "what": "WhatId",
        "contact": "WhoId",
        "subject": "Subject",
        "occurred_at": ("StartDateTime", "ActivityDateTime", "ActivityDate"),
        "ends_at": "EndDateTime",
        "type": ("Type", "EventSubtype"),
        "subtype": "TaskSubtype",
        "notes": "Description",
        "owner": "OwnerId",
        "status": "Status",
    },
    "users": {
        "external_id": "Id",
        "name": "Name",
        "first_name": "FirstName",
        "last_name": "LastName",
        "email": ("Email", "Username"),
        "title": "Title",
        "is_active": "IsActive",
    },
    # The same User.csv with the custom fields a sponsor program keeps on its executives.
    "executives": {
        "external_id": "Id",
        "email": ("Email", "Username"),
        "title": "Title",
        "function": ("Function__c", "Executive_Function__c"),
        "level": ("Level__c", "Executive_Level__c"),
        "reports_to": "ManagerId",
        "industries": ("Industries__c", "Industry_Expertise__c"),
        "regions": ("Regions__c", "Region_Expertise__c"),
        "languages": ("Languages__c", "LanguageLocaleKey"),
        "time_zone": ("TimeZoneSidKey", "Time_Zone__c"),
        "capacity_min": ("Capacity_Min__c", "Min_Accounts__c"),
        "capacity_max": ("Capacity_Max__c", "Max_Accounts__c"),
        "customer_facing": "Customer_Facing__c",
        "working_style": ("Working_Style__c", "Style_Notes__c"),
        "enablement": "Enablement__c",
    },
}

HUBSPOT = {
    "accounts": {
        "external_id": ("Record ID", "Company ID"),
        "name": ("Company name", "Name"),
        "domain": ("Company Domain Name", "Website URL"),
        "industry": "Industry",
        "country": "Country/Region",
        "lifecycle": "Lifecycle Stage",
        "company_revenue": "Annual Revenue",
        "employees": "Number of Employees",
        "owner": ("Company owner", "HubSpot Owner"),
        "created_at": ("Create Date", "Created Date"),
    },
    "contacts": {
        "external_id": ("Record ID", "Contact ID"),
        "account": ("Associated Company IDs", "Associated Company ID", "Company ID"),
        "first_name": "First Name",
        "last_name": "Last Name",
        "title": "Job Title",
        "email": "Email",
        "phone": ("Phone Number", "Mobile Phone Number"),
        "notes": "Notes",
    },
    "opportunities": {
        "external_id": ("Record ID", "Deal ID"),
        "account": ("Associated Company IDs", "Associated Company ID"),
        "name": "Deal Name",
        "stage": "Deal Stage",
        "amount": "Amount",
        "currency": "Currency",
        "close_date": "Close Date",
        "opened_on": "Create Date",
        "kind": "Deal Type",
        "owner": "Deal owner",
    },
    "revenue": {
        "account": ("Company ID", "Record ID", "Associated Company IDs"),
        "period": "Period",
        "year": "Year",
        "quarter": "Quarter",
        "revenue": "Revenue",
        "arr_end": "ARR",
    },
    "activities": {
        "external_id": ("Record ID", "Activity ID", "Engagement ID"),
        "account": ("Associated Company IDs", "Associated Company ID"),
        "contact": ("Associated Contact IDs", "Associated Contact ID"),
        "subject": ("Subject", "Title", "Activity title"),
        "occurred_at": ("Activity date", "Activity Date", "Create Date"),
        "type": ("Activity type", "Activity Type", "Type"),
        "notes": ("Body", "Notes", "Description"),
        "owner": ("Activity assigned to", "Assigned to", "Owner"),
    },
    "users": {
        "external_id": ("User ID", "Record ID", "Owner ID"),
        "first_name": "First Name",
        "last_name": "Last Name",
        "name": "Name",
        "email": "Email",
        "title": "Job Title",
    },
    "executives": {
        "external_id": ("User ID", "Record ID", "Owner ID"),
        "email": "Email",
        "title": "Job Title",
        "function": "Function",
        "level": "Level",
        "reports_to": "Manager",
        "industries": "Industries",
        "regions": "Regions",
        "languages": "Languages",
        "time_zone": "Time Zone",
        "capacity_min": "Capacity Min",
        "capacity_max": "Capacity Max",
        "working_style": "Working Style",
        "enablement": "Enablement",
    },
}

SOURCE_MAPS = {"salesforce": SALESFORCE, "hubspot": HUBSPOT}


@dataclass(frozen=True)
class ColumnMapping:
    """{our field: their column} for one kind, with the date order when the file's dates are ambiguous."""

    kind: str
    columns: dict[str, str | tuple[str, ...]]
    date_format: str = ""

    @classmethod
    def from_json(cls, document: dict) -> ColumnMapping:
        kind = document.get("kind")
        if kind not in KINDS:
            raise ImportFileError(f"The mapping's kind must be one of {', '.join(KINDS)}, not {kind!r}.")
        columns = document.get("columns")
        if not isinstance(columns, dict) or not columns:
            raise ImportFileError('The mapping needs "columns": {our field: your column}.')
        unknown = sorted(set(columns) - set(FIELDS[kind]))
        if unknown:
            raise ImportFileError(
                f"The mapping names fields that {kind} do not have: {', '.join(unknown)}. "
                f"Known fields: {', '.join(FIELDS[kind])}."
            )
        date_format = document.get("date_format") or ""
        if date_format not in ("", "dmy", "mdy"):
            raise ImportFileError(f'date_format must be "dmy" or "mdy", not {date_format!r}.')
        return cls(kind=kind, columns={str(k): str(v) for k, v in columns.items()}, date_format=date_format)


def mapping_for(*, source: str, kind: str, mapping: ColumnMapping | None) -> ColumnMapping:
    if kind not in KINDS:
        raise ImportFileError(f"Unknown kind {kind!r}: use one of {', '.join(KINDS)}.")
    if source == "csv":
        if mapping is None:
            raise ImportFileError("A csv import needs a mapping (--mapping FILE): {our field: your column}.")
        if mapping.kind != kind:
            raise ImportFileError(f"The mapping is for {mapping.kind}, not {kind}.")
        return mapping
    if source not in SOURCE_MAPS:
        raise ImportFileError(f"Unknown source {source!r}: use one of {', '.join(SOURCES)}.")
    columns = dict(SOURCE_MAPS[source][kind])
    if mapping is not None and mapping.kind == kind:
        columns.update(_own_crm_fields(mapping, standard=columns))
    return ColumnMapping(kind=kind, columns=columns, date_format=mapping.date_format if mapping else "")


# Fields a CRM export may carry under a name of the customer's own choosing (a Salesforce custom field such as
# Annual_Recurring_Revenue__c): a saved mapping of the same kind names the column, tried before the standard
# names. ARR is the one selection needs and the standard exports lack (their AnnualRevenue is the customer's
# company revenue, not their ARR with us).
OWN_CRM_FIELDS = ("arr",)


def _own_crm_fields(mapping: ColumnMapping, *, standard: dict) -> dict[str, tuple[str, ...]]:
    own = {}
    for field in OWN_CRM_FIELDS:
        column = mapping.columns.get(field)
        if column and field in FIELDS[mapping.kind]:
            fallback = standard.get(field, ())
            fallback = (fallback,) if isinstance(fallback, str) else tuple(fallback)
            own[field] = (column, *(name for name in fallback if name != column))
    return own


def column_positions(*, mapping: ColumnMapping, header: list[str]) -> dict[str, tuple[int, str]]:
    """{our field: (index, their column)} for the columns present; one error naming every missing required column."""
    index = {}
    for position, name in enumerate(header):
        index.setdefault(name.lower(), position)
    positions: dict[str, tuple[int, str]] = {}
    for field, candidates in mapping.columns.items():
        for column in (candidates,) if isinstance(candidates, str) else candidates:
            if column.lower() in index:
                positions[field] = (index[column.lower()], header[index[column.lower()]])
                break
    missing = []
    for required in REQUIRED[mapping.kind]:
        options = (required,) if isinstance(required, str) else required
        if not any(option in positions for option in options):
            named = [option for option in options if option in mapping.columns] or list(options)
            missing.append(" or ".join(_column_names(mapping.columns.get(option, option)) for option in named))
    if missing:
        plural = "columns" if len(missing) > 1 else "column"
        raise ImportFileError(
            f"Missing required {plural} {'; '.join(missing)}. The file has: {', '.join(header)}.",
            errors=[{"line": 1, "column": name, "message": f"required column {name} is missing"} for name in missing],
        )
    return positions


def _column_names(candidates: str | tuple[str, ...]) -> str:
    return candidates if isinstance(candidates, str) else " or ".join(candidates)
