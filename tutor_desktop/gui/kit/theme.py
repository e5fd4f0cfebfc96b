"""The look: Fusion with a light or dark palette that follows the system colour scheme, and one stylesheet."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from tutor_desktop.gui.kit.assets import icon_path

ACCENT = "#2f6fde"


def is_dark() -> bool:
    forced = os.environ.get("TUTOR_DESKTOP_THEME", "").lower()
    if forced in ("dark", "light"):
        return forced == "dark"
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def _palette(dark: bool) -> QPalette:
    p = QPalette()
    if dark:
        base, window, text, alt, button, mid = "#1e2127", "#262a31", "#e6e8eb", "#2b3038", "#30353d", "#3a404a"
        disabled = "#7b828d"
    else:
        base, window, text, alt, button, mid = "#ffffff", "#f4f6f9", "#1d2330", "#f7f8fa", "#ffffff", "#d5dae1"
        disabled = "#9aa1ab"
    roles = {
        QPalette.ColorRole.Window: window, QPalette.ColorRole.WindowText: text, QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: alt, QPalette.ColorRole.Text: text, QPalette.ColorRole.Button: button,
        QPalette.ColorRole.ButtonText: text, QPalette.ColorRole.Mid: mid, QPalette.ColorRole.Midlight: mid,
        QPalette.ColorRole.Highlight: ACCENT, QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: base, QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: disabled, QPalette.ColorRole.Link: ACCENT,
    }
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled))
    return p


def _stylesheet(dark: bool) -> str:
    border = "#3a404a" if dark else "#d5dae1"
    card = "#2b3038" if dark else "#ffffff"
    muted = "#9aa3ae" if dark else "#5f6b7a"
    hover = "#353b44" if dark else "#eef2f8"
    invalid_bg = "#3d2224" if dark else "#fdeaea"
    chevron = icon_path("chevron-down").as_posix()
    chevron_up = icon_path("chevron-up").as_posix()
    return f"""
    QWidget {{ font-size: 10pt; }}
    QPushButton, QToolButton {{ padding: 5px 12px; border: 1px solid {border}; border-radius: 6px; }}
    QPushButton:hover, QToolButton:hover {{ background: {hover}; }}
    QPushButton:disabled {{ color: {muted}; }}
    QPushButton[primary="true"] {{ background: {ACCENT}; color: white; border-color: {ACCENT}; font-weight: 600; }}
    QPushButton[primary="true"]:hover {{ background: #2a62c4; }}
    QPushButton[primary="true"]:disabled {{ background: {border}; border-color: {border}; color: {muted}; }}
    QToolButton {{ border: none; padding: 4px 8px; }}
    QToolButton:checked {{ background: {hover}; border: 1px solid {border}; }}
    QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QSpinBox, QDateTimeEdit, QDateEdit, QTimeEdit {{
        border: 1px solid {border}; border-radius: 6px; padding: 4px 6px; background: palette(base); }}
    QComboBox::drop-down {{ subcontrol-origin: padding; subcontrol-position: center right; width: 22px;
        border: none; }}
    QComboBox::down-arrow {{ image: url("{chevron}"); width: 12px; height: 12px; }}
    QAbstractSpinBox {{ padding-right: 20px; }}
    QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{ subcontrol-origin: border; width: 20px;
        border: none; background: transparent; }}
    QAbstractSpinBox::up-button {{ subcontrol-position: top right; }}
    QAbstractSpinBox::down-button {{ subcontrol-position: bottom right; }}
    QAbstractSpinBox::up-arrow {{ image: url("{chevron_up}"); width: 10px; height: 10px; }}
    QAbstractSpinBox::down-arrow {{ image: url("{chevron}"); width: 10px; height: 10px; }}
    QAbstractSpinBox::up-button:hover, QAbstractSpinBox::down-button:hover {{ background: {hover}; }}
    QDateTimeEdit::drop-down {{ subcontrol-origin: padding; subcontrol-position: center right; width: 22px;
        border: none; }}
    QDateTimeEdit::down-arrow {{ image: url("{chevron}"); width: 12px; height: 12px; }}
    QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QSpinBox:focus, QDateTimeEdit:focus {{
        border-color: {ACCENT}; }}
    QSpinBox[invalid="true"], QSpinBox[invalid="true"]:focus, QLineEdit[invalid="true"],
    QLineEdit[invalid="true"]:focus {{ border-color: #d64545; background: {invalid_bg}; }}
    QFrame[card="true"] {{ background: {card}; border: 1px solid {border}; border-radius: 10px; }}
    QLabel[muted="true"] {{ color: {muted}; }}
    QLabel[heading="true"] {{ font-size: 15pt; font-weight: 600; }}
    QLabel[subheading="true"] {{ font-size: 11pt; font-weight: 600; }}
    QLabel[bignumber="true"] {{ font-size: 26pt; font-weight: 700; }}
    QTableView, QListView, QTreeView {{ border: 1px solid {border}; border-radius: 8px; background: palette(base);
        selection-background-color: {ACCENT}; gridline-color: transparent; }}
    QComboBox QAbstractItemView {{ border: 1px solid {border}; background: palette(base); color: palette(text);
        selection-background-color: {ACCENT}; selection-color: #ffffff; outline: none; }}
    QComboBox {{ combobox-popup: 0; }}  /* a list popup: the menu-like one draws its highlighted row blank on X11 */
    QComboBox QAbstractItemView::item {{ padding: 4px 6px; }}
    QComboBox QAbstractItemView::item:selected, QComboBox QAbstractItemView::item:hover {{
        background: {ACCENT}; color: #ffffff; }}
    QHeaderView::section {{ background: palette(window); border: none; border-bottom: 1px solid {border};
        padding: 6px 8px; font-weight: 600; color: {muted}; }}
    QTabWidget::pane {{ border: none; }}
    QTabBar::tab {{ padding: 8px 16px; border: none; border-bottom: 2px solid transparent; }}
    QTabBar::tab:selected {{ border-bottom-color: {ACCENT}; font-weight: 600; }}
    QStatusBar {{ color: {muted}; }}
    QToolBar {{ border: none; spacing: 4px; padding: 4px; }}
    """


def apply_theme(app: QApplication) -> None:
    dark = is_dark()
    app.setStyle("Fusion")
    app.setPalette(_palette(dark))
    app.setStyleSheet(_stylesheet(dark))


def mark_primary(button: QWidget) -> None:
    """The dialog's main action, in the accent colour (a property set after the form was built needs a re-polish)."""
    button.setProperty("primary", True)
    button.style().unpolish(button)
    button.style().polish(button)
