"""The export, import and statement commands on a real studio: what they print, what they change, and a
client's statement as text and as a PDF whose text holds the balances."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from pypdf import PdfReader

from tutor_desktop import cli
from tutor_desktop.domain import PaymentMethod, SessionStatus

from .conftest import book_days_ahead


@pytest.fixture(autouse=True)
def _desk(monkeypatch, tmp_path):
    monkeypatch.setenv("TUTOR_DESKTOP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("TUTOR_DESKTOP_TIME_ZONE", "Europe/Madrid")
    monkeypatch.delenv("TUTOR_DESKTOP_DSN", raising=False)


def _run(capsys, database, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--dsn", database.app_url, *args])
    out, err = capsys.readouterr()
    return code, out, err


def _write(path, text: str, encoding: str = "utf-8-sig") -> str:
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_import_from_an_excel_style_file_dry_run_then_for_real_then_again(capsys, database, repo, tmp_path):
    # Excel in much of Europe: semicolons, a byte order mark, Windows line ends.
    clients = _write(tmp_path / "clients.csv", "Nombre;Email;Teléfono\r\nZoë Jiménez;zoe@example.com;600\r\n"
                                               "Łukasz Żółw;;601\r\n;nobody@example.com;\r\n")
    code, out, _ = _run(capsys, database, "import", "clients", clients, "--dry-run")
    assert code == 1 and "row 4: The client's name is empty" in out and "nothing was imported" in out
    assert repo.list_clients() == []
    fixed = _write(tmp_path / "clients.csv", "Nombre;Email\r\nZoë Jiménez;zoe@example.com\r\nŁukasz Żółw;\r\n")
    code, out, _ = _run(capsys, database, "import", "clients", fixed, "--dry-run")
    assert code == 0 and "2 clients would be added" in out
    code, out, _ = _run(capsys, database, "import", "clients", fixed)
    assert code == 0 and "Imported 2 clients" in out
    code, out, _ = _run(capsys, database, "import", "clients", fixed)
    assert code == 0 and "Imported 0 clients; 2 were here already" in out
    assert {"Zoë Jiménez", "Łukasz Żółw"} <= {c.full_name for c in repo.list_clients()}


def test_import_of_a_windows_1252_file_and_packages_by_client_name(capsys, database, repo, tmp_path):
    clients = _write(tmp_path / "c.csv", "name,email\r\nRenée Côté,renee@example.com\r\n", "cp1252")
    assert _run(capsys, database, "import", "clients", clients)[0] == 0
    packages = _write(tmp_path / "p.csv", "Client,Package,Sessions,Used,Purchase date,Expiry date\n"
                                          "Renée Côté,Ten pack,10,4,2024-03-01,2024-09-01\n")
    code, out, _ = _run(capsys, database, "import", "packages", packages)
    assert code == 0 and "Imported 1 packages" in out
    client, package = next((c, p) for c, p in repo.studio_packages() if c.full_name == "Renée Côté")
    assert (package.sessions_used, package.sessions_remaining, package.expired) == (4, 6, True)
    code, out, _ = _run(capsys, database, "reconcile")
    assert code == 0


def test_a_file_that_is_not_there_or_misses_a_column_is_one_line(capsys, database, tmp_path):
    code, _, err = _run(capsys, database, "import", "clients", str(tmp_path / "nope.csv"))
    assert code == 2 and err.count("\n") == 1 and "There is no file" in err
    no_name = _write(tmp_path / "x.csv", "email\nzoe@example.com\n")
    code, _, err = _run(capsys, database, "import", "clients", no_name)
    assert code == 2 and "Choose a column for: Name" in err


def test_export_writes_every_file_and_prints_where(capsys, database, repo, studio, tmp_path):
    repo.sell_package(studio.client, "Five", 5)
    code, out, _ = _run(capsys, database, "export", "--to", str(tmp_path / "out"))
    assert code == 0 and out.splitlines() == [str(tmp_path / "out" / f"{n}.csv") for n in
                                              ("clients", "packages", "sessions", "ledger", "payments",
                                                                "audit_log")]
    with (tmp_path / "out" / "packages.csv").open(encoding="utf-8-sig", newline="") as f:
        assert [row["label"] for row in csv.DictReader(f)] == ["Five"]


def test_a_statement_as_text_and_as_pdf_holds_the_balances(capsys, database, repo, studio, tmp_path):
    package = repo.sell_package(studio.client, "Ten lessons", 10)
    repo.use_session(package, reason="makeup")
    session = book_days_ahead(repo, studio, package, 1)[0]
    repo.set_session_status(session, SessionStatus.DONE)
    code, text, _ = _run(capsys, database, "statement", str(studio.client))
    assert code == 0
    assert "Statement for Test Client" in text and "Sessions left to use: 8" in text
    assert "Ten lessons: 2 of 10 used, 8 sessions left" in text and "with Test Tutor" in text
    pdf = tmp_path / "statement.pdf"
    code, out, _ = _run(capsys, database, "statement", str(studio.client), "--pdf", str(pdf))
    assert code == 0 and out.strip() == str(pdf)
    words = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert "Statement for Test Client" in words and "Ten lessons" in words and "Test Tutor" in words
    assert "Sessions left to use: 8" in words


def test_a_statement_says_payments_refunds_and_prices_in_words(capsys, database, repo, studio, tmp_path):
    today = datetime.now(timezone.utc).date()
    repo.set_currency("GBP")
    first = repo.sell_package(studio.client, "Five lessons", 5, purchased_at=datetime.now(timezone.utc) - timedelta(
        days=10), price=Decimal("225.00"))
    repo.record_payment(first, Decimal("225.00"), PaymentMethod.CARD, today - timedelta(days=5))
    repo.record_payment(first, Decimal("-45.00"), PaymentMethod.BANK_TRANSFER, today - timedelta(days=1),
                        "one lesson less")
    second = repo.sell_package(studio.client, "Five lessons", 5)  # the same label, bought today, no price yet
    repo.set_package_price(second, Decimal("200.00"))
    repo.set_package_price(second, Decimal("180.00"))
    code, text, _ = _run(capsys, database, "statement", str(studio.client))
    assert code == 0
    for code_word in ("payment_recorded", "refund_recorded", "price_changed"):
        assert code_word not in text
    history = text.split("History", 1)[1]
    # A payment is dated by the day it was paid, not by when it was typed in; the two packages are told apart.
    assert f"  {today - timedelta(days=5):%Y-%m-%d}        Five lessons (bought " in history
    paid = next(line for line in history.splitlines() if "Payment of" in line)
    assert paid.endswith(": Payment of £225.00 by card") and paid.startswith(f"  {today - timedelta(days=5):%Y-%m-%d} ")
    refund = next(line for line in history.splitlines() if "Refund of" in line)
    assert refund.endswith(": Refund of £45.00 by bank transfer (one lesson less)")
    assert refund.startswith(f"  {today - timedelta(days=1):%Y-%m-%d} ")
    assert "Price set at £200.00" in history and "Price changed from £200.00 to £180.00" in history
    packages = text.split("Packages", 1)[1].split("History", 1)[0]
    assert packages.count("Five lessons (bought ") == 2
    pdf = tmp_path / "statement.pdf"
    assert _run(capsys, database, "statement", str(studio.client), "--pdf", str(pdf))[0] == 0
    words = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert "Payment of £225.00 by card" in words and "_recorded" not in words


def test_a_statement_of_no_such_client_is_one_line(capsys, database):
    code, _, err = _run(capsys, database, "statement", "987654")
    assert code == 2 and "There is no client with id 987654" in err
