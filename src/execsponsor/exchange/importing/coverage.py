"""Which fields selection needs that an accounts file leaves empty, said in words for the import preview.

The standard Salesforce and HubSpot account exports carry no ARR: their AnnualRevenue is the customer's own
company revenue. Imported as they are, every account ranks on the C-level criterion alone; the preview says
so before anything is written, and how to map the ARR field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

# Account fields the selection score and its default eligibility rule read, with what a gap costs.
SELECTION_FIELDS: dict[str, tuple[str, str]] = {
    "arr": ("ARR", "the ARR criterion skips them"),
    "strategic_value": ("Strategic value", "the strategic-value criterion skips them"),
    "renewal_date": ("Renewal date", "the renewal criterion skips them"),
    "growth_potential": ("Growth potential", "the whitespace criterion skips them"),
    "segment": ("Segment", "the default eligibility takes enterprise accounts only, so they are left out"),
}

# Why a CRM's standard export lacks ARR, and where to find it.
ARR_ADVICE = {
    "salesforce": (
        "Salesforce's AnnualRevenue is the customer's company revenue, not their ARR with you — map your ARR "
        "field: a column ARR__c is read as it is; another custom field (e.g. Annual_Recurring_Revenue__c) needs a "
        'saved mapping for accounts, {"arr": "Annual_Recurring_Revenue__c"}, and choose it when you upload the '
        "file again."
    ),
    "hubspot": (
        "HubSpot's Annual Revenue is the customer's company revenue, not their ARR with you — map your ARR "
        'property in a saved mapping for accounts, e.g. {"arr": "ARR"}, and choose it when you upload the file again.'
    ),
    "csv": "Map your ARR column in the saved mapping (the field is called arr).",
}


@dataclass
class FieldCoverage:
    """How many of an accounts file's rows have a value for each selection field (blank cells do not count)."""

    rows: int = 0
    mapped: frozenset[str] = frozenset()
    filled: dict[str, int] = field(default_factory=dict)

    def missing(self, name: str) -> int:
        return self.rows - self.filled.get(name, 0)


def coverage_of(*, records: Iterable[list[str]], positions: dict[str, int]) -> FieldCoverage:
    """Count the filled cells of the selection fields. `positions` is {our field: column index} of the file."""
    wanted = {name: index for name, index in positions.items() if name in SELECTION_FIELDS}
    filled = dict.fromkeys(wanted, 0)
    rows = 0
    for record in records:
        rows += 1
        for name, index in wanted.items():
            if index < len(record) and record[index].strip():
                filled[name] += 1
    return FieldCoverage(rows=rows, mapped=frozenset(wanted), filled=filled)


def selection_hints(*, source: str, kind: str, coverage: FieldCoverage) -> list[str]:
    """Sentences for the preview, the most costly gap (ARR) first; none when the file fills every field."""
    if kind != "accounts" or coverage.rows == 0:
        return []
    hints = []
    for name, (label, cost) in SELECTION_FIELDS.items():
        missing = coverage.missing(name)
        if not missing:
            continue
        where = "" if name in coverage.mapped else " (the file has no column for it)"
        sentence = f"{label} missing on {missing} of {coverage.rows} account{'s' if coverage.rows != 1 else ''}{where}"
        if name == "arr":
            sentence += f"; {ARR_ADVICE.get(source, ARR_ADVICE['csv'])}"
        else:
            sentence += f": {cost}."
        hints.append(sentence)
    return hints


def batch_selection_hints(batch) -> list[str]:
    """The hints for an uploaded accounts file (an ImportBatch), read again from its stored upload."""
    # Imported here: the reader and column maps are the import engine's; the functions above stay pure.
    import io

    from execsponsor.exchange.importing.columns import ColumnMapping, column_positions, mapping_for
    from execsponsor.exchange.importing.reader import CsvFile, ImportFileError
    from execsponsor.exchange.importing.uploads import upload_file

    if batch.kind != "accounts" or not batch.upload_path:
        return []
    saved = batch.mapping
    try:
        mapping = (
            ColumnMapping.from_json({"kind": saved.kind, "columns": saved.columns, "date_format": saved.date_format})
            if saved
            else None
        )
        columns = mapping_for(source=batch.source, kind=batch.kind, mapping=mapping)
        path = upload_file(batch.upload_path)
        if not path.exists():
            return []  # committed or discarded: the upload is gone, and so is the need for the hint
        csv_file = CsvFile(io.BytesIO(path.read_bytes()))
        positions = column_positions(mapping=columns, header=csv_file.header)
        records = (record for _line, record in csv_file.records())
        coverage = coverage_of(records=records, positions={name: index for name, (index, _) in positions.items()})
    except ImportFileError:
        return []  # the preview already says why the file cannot be read
    return selection_hints(source=batch.source, kind=batch.kind, coverage=coverage)
