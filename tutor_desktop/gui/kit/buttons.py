"""A window's action button: icon, text with its mnemonic, and the name scripts and screen readers use."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QToolButton

from tutor_desktop.gui.kit.assets import icon


def action_button(text: str, glyph: str, name: str, tip: str = "") -> QPushButton:
    button = QPushButton(icon(glyph), text)
    button.setObjectName(name)
    button.setAccessibleName(name)
    if tip:
        button.setToolTip(tip)
    button.setMinimumHeight(34)
    return button


def tool_button(glyph: str, text: str, tip: str, *, checkable: bool = False) -> QToolButton:
    """A toolbar button: an icon, and its text beside it when it has one."""
    button = QToolButton()
    button.setIcon(icon(glyph))
    button.setText(text)
    button.setToolTip(tip)
    button.setCheckable(checkable)
    button.setToolButtonStyle(
        Qt.ToolButtonStyle.ToolButtonTextBesideIcon if text else Qt.ToolButtonStyle.ToolButtonIconOnly
    )
    return button
