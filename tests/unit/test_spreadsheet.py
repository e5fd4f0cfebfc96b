"""Reading a spreadsheet saved as CSV the way a person meant it, guessing its columns, and writing an export that
spreadsheets open right: no database."""

from __future__ import annotations

import csv
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from tutor_desktop.domain import ExportTable, ImportKind, InvalidInput
from tutor_desktop.portability.csv_export import cell, write_export
from tutor_desktop.portability.mapping import guess_mapping, rows_for_import
from tutor_desktop.portability.spreadsheet import parse_sheet, read_sheet


@pytest.mark.parametrize(("text", "delimiter"), [
    ("Name;Email\nZoë;z@example.com\n", ";"),
    ("Name,Email\nZoë,z@example.com\n", ","),
    ("Name\tEmail\nZoë\tz@example.com\n", "\t"),
])
def test_the_delimiter_is_sniffed(text, delimiter):
    sheet = parse_sheet(text)
    assert (sheet.delimiter, sheet.headers) == (delimiter, ("Name", "Email"))
    assert sheet.rows == ((2, ("Zoë", "z@example.com")),)


def test_row_numbers_are_the_spreadsheets_blank_rows_left_out_and_quoted_line_breaks_kept():
    sheet = parse_sheet('Name,Notes\r\nAnn,"two\r\nlines"\r\n,\r\n\r\nBob,x\r\n')
    assert sheet.rows == ((2, ("Ann", "two\r\nlines")), (5, ("Bob", "x")))


def test_a_byte_order_mark_and_windows_1252_are_read(tmp_path):
    (tmp_path / "bom.csv").write_bytes("Name\nRenée\n".encode("utf-8-sig"))
    (tmp_path / "ansi.csv").write_bytes("Name\nRenée\n".encode("cp1252"))
    assert read_sheet(tmp_path / "bom.csv").headers == ("Name",)
    assert read_sheet(tmp_path / "ansi.csv").rows == ((2, ("Renée",)),)


def test_an_empty_missing_or_folder_file_is_said_in_words(tmp_path):
    (tmp_path / "empty.csv").write_text("  \n")
    for path, words in ((tmp_path / "empty.csv", "empty"), (tmp_path / "none.csv", "no file"), (tmp_path, "folder")):
        with pytest.raises(InvalidInput, match=words):
            read_sheet(path)


def test_columns_are_guessed_from_the_header_each_column_once():
    headers = ("Nombre", "Correo", "Teléfono", "ID", "Email")
    assert guess_mapping(ImportKind.CLIENTS, headers) == {"external_id": 3, "name": 0, "email": 4, "phone": 2,
                                                          "notes": None}
    packages = guess_mapping(ImportKind.PACKAGES, ("Client", "Package", "Sessions", "Used", "Purchase date"))
    assert packages["client_name"] == 0 and packages["label"] == 1 and packages["purchased"] == 4


def test_rows_for_import_need_the_required_columns_and_carry_row_numbers():
    sheet = parse_sheet("Name,Email\nAnn,a@example.com\nBob\n")
    rows = rows_for_import(ImportKind.CLIENTS, sheet, guess_mapping(ImportKind.CLIENTS, sheet.headers))
    assert rows == [{"row": "2", "name": "Ann", "email": "a@example.com"}, {"row": "3", "name": "Bob", "email": ""}]
    with pytest.raises(InvalidInput, match="Choose a column for: Name"):
        rows_for_import(ImportKind.CLIENTS, sheet, {"name": None, "email": 1})


def test_cells_are_plain_text_dates_on_the_desks_clock():
    zone = ZoneInfo("Europe/Madrid")
    assert cell(datetime(2026, 7, 1, 10, 0, tzinfo=timezone.utc), zone) == "2026-07-01 12:00:00"
    assert [cell(v, zone) for v in (None, True, False, 3, "Zoë")] == ["", "yes", "no", "3", "Zoë"]


def test_an_export_has_a_bom_one_header_and_the_same_bytes_twice(tmp_path):
    table = ExportTable("clients", ("name", "notes"), (("Zoë Jiménez", 'says "hi", twice'), ("Łukasz", "a\nb")))
    first = write_export([table], tmp_path / "a", ZoneInfo("UTC"))[0]
    second = write_export([table], tmp_path / "b", ZoneInfo("UTC"))[0]
    assert first.read_bytes() == second.read_bytes() and first.read_bytes().startswith(b"\xef\xbb\xbf")
    with first.open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.reader(f)) == [["name", "notes"], ["Zoë Jiménez", 'says "hi", twice'], ["Łukasz", "a\nb"]]
    assert not list((tmp_path / "a").glob("*.partial"))


def test_an_export_to_a_place_that_cannot_be_written_is_said_in_words(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(InvalidInput, match="cannot be written"):
        write_export([ExportTable("clients", ("name",), ())], tmp_path / "file" / "below", ZoneInfo("UTC"))
