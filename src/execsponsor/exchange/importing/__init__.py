"""CSV import: Salesforce and HubSpot exports, or any CSV with a saved mapping.

reader.py      the one CSV reader (encoding, dialect, physical line numbers)
values.py      amounts, dates, booleans, quarters → Python values, with errors for people
dates.py       day-first or month-first, decided once per column
columns.py     which source column fills which field, per source and kind
references.py  external id → ExecSponsor id maps, loaded once
kinds/         one importer per kind (accounts, contacts, opportunities, revenue, activities, users)
engine.py      run_import(): check every row, then write batch by batch in short transactions; dry run
services.py    import_run() (CLI) and the import page's jobs (preview, commit), recorded as ImportBatch
uploads.py     the page's uploaded files under DATA_DIR/imports: size limit, retention
"""

from execsponsor.exchange.importing.columns import KINDS, SOURCES, ColumnMapping
from execsponsor.exchange.importing.reader import ImportFileError
from execsponsor.exchange.importing.report import ImportReport

__all__ = ["KINDS", "SOURCES", "ColumnMapping", "ImportFileError", "ImportReport"]
