"""The one CSV reader: encoding, dialect and physical line numbers of real exports."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from typing import BinaryIO

_CHUNK = 1 << 20
_DELIMITERS = ",;\t"


class ImportFileError(Exception):
    """The file cannot be imported at all (nothing was read): unreadable, empty or missing a required column."""

    def __init__(self, message: str, *, errors: list[dict] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or [{"line": 1, "column": None, "message": message}]


def _holds_nul(stream: BinaryIO) -> bool:
    stream.seek(0)
    try:
        return any(b"\x00" in chunk for chunk in iter(lambda: stream.read(_CHUNK), b""))
    finally:
        stream.seek(0)


def _detect_encoding(stream: BinaryIO) -> tuple[str, str | None]:
    """UTF-8 (with or without BOM) when every byte decodes; otherwise Windows-1252/Latin-1, with a warning."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    stream.seek(0)
    try:
        while chunk := stream.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        stream.seek(0)
        try:
            stream.read().decode("cp1252")
            encoding = "cp1252"
        except UnicodeDecodeError:
            encoding = "latin-1"
        return encoding, (
            "The file is not UTF-8; it was read as Windows-1252 (Latin-1). Check accented names, "
            "or export it again as UTF-8."
        )
    finally:
        stream.seek(0)
    return "utf-8-sig", None


def _sniff_dialect(header_line: str) -> type[csv.Dialect]:
    """Comma, semicolon or tab, decided on the header line (values may hold any of them).

    Only the delimiter is taken from the sniffer: its guesses about quoting (e.g. doublequote=False when the
    header has no quotes) would corrupt `"Acme ""The Best"" Inc"`, so quoting stays RFC 4180's, as every
    CRM and spreadsheet writes it.
    """
    try:
        delimiter = csv.Sniffer().sniff(header_line, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        delimiter = ","
    return type("Sniffed", (csv.excel,), {"delimiter": delimiter})


class CsvFile:
    """A CSV export opened for import: `header` and `records()` with the physical line each record starts on."""

    def __init__(self, stream: BinaryIO):
        self._stream = stream
        self.encoding, warning = _detect_encoding(stream)
        self.warnings: list[str] = [warning] if warning else []
        # PostgreSQL refuses NUL in text and SQLite would store it, so it is removed from every value on read:
        # the same data lands in either database.
        self._strip_nul = _holds_nul(stream)
        if self._strip_nul:
            self.warnings.append("The file holds NUL characters (\\x00); they were removed from the values.")
        self.dialect = _sniff_dialect(self._first_line())
        header = self._read_header()
        self.header = [name.strip().lstrip("\ufeff") for name in header]

    def _text(self) -> io.TextIOWrapper:
        self._stream.seek(0)
        return io.TextIOWrapper(self._stream, encoding=self.encoding, newline="")

    def _first_line(self) -> str:
        text = self._text()
        try:
            for line in text:
                if line.strip():
                    return line.replace("\x00", "")
            raise ImportFileError("The file is empty: there is no header row.")
        finally:
            text.detach()

    def _read_header(self) -> list[str]:
        for _line, record in self._records(include_header=True):
            return record
        raise ImportFileError("The file is empty: there is no header row.")

    def _records(self, *, include_header: bool) -> Iterator[tuple[int, list[str]]]:
        text = self._text()
        try:
            lines = (line.replace("\x00", "") for line in text) if self._strip_nul else text
            reader = csv.reader(lines, self.dialect)
            previous = 0
            seen_header = include_header
            for record in reader:
                start, previous = previous + 1, reader.line_num
                if not any(cell.strip() for cell in record):
                    continue
                if not seen_header:
                    seen_header = True
                    continue
                yield start, record
        except csv.Error as error:
            raise ImportFileError(f"line {reader.line_num}: the file is not valid CSV ({error})") from None
        finally:
            text.detach()

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """Data records after the header, as (physical line the record starts on, cells). Blank lines are skipped."""
        return self._records(include_header=False)


def count_lines(stream: BinaryIO) -> int:
    """Physical lines in the file, for a progress bar's total."""
    stream.seek(0)
    count = 0
    while chunk := stream.read(_CHUNK):
        count += chunk.count(b"\n")
    stream.seek(0)
    return count
