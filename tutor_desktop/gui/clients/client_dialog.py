"""New client / edit client: name required, email, phone and notes optional."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from uuid import UUID

from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QWidget

from tutor_desktop.domain import Change, Client, folded
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.form import FormDialog
from tutor_desktop.gui.shell.operations import Query


class ClientDialog(FormDialog):
    """`saved` carries the client id."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None, client: Client | None = None) -> None:
        super().__init__(ctx, "client", parent, "Create client" if client is None else "Save")
        self.client = client
        self.name_edit: QLineEdit = self.child(QLineEdit, "nameEdit")
        self.email_edit: QLineEdit = self.child(QLineEdit, "emailEdit")
        self.phone_edit: QLineEdit = self.child(QLineEdit, "phoneEdit")
        self.notes_edit: QPlainTextEdit = self.child(QPlainTextEdit, "notesEdit")
        if client is not None:
            self.dialog.setWindowTitle("Edit client")
            self.child(QLabel, "titleLabel").setText(f"Edit {client.full_name}")
            self.name_edit.setText(client.full_name)
            self.email_edit.setText(client.email or "")
            self.phone_edit.setText(client.phone or "")
            self.notes_edit.setPlainText(client.notes or "")
        self._twin_accepted = ""  # the name the person chose to add although a client has it already
        self.name_edit.setFocus()

    def inputs(self) -> Sequence[QWidget]:
        return (self.name_edit, self.email_edit, self.phone_edit, self.notes_edit)

    def validate(self) -> tuple[str, str | None, str | None, str] | None:
        name = self.name_edit.text().strip()
        if not name:
            self.show_error("Please enter the client's name.")
            self.name_edit.setFocus()
            return None
        email = self.email_edit.text().strip() or None
        if email is not None and ("@" not in email or email.startswith("@") or email.endswith("@")):
            self.show_error("That email address looks incomplete.")
            self.email_edit.setFocus()
            return None
        return name, email, self.phone_edit.text().strip() or None, self.notes_edit.toPlainText().strip()

    def submit(self, values: tuple[str, str | None, str | None, str]) -> None:
        """A name another client has already is said first; Add anyway adds a second client by that name."""
        name = values[0]
        unchanged = self.client is not None and folded(name) == folded(self.client.full_name)
        if unchanged or folded(name) == self._twin_accepted:
            super().submit(values)
            return
        studio = self.ctx.studio
        Query(self.ctx, self.dialog, lambda: studio.list_clients(name, True), busy=[self.ok_button]).on_success(
            lambda found: self._checked(values, found)).run()

    def _checked(self, values: tuple[str, str | None, str | None, str], found: list[Client]) -> None:
        twins = [c for c in found if folded(c.full_name) == folded(values[0])
                 and (self.client is None or c.id != self.client.id)]
        if not twins:
            super().submit(values)
            return
        twin = twins[0]
        self._twin_accepted = folded(values[0])
        contact = f" ({twin.email or twin.phone})" if (twin.email or twin.phone) else ""
        self.show_error(f"There is already a client named {twin.full_name}{contact}. Add anyway to have two.")
        self.ok_button.setText("Add anyway" if self.client is None else "Save anyway")

    def work(self, values: tuple[str, str | None, str | None, str]) -> Callable[[UUID], int]:
        name, email, phone, notes = values
        studio, client = self.ctx.studio, self.client
        if client is None:
            return lambda request_id: studio.create_client(name, email, phone, notes, request_id=request_id)

        def update(request_id: UUID) -> int:
            studio.update_client(client.id, name, email, phone, notes, client.archived, request_id=request_id)
            return client.id

        return update

    def change(self, result: int) -> Change:
        return Change(client_ids=frozenset({result}))
