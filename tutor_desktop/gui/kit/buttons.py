"""A window's action button: icon, text with its mnemonic, and the name scripts and screen readers use."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from tutor_desktop.gui.kit.assets import icon


def action_button(text: str, glyph: str, name: str, tip: str = "") -> QPushButton:
    button = QPushButton(icon(glyph), text)
    button.setObjectName(name)
    button.setAccessibleName(name)
    if tip:
        button.setToolTip(tip)
    button.setMinimumHeight(34)
    return button
