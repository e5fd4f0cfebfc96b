"""Export: CSV files that open right in spreadsheets (UTF-8 with a BOM, one header row, accented names intact, ISO
dates), byte for byte the same for the same studio, the audit log for admins only; and the round trip export ->
import into an empty studio keeps every balance."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

from tests.db.conftest import (
    APP_ROLE, STAFF_PASSWORD, TEMPLATE, book_days_ahead, hours_from_now, recreate_database, with_database)
from tutor_desktop.db.engine import make_engine
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import ImportKind, PaymentMethod, SessionStatus, StaffRole
from tutor_desktop.portability.csv_export import write_export
from tutor_desktop.portability.mapping import guess_mapping, rows_for_import
from tutor_desktop.portability.spreadsheet import read_sheet

ZONE = ZoneInfo("Europe/Madrid")


def _studio_with_history(repo: Repository, studio) -> None:  # noqa: ANN001
    other = repo.create_client("Zoë Jiménez-Núñez", email="zoe@example.com", phone="+34 600")
    ten = repo.sell_package(other, "Diez sesiones, «oro»", 10, purchased_at=hours_from_now(-24 * 30))
    five = repo.sell_package(studio.client, "Five", 5)
    repo.use_session(ten, reason="señal")
    repo.use_session(ten)
    repo.reinstate_session(ten, reason="por error")
    done = book_days_ahead(repo, studio, five, 1)[0]
    repo.set_session_status(done, SessionStatus.DONE)
    short = repo.sell_package(studio.client, "Short", 2, expires_at=hours_from_now(48))
    repo.cancel_package(short, reason="changed plans")
    formula = repo.create_client('=HYPERLINK("http://x.example","Ann")', email="ann@example.com")
    repo.sell_package(formula, "-1 session promo", 3, purchased_at=hours_from_now(-24))


def _read(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_the_export_opens_with_accents_intact_one_header_and_iso_dates(repo, studio, tmp_path):
    _studio_with_history(repo, studio)
    paths = write_export(repo.export_tables(), tmp_path / "out", ZONE)
    assert [p.name for p in paths] == [
        "clients.csv", "packages.csv", "sessions.csv", "ledger.csv", "payments.csv", "audit_log.csv"]
    clients = _read(tmp_path / "out" / "clients.csv")
    assert clients[0][:3] == ["client_id", "external_id", "name"]
    assert "Zoë Jiménez-Núñez" in [row[2] for row in clients[1:]]
    packages = _read(tmp_path / "out" / "packages.csv")
    header = packages[0]
    by_label = {row[header.index("label")]: dict(zip(header, row)) for row in packages[1:]}
    assert by_label["Diez sesiones, «oro»"]["sessions_used"] == "1"
    assert by_label["Diez sesiones, «oro»"]["sessions_remaining"] == "9"
    assert by_label["Short"]["status"] == "Cancelled" and by_label["Five"]["sessions_used"] == "1"
    assert len(by_label["Five"]["purchased"]) == 19 and by_label["Five"]["purchased"][4] == "-"
    ledger = _read(tmp_path / "out" / "ledger.csv")
    assert len(ledger) == 1 + 4 and all(len(r) == len(ledger[0]) for r in ledger)
    assert b"\r\n" in (tmp_path / "out" / "sessions.csv").read_bytes()


def test_a_text_a_spreadsheet_would_run_as_a_formula_is_written_as_text(repo, studio, tmp_path):
    _studio_with_history(repo, studio)
    write_export(repo.export_tables(), tmp_path / "out", ZONE)
    names = [row[2] for row in _read(tmp_path / "out" / "clients.csv")[1:]]
    assert "'=HYPERLINK(\"http://x.example\",\"Ann\")" in names and not any(n.startswith("=") for n in names)
    labels = [row[6] for row in _read(tmp_path / "out" / "packages.csv")[1:]]
    assert "'-1 session promo" in labels
    used = [row[8] for row in _read(tmp_path / "out" / "packages.csv")[1:]]
    assert all(not u.startswith("'") for u in used)  # numbers stay numbers


def test_two_exports_of_the_same_studio_are_byte_identical(repo, studio, tmp_path):
    _studio_with_history(repo, studio)
    first = write_export(repo.export_tables(), tmp_path / "a", ZONE)
    second = write_export(repo.export_tables(), tmp_path / "b", ZONE)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    repo.use_session(repo.studio_packages()[0][1].id)
    third = write_export(repo.export_tables(), tmp_path / "c", ZONE)
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in third]


def test_the_audit_log_goes_to_admins_only(repo, studio, login_as):
    _studio_with_history(repo, studio)
    front = login_as(StaffRole.FRONT_DESK)
    assert [t.name for t in front.repo.export_tables()] == ["clients", "packages", "sessions", "ledger", "payments"]
    tutor = login_as(StaffRole.TUTOR)
    tables = {t.name: t for t in tutor.repo.export_tables()}
    assert "audit_log" not in tables and len(tables["clients"].rows) == 0  # no session of theirs: no client
    assert "payments" not in tables  # no money on a tutor's desk


def test_payments_leave_with_their_package_price(repo, studio):
    package = repo.sell_package(studio.client, "Ten", 10, price=Decimal("250.00"))
    repo.record_payment(package, Decimal("100.00"), PaymentMethod.CARD, note="first half")
    repo.record_payment(package, Decimal("-20.00"), PaymentMethod.CARD, note="goodwill")
    [payments] = [t for t in repo.export_tables() if t.name == "payments"]
    assert [(r[2], r[4], r[5], r[6], r[7]) for r in payments.rows] == [
        (package, Decimal("250.00"), Decimal("100.00"), "card", "first half"),
        (package, Decimal("250.00"), Decimal("-20.00"), "card", "goodwill")]


def _empty_studio(server_url: str, name: str) -> Repository:
    recreate_database(server_url, name, TEMPLATE)
    return Repository(make_engine(with_database(server_url, name, APP_ROLE, STAFF_PASSWORD)))


def _import_export(repo: Repository, folder: Path) -> None:
    for kind in (ImportKind.CLIENTS, ImportKind.PACKAGES):
        sheet = read_sheet(folder / f"{kind}.csv")
        result = repo.import_rows(kind, rows_for_import(kind, sheet, guess_mapping(kind, sheet.headers)),
                                  time_zone="Europe/Madrid")
        assert result.applied and result.problems == ()


def test_the_round_trip_into_an_empty_studio_keeps_every_balance(repo, studio, server_url, tmp_path):
    _studio_with_history(repo, studio)
    write_export(repo.export_tables(), tmp_path / "out", ZONE)
    target = _empty_studio(server_url, f"tutor_roundtrip_{id(tmp_path)}")
    try:
        _import_export(target, tmp_path / "out")

        def balances(r: Repository) -> list[tuple]:
            return sorted((c.full_name, c.email, p.label, p.sessions_used, p.sessions_total, p.sessions_remaining,
                           p.state, p.purchased_at.replace(microsecond=0), p.expires_at and p.expires_at.replace(
                               microsecond=0)) for c, p in r.studio_packages())

        assert balances(target) == balances(repo)
        assert target.reconcile() == []
        _import_export(target, tmp_path / "out")  # the same files again: nothing more
        assert len(target.studio_packages()) == len(repo.studio_packages())
    finally:
        target.close()
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS tutor_roundtrip_{id(tmp_path)} WITH (FORCE)")


def test_importing_a_studios_own_export_into_it_adds_nothing(repo, studio, database, tmp_path):
    _studio_with_history(repo, studio)
    write_export(repo.export_tables(), tmp_path / "out", ZONE)
    before = database.scalar("SELECT (SELECT count(*) FROM tutor.clients) + (SELECT count(*) FROM tutor.packages)")
    for kind in (ImportKind.CLIENTS, ImportKind.PACKAGES):
        sheet = read_sheet(tmp_path / "out" / f"{kind}.csv")
        result = repo.import_rows(kind, rows_for_import(kind, sheet, guess_mapping(kind, sheet.headers)),
                                  time_zone="Europe/Madrid")
        assert (result.applied, result.added, result.problems) == (True, 0, ())
    assert database.scalar(
        "SELECT (SELECT count(*) FROM tutor.clients) + (SELECT count(*) FROM tutor.packages)") == before
