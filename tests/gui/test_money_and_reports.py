"""Money and reports on the real database: the client window's price, paid and due and Record payment…, selling
from the catalogue, the catalogue window, the Reports tab (each report's chart and table, CSV and PDF), the
desk's needs-attention badge, and a tutor's desk that shows no money."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit

from tests.db.conftest import hours_from_now
from tests.gui.client_helpers import button, open_window
from tutor_desktop.app import start_desk
from tutor_desktop.domain import PaymentMethod, SessionStatus, StaffRole
from tutor_desktop.gui.catalogue.window import CatalogueWindow
from tutor_desktop.gui.main_window import MainWindow

D = Decimal


@pytest.fixture
def main(qtbot, desk, repo):  # noqa: ANN001 - fixtures
    desk.ctx.staff = repo.current_staff()
    window = MainWindow(desk.ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def _sold(repo, studio, price: str = "400.00", paid: str | None = "150.00"):  # noqa: ANN001, ANN202
    package = repo.sell_package(studio.client, "Ten", 10, purchased_at=hours_from_now(-48), price=D(price))
    if paid:
        repo.record_payment(package, D(paid), PaymentMethod.CASH)
    return package


def test_the_client_window_shows_the_money_and_records_a_payment(qtbot, desk, repo, studio, windows):
    package = _sold(repo, studio)
    windows.append(window := open_window(qtbot, desk.ctx, studio.client))
    row = window.packages.row_of(package)
    assert [window.packages.text(window.packages.rows[row], c) for c in (6, 7, 8)] == ["$400.00", "$150.00", "$250.00"]
    assert "Paid $150.00 of $400.00" in window.money_card.figures.text()
    assert window.attention_strip.isVisible() and "Balance due" in window.attention_strip.text()

    QTest.mouseClick(button(window, "recordPaymentButton"), Qt.MouseButton.LeftButton)
    dialog = window.money_card.dialog
    amount = dialog.dialog.findChild(QLineEdit, "amountEdit")
    assert amount.text() == "250.00"  # what is due, ready to confirm
    amount.setText("250.01")  # out of range as it is typed: said under the form, OK disabled
    assert not dialog.ok_button.isEnabled() and amount.property("invalid")
    assert dialog.error_label.text() == "At most $250.00 is due." and amount.toolTip() == "At most $250.00"
    assert dialog.dialog.findChild(QLabel, "moneyLabel").isVisible()  # the price · paid · due line stays in view
    dialog.refund_check.setChecked(True)  # a refund's limit is what was paid
    assert dialog.error_label.text() == "A refund is at most the $150.00 paid." and not dialog.ok_button.isEnabled()
    dialog.refund_check.setChecked(False)
    amount.setText("250")
    assert dialog.ok_button.isEnabled() and not amount.property("invalid") and not dialog.error_label.isVisible()

    repo.record_payment(package, D("100.00"), PaymentMethod.CARD)  # another desk, meanwhile: the database decides
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "more than the 150.00 still due" in dialog.message_bar.text(), timeout=5000)
    assert repo.package_money([package])[package].paid == D("250.00")  # nothing changed

    amount.setText("150")
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "paid in full" in window.money_card.figures.text(), timeout=5000)
    assert repo.package_money([package])[package].due == D("0.00")
    strip = window.attention_strip
    qtbot.waitUntil(lambda: not strip.isVisible() or "Balance due" not in strip.text(), timeout=5000)


def test_a_refund_needs_a_reason(qtbot, desk, repo, studio, windows):
    package = _sold(repo, studio)
    windows.append(window := open_window(qtbot, desk.ctx, studio.client))
    window.money_card.record_payment()
    dialog = window.money_card.dialog
    dialog.amount_edit.setText("50")
    dialog.refund_check.setChecked(True)
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "needs a reason" in dialog.error_label.text()
    dialog.note_edit.setText("One lesson less")
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Refund -$50.00" in window.money_card.history.text(), timeout=5000)
    assert repo.package_money([package])[package].paid == D("100.00")
    # 400 less the 150 received: the 50 given back is not owed again.
    assert window.money_card.figures.text() == "Paid $100.00 of $400.00 ($50.00 refunded) · $250.00 due"


def test_a_refund_on_a_package_paid_in_full_is_not_owed_again(qtbot, desk, repo, studio, windows):
    package = _sold(repo, studio, "225.00", "225.00")
    repo.record_payment(package, D("-45.00"), PaymentMethod.CARD, note="one lesson less")
    windows.append(window := open_window(qtbot, desk.ctx, studio.client))
    qtbot.waitUntil(lambda: "refunded" in window.money_card.figures.text(), timeout=5000)
    assert window.money_card.figures.text() == "Paid $180.00 of $225.00 ($45.00 refunded) · nothing due"
    row = window.packages.row_of(package)
    assert [window.packages.text(window.packages.rows[row], c) for c in (6, 7, 8)] == ["$225.00", "$180.00", "$0.00"]
    assert not window.attention_strip.isVisible() or "Balance due" not in window.attention_strip.text()
    assert "balance_due" not in {i.kind.code for i in repo.report_needs_attention()}
    window.money_card.record_payment()
    dialog = window.money_card.dialog
    dialog.amount_edit.setText("45")
    assert dialog.error_label.text() == "Ten is paid in full; nothing is due." and not dialog.ok_button.isEnabled()
    dialog.dialog.reject()


def test_selling_from_the_catalogue_fills_the_form_and_records_the_price(qtbot, desk, repo, studio, windows):
    item = repo.add_catalogue_item("Ten lessons", 10, D("450.00"), 90)
    windows.append(window := open_window(qtbot, desk.ctx, studio.client))
    QTest.mouseClick(window.header.sell_button, Qt.MouseButton.LeftButton)
    dialog = window.header.sell_dialog
    combo = dialog.dialog.findChild(QComboBox, "catalogueCombo")
    qtbot.waitUntil(lambda: combo.count() == 2 and combo.isEnabled(), timeout=5000)
    assert (dialog.sessions_spin.value(), dialog.label_edit.text(), dialog.price_edit.text()) == (
        10, "Ten lessons", "450.00")
    assert dialog.expires_check.isChecked()
    dialog.price_edit.setText("-5")
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "cannot be negative" in dialog.error_label.text() and repo.packages_for_client(studio.client) == []
    dialog.price_edit.setText("420")
    with qtbot.waitSignal(dialog.saved, timeout=5000) as sold:
        QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    money = repo.package_money([sold.args[0]])[sold.args[0]]
    assert money.price == D("420.00")
    assert repo.rows("SELECT catalogue_id FROM tutor.package_prices")[0].catalogue_id == item


def test_the_catalogue_window_adds_changes_and_retires(qtbot, desk, repo, windows):
    desk.ctx.staff = repo.current_staff()
    windows.append(window := desk.ctx.windows.show(CatalogueWindow, None))
    qtbot.waitUntil(window.isVisible, timeout=5000)
    window.name_edit.setText("Five lessons")
    window.sessions_spin.setValue(5)
    window.price_edit.setText("225")
    with qtbot.waitSignal(window.loaded, timeout=5000):
        QTest.mouseClick(window.add_button, Qt.MouseButton.LeftButton)
    assert [(i.name, i.price, i.validity_days) for i in repo.catalogue()] == [("Five lessons", D("225.00"), 90)]
    window.view.selectRow(0)
    window.price_edit.setText("-1")
    QTest.mouseClick(window.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "cannot be negative" in window.message_bar.text(), timeout=5000)
    assert repo.catalogue()[0].price == D("225.00")
    with qtbot.waitSignal(window.loaded, timeout=5000):
        QTest.mouseClick(window.retire_button, Qt.MouseButton.LeftButton)
    assert repo.catalogue() == [] and not repo.catalogue(include_retired=True)[0].active
    window.currency_edit.setText("eur")
    with qtbot.waitSignal(window.loaded, timeout=5000):
        QTest.mouseClick(window.currency_button, Qt.MouseButton.LeftButton)
    assert repo.currency() == "EUR" and window.model.text(window.model.rows[0], 2) == "€225.00"


def _reporting(repo, studio):  # noqa: ANN001, ANN202
    package = _sold(repo, studio)
    repo.set_tutor_pay_rate(studio.tutor, D("30.00"))
    start = hours_from_now(-30)
    session = repo.book_session(studio.client, studio.tutor, start, start + timedelta(hours=1), package,
                                time_zone="UTC")[0]
    repo.set_session_status(session, SessionStatus.DONE)
    return package


@pytest.mark.parametrize("key", ["tutors", "revenue", "unused", "attendance", "attention"])
def test_each_report_shows_its_chart_and_table_and_leaves_as_csv_and_pdf(qtbot, main, repo, studio, key, tmp_path):
    _reporting(repo, studio)
    main.tabs.setCurrentWidget(main.reports)
    main.reports.period_combo.setCurrentIndex(0)  # this week
    main.reports.choose(key)
    qtbot.waitUntil(lambda: main.reports.shown is not None and main.reports.shown[0].key == key, timeout=5000)
    page = main.reports
    assert page.model.rowCount() > 0 and page.chart.bars and page.chart.height() > 0
    assert page.summary_label.text()
    page.export_csv(str(tmp_path / "r.csv"))
    with open(tmp_path / "r.csv", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0] == page.shown[1].headers and len(rows) == page.model.rowCount() + 1
    page.save_pdf(str(tmp_path / "r.pdf"))
    assert (tmp_path / "r.pdf").read_bytes()[:5] == b"%PDF-"
    expected = {"tutors": ["Test Tutor", "1"], "revenue": ["Payments", "Cash", "1", "150.00"],
                "unused": ["Test Client", "Ten"], "attendance": ["Client", "Test Client", "1"],
                "attention": ["Balance due", "Test Client", "Ten"]}[key]
    assert any(r[:len(expected)] == expected for r in rows[1:]), rows


def test_report_headings_count_in_words(repo, studio):
    from tutor_desktop.domain import Period
    from tutor_desktop.gui.reports.definitions import REPORTS

    _reporting(repo, studio)
    today = datetime.now(timezone.utc).date()
    period = Period(today - timedelta(days=3), today)
    summaries = {r.key: r.summary(r.fetch(repo, period, "UTC", None), "USD") for r in REPORTS}
    # One package of ten at 400.00, 150.00 paid, one session done: one of everything.
    assert summaries["revenue"] == "1 package sold for $400.00; received $150.00 after refunds"
    assert summaries["tutors"] == "1 session delivered, 1.00 hours; pay $30.00"
    assert summaries["unused"] == "$360.00 owed in 9 prepaid sessions on 1 package"
    assert summaries["attendance"] == "1 session took place or should have; 0 student no-shows (0.0%)"
    assert summaries["attention"].startswith("2 findings for 1 client; ")


def test_the_desk_badge_counts_who_needs_attention_and_opens_the_list(qtbot, main, repo, studio):
    _reporting(repo, studio)
    main.start()
    other = repo.create_client("Other Client")  # a second client, with one finding: no sessions left
    repo.sell_package(other, "One", 1, price=D("0.00"))
    items = repo.report_needs_attention()
    findings, clients = len(items), len({i.client_id for i in items})
    assert (clients, findings > clients) == (2, True)  # more findings than people
    qtbot.waitUntil(lambda: main.attention_badge.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: main.attention_badge.text() == "2 clients need attention", timeout=5000)
    assert main.attention_badge.toolTip().startswith(f"{findings} findings for 2 clients")
    QTest.mouseClick(main.attention_badge, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: main.reports.shown is not None and main.reports.shown[0].key == "attention", timeout=5000)
    assert main.reports.model.rowCount() == findings


def test_a_custom_period_that_ends_before_it_starts_is_refused(qtbot, main):
    page = main.reports
    main.tabs.setCurrentWidget(page)
    page.period_combo.setCurrentIndex(3)
    page.to_date.setDate(page.from_date.date().addDays(-1))
    qtbot.waitUntil(lambda: "before it starts" in page.message_bar.text(), timeout=5000)


def test_a_tutors_desk_shows_their_activity_and_no_money(qtbot, login_as, repo, studio, database):
    tutor = login_as(StaffRole.TUTOR, "Tia Tutor")
    package = _sold(repo, studio)
    start = hours_from_now(-30)
    session = repo.book_session(studio.client, tutor.staff_id, start, start + timedelta(hours=1), package,
                                time_zone="UTC")[0]
    repo.set_session_status(session, SessionStatus.DONE)
    desk = start_desk(tutor.repo, tutor.url)
    try:
        desk.ctx.staff = tutor.repo.current_staff()
        window = MainWindow(desk.ctx)
        qtbot.addWidget(window)
        window.show()
        page = window.reports
        assert [r.key for r in page.reports] == ["tutors"] and not window.catalogue_button.isVisible()
        window.tabs.setCurrentWidget(page)
        page.period_combo.setCurrentIndex(0)
        qtbot.waitUntil(lambda: page.shown is not None, timeout=5000)
        assert [row[0] for row in page.shown[1].rows] == ["Tia Tutor"] and page.shown[2][0].pay is None
        client = open_window(qtbot, desk.ctx, studio.client)
        assert not client.money_card.isVisible() and client.data.money == {}
        assert all(client.packages_view.isColumnHidden(c) for c in (6, 7, 8))
        client.close()
        window.close()
    finally:
        desk.close(close_studio=False)


def test_the_catalogue_window_sets_a_tutors_pay_rate(qtbot, desk, repo, studio, windows):
    desk.ctx.staff = repo.current_staff()
    windows.append(window := desk.ctx.windows.show(CatalogueWindow, None))
    qtbot.waitUntil(lambda: window.isVisible() and window.tutor_combo.count() > 0, timeout=5000)
    window.tutor_combo.setCurrentIndex(window.tutor_combo.findData(studio.tutor))
    window.rate_edit.setText("32.5")
    window.per_combo.setCurrentIndex(1)
    with qtbot.waitSignal(window.loaded, timeout=5000):
        QTest.mouseClick(window.rate_button, Qt.MouseButton.LeftButton)
    rate = repo.pay_rates()[studio.tutor]
    assert (rate.amount, str(rate.per)) == (D("32.50"), "hour")
    assert "Test Tutor: $32.50 per hour" in window.rates_label.text()


def test_a_payment_at_another_desk_shows_in_this_client_window(qtbot, desk, other_desk, repo, studio, windows):
    package = _sold(repo, studio)
    windows.append(window := open_window(qtbot, desk.ctx, studio.client))
    other = other_desk()
    other.ctx.studio.record_payment(package, D("250.00"), PaymentMethod.CARD)
    qtbot.waitUntil(lambda: "paid in full" in window.money_card.figures.text(), timeout=5000)
