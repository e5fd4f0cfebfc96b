"""Long text never pushes a window off the screen: it ends in "…" with the whole text in its tooltip. Windows
open over the main window and inside the screen; a drop-down's highlighted item is readable in both themes."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

from tests.gui.client_helpers import close_all
from tutor_desktop.gui.clients.window import ClientWindow
from tutor_desktop.gui.kit import theme
from tutor_desktop.gui.kit.theme import apply_theme

LONG_NAME = ("Maximiliana Alexandrina Konstantinopoulou-Vanderbilt de la Cruz y Montenegro-Featherstonehaugh "
             "the Third")[:110]


@pytest.fixture
def main(qtbot, qapp, desk):  # noqa: ANN001 - fixtures
    apply_theme(qapp)
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(700, 500)
    window.move(40, 30)
    window.show()
    return window


def test_a_long_client_name_is_elided_and_the_window_fits_the_screen(qtbot, main, desk, repo):
    client = repo.create_client(LONG_NAME, "a-very-long-address-" * 4 + "@example.com", notes="word " * 200)
    package = repo.sell_package(client, ("A package with a label far too long to be shown whole " * 2)[:100], 10)
    window = desk.ctx.windows.show(ClientWindow, client, main)
    qtbot.waitUntil(lambda: window.data is not None and window.isVisible(), timeout=5000)
    try:
        room = QGuiApplication.primaryScreen().availableGeometry()
        assert window.width() <= room.width() and window.height() <= room.height()
        assert room.contains(window.geometry())
        header = window.header
        assert header.name_label.text() == LONG_NAME and header.name_label.toolTip() == LONG_NAME
        assert header.name_label.shown_text().endswith("…")
        assert header.name_label.width() <= window.width()
        for label in (header.contact_label, header.notes_label, window.card.title):
            assert label.width() <= window.width()
            assert label.shown_text() == label.text() or label.toolTip() == label.text()
        assert window.card.title.text().startswith("A package with") and window.card.package.id == package
        centre, over = window.frameGeometry().center(), main.frameGeometry().center()
        if main.frameGeometry().contains(centre) or room.contains(over):
            # centred over the main window, unless the screen's edge pushed it in
            assert abs(centre.x() - over.x()) <= 2 or window.x() == room.left() or window.geometry().right() == room.right()
    finally:
        close_all(window)


@pytest.mark.parametrize("dark", [False, True])
def test_the_highlighted_item_of_a_drop_down_is_readable(qtbot, qapp, monkeypatch, dark):  # noqa: ANN001
    monkeypatch.setattr(theme, "is_dark", lambda: dark)
    sheet = theme._stylesheet(dark)
    assert "QComboBox QAbstractItemView" in sheet
    rule = sheet[sheet.index("QComboBox QAbstractItemView"):]
    rule = rule[:rule.index("}")]
    assert f"selection-background-color: {theme.ACCENT}" in rule and "selection-color: #ffffff" in rule
    combo = QComboBox()
    qtbot.addWidget(combo)
    combo.setStyleSheet(sheet)
    combo.addItems(["Maya Okafor", "Ben Carter"])
    view = combo.view()
    view.ensurePolished()
    assert _contrast(QColor(theme.ACCENT), QColor("#ffffff")) >= 4.5


def _contrast(a: QColor, b: QColor) -> float:
    def luminance(c: QColor) -> float:
        parts = [x / 255 for x in (c.red(), c.green(), c.blue())]
        lin = [p / 12.92 if p <= 0.03928 else ((p + 0.055) / 1.055) ** 2.4 for p in parts]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


_ = QApplication
