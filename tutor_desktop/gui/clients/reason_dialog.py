"""Asks for the reason of a change to a balance before it is sent; OK stays off until a reason is typed."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QLineEdit, QWidget

from tutor_desktop.gui.shell.form import FormDialog


class ReasonDialog(FormDialog):
    reason_given = Signal(str)

    def __init__(self, parent: QWidget | None, prompt: str, ok_text: str, back_text: str = "Cancel",
                 title: str = "Confirm") -> None:
        """`back_text`: the button that leaves without doing it (never a second "Cancel" beside "Cancel package")."""
        super().__init__(None, "reason", parent, ok_text)
        self.child(QDialogButtonBox, "buttonBox").button(QDialogButtonBox.StandardButton.Cancel).setText(back_text)
        self.dialog.setWindowTitle(title)
        self.child(QLabel, "promptLabel").setText(prompt)
        self.reason_edit: QLineEdit = self.child(QLineEdit, "reasonEdit")
        self.reason_edit.textChanged.connect(self._on_text)
        self._on_text("")

    @Slot(str)
    def _on_text(self, text: str) -> None:
        self.ok_button.setEnabled(bool(text.strip()))

    def validate(self) -> str | None:
        reason = self.reason_edit.text().strip()
        return reason or None

    def submit(self, values: str) -> None:
        self.reason_given.emit(values)
        self.dialog.accept()
