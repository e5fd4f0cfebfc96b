"""A spreadsheet saved as CSV, read the way a person meant it: UTF-8 with or without a byte order mark (or the
Windows-1252 that older Excel writes), comma, semicolon or tab between cells (the csv module's Sniffer tells
which), one header row. Row numbers are the spreadsheet's: the header is row 1."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from tutor_desktop.domain import InvalidInput

MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Sheet:
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (row number, cells), blank rows left out
    delimiter: str


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(f"{name} is not a text file (a spreadsheet saved as CSV).")


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:  # one column, or too little to tell: count the candidates in the header
        header = text.splitlines()[0] if text else ""
        return max(",;\t", key=header.count) if any(d in header for d in ",;\t") else ","


def parse_sheet(text: str, name: str = "The file") -> Sheet:
    if not text.strip():
        raise InvalidInput(f"{name} is empty.")
    delimiter = _delimiter(text)
    records = list(csv.reader(text.splitlines(keepends=True), delimiter=delimiter))
    if not records or not any(c.strip() for c in records[0]):
        raise InvalidInput(f"{name} has no header row.")
    headers = tuple(c.strip() for c in records[0])
    rows = tuple((number, tuple(_text(c) for c in record))
                 for number, record in enumerate(records[1:], start=2) if any(c.strip() for c in record))
    return Sheet(headers, rows, delimiter)


def _text(cell: str) -> str:
    """A cell's text; one an export wrote behind an apostrophe (it would read as a formula) without it."""
    cell = cell.strip()
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(("=", "+", "-", "@")) else cell


def read_sheet(path: Path) -> Sheet:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InvalidInput(f"{path.name} is larger than {MAX_BYTES // (1024 * 1024)} MB.")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a folder, not a file.") from None
    except OSError as error:
        raise InvalidInput(f"{path} cannot be read ({error.strerror}).") from None
    return parse_sheet(_decode(data, path.name), path.name)
