"""Signs a desk in to a studio server: the staff login (remembered) and the password (in the keyring if the
person asks and this computer has one). The dialog stays open, with the server's answer, until it works."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QLineEdit, QPushButton, QWidget

from tutor_desktop.gui.kit.assets import load_ui
from tutor_desktop.gui.kit.theme import mark_primary


class LoginDialog(QObject):
    submitted = Signal(str, str, bool)  # login, password, remember
    cancelled = Signal()

    def __init__(self, server: str, login: str = "", password: str | None = None, *, keyring: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dialog: QDialog = load_ui("login_dialog", parent)
        self.name: QLineEdit = self.dialog.findChild(QLineEdit, "nameEdit")
        self.password: QLineEdit = self.dialog.findChild(QLineEdit, "passwordEdit")
        self.remember: QCheckBox = self.dialog.findChild(QCheckBox, "rememberCheck")
        self.error: QLabel = self.dialog.findChild(QLabel, "errorLabel")
        self.dialog.findChild(QLabel, "serverLabel").setText(f"Server: {server}")
        buttons: QDialogButtonBox = self.dialog.findChild(QDialogButtonBox, "buttonBox")
        self.sign_in: QPushButton = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in.setText("Sign in")
        mark_primary(self.sign_in)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self._cancel)
        self.dialog.rejected.connect(self.cancelled)
        self.remember.setVisible(keyring)
        self.remember.setChecked(bool(password))
        self.name.setText(login)
        self.password.setText(password or "")
        for field in (self.name, self.password):
            field.textChanged.connect(self._update)
        self._update()
        (self.password if login else self.name).setFocus()

    def show(self) -> None:
        self.dialog.open()

    @Slot()
    def _update(self) -> None:
        self.sign_in.setEnabled(bool(self.name.text().strip()) and bool(self.password.text()))

    @Slot()
    def _submit(self) -> None:
        if not self.sign_in.isEnabled():
            return
        self.error.setText("")
        self.set_busy(True)
        self.submitted.emit(self.name.text().strip(), self.password.text(), self.remember.isChecked())

    @Slot()
    def _cancel(self) -> None:
        self.dialog.reject()

    def set_busy(self, busy: bool) -> None:
        for widget in (self.name, self.password, self.remember):
            widget.setEnabled(not busy)
        self.sign_in.setEnabled(not busy and bool(self.name.text().strip()) and bool(self.password.text()))
        self.sign_in.setText("Signing in…" if busy else "Sign in")

    def refused(self, message: str) -> None:
        self.set_busy(False)
        self.error.setText(message)
        self.password.selectAll()
        self.password.setFocus()

    def close(self) -> None:
        self.dialog.done(QDialog.DialogCode.Accepted)
