"""Asks a yes-or-no question before something that is hard to take back, without a nested event loop: the
answer arrives as a callback, and the window keeps painting meanwhile."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(parent: QWidget, question: str, detail: str, ok_text: str, proceed: Callable[[], None],
            back_text: str = "Cancel") -> QMessageBox:
    """`proceed` runs when the person presses `ok_text`; `back_text` (the default) leaves it undone."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Tutor Desk", f"<b>{html.escape(question)}</b>",
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("confirmBox")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setInformativeText(html.escape(detail))
    box.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 340px; }")
    yes = box.addButton(ok_text, QMessageBox.ButtonRole.AcceptRole)
    back = box.addButton(back_text, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.buttonClicked.connect(lambda button: proceed() if button is yes else None)
    box.open()
    return box
