"""An export as CSV files that open as they should in Excel, LibreOffice and Google Sheets: UTF-8 with a byte
order mark (without one Excel reads accented names as Windows-1252), one header row, Python's csv module's
"excel" dialect, dates as ISO 8601 on the desk's clock. The same tables give the same bytes."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from tutor_desktop.domain import ExportTable, InvalidInput

ENCODING = "utf-8-sig"


# A text cell that a spreadsheet would take for a formula ("=HYPERLINK(…)" typed as a client's name) is written
# behind an apostrophe, which spreadsheets show as text; the import takes the apostrophe off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object, zone: ZoneInfo) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) and not _number(value) else value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _number(text: str) -> bool:
    """"-50.00" is a number a spreadsheet reads as one, not a formula."""
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return text.strip() == text


def write_rows(out: TextIO, header: Sequence[str], rows: Iterable[Sequence[object]], zone: ZoneInfo) -> None:
    """One header row, then the rows, each cell as `cell` writes it (the file's encoding is the caller's)."""
    writer = csv.writer(out, dialect="excel")
    writer.writerow(header)
    writer.writerows([cell(v, zone) for v in row] for row in rows)


def write_table(table: ExportTable, path: Path, zone: ZoneInfo) -> Path:
    """Written to a temporary name and renamed when complete, so a file that is there is whole."""
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding=ENCODING, newline="") as out:
        write_rows(out, table.header, table.rows, zone)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, path)
    return path


def write_export(tables: Iterable[ExportTable], folder: Path, zone: ZoneInfo) -> list[Path]:
    """One file per table, <name>.csv, in `folder` (made if missing); the paths written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return [write_table(t, folder / f"{t.name}.csv", zone) for t in tables]
    except OSError as error:
        raise InvalidInput(f"The files cannot be written to {folder} ({error.strerror or error}).") from None
