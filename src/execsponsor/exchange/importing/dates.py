"""Decide, once per file, whether each date column is day-first or month-first."""

from __future__ import annotations

from execsponsor.exchange.importing.reader import CsvFile, ImportFileError
from execsponsor.exchange.importing.values import EITHER_ORDER, date_order_evidence, is_iso

_ORDER_NAMES = {"dmy": "day-first", "mdy": "month-first"}


def date_orders(
    *, csv_file: CsvFile, positions: dict[str, tuple[int, str]], date_fields: tuple[str, ...], date_format: str
) -> dict[str, str | None]:
    """{field: 'dmy' | 'mdy' | None (ISO)}; raises ImportFileError for a column whose order cannot be known.

    One value that only fits one order (24/05/2024) decides the whole column; a column where every value
    fits both orders needs `date_format`, it is never guessed.
    """
    present = {field: positions[field] for field in date_fields if field in positions}
    orders: dict[str, str | None] = {}
    first_ambiguous: dict[str, tuple[int, str]] = {}
    proof: dict[str, dict[str, tuple[int, str]]] = {field: {} for field in present}
    undecided = set(present)
    for line, record in csv_file.records():
        for field in list(undecided):
            index = present[field][0]
            value = record[index].strip() if index < len(record) else ""
            if not value:
                continue
            if is_iso(value) and field not in first_ambiguous and not proof[field]:
                orders[field] = None
                undecided.discard(field)
                continue
            evidence = date_order_evidence(value)
            if evidence == EITHER_ORDER:
                first_ambiguous.setdefault(field, (line, value))
            elif evidence is not None:
                proof[field].setdefault(evidence, (line, value))
        if not undecided:
            break
    errors = []
    for field in undecided:
        column = present[field][1]
        found = proof[field]
        if date_format:
            orders[field] = date_format
        elif len(found) == 2:
            (line_d, value_d), (line_m, value_m) = found["dmy"], found["mdy"]
            message = (
                f"dates mix day-first ({value_d!r}, line {line_d}) and month-first ({value_m!r}, line {line_m}); "
                "export them in one format"
            )
            errors.append({"line": max(line_d, line_m), "column": column, "message": message})
        elif len(found) == 1:
            orders[field] = next(iter(found))
        elif field in first_ambiguous:
            line, value = first_ambiguous[field]
            errors.append(
                {
                    "line": line,
                    "column": column,
                    "message": (
                        f"every date in {column} fits both day-first and month-first (e.g. {value!r}); "
                        "say which with a date format: dmy or mdy"
                    ),
                }
            )
        else:
            orders[field] = None
    if errors:
        raise ImportFileError("; ".join(f"{e['column']}: {e['message']}" for e in errors), errors=errors)
    return orders


def describe(order: str | None) -> str:
    return _ORDER_NAMES.get(order or "", "ISO")
