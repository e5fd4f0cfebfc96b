"""Booking at a time picked on the calendar: first the client (a combo to type a name into), then the booking
dialog opens with that date and time and the calendar's tutor."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QComboBox, QCompleter, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from tutor_desktop.domain import Client, Package, Session, Staff
from tutor_desktop.gui.clients.book_session_dialog import BookSessionDialog, booking_reads, open_booking
from tutor_desktop.gui.kit.formatting import desk_time
from tutor_desktop.gui.kit.theme import mark_primary
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.operations import Query, show_message


class BookAtDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None, starts_at: datetime, tutor_id: int | None) -> None:
        super().__init__(parent)
        self.ctx, self.starts_at, self.tutor_id = ctx, starts_at, tutor_id
        self.booking: BookSessionDialog | None = None
        self.setObjectName("bookAtDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        local = desk_time(starts_at)
        self.setWindowTitle("Book a session")
        title = QLabel(f"Book a session at {local:%a} {local.day} {local:%b} {local:%H:%M}")
        title.setObjectName("bookAtTitle")
        title.setProperty("subheading", True)
        self.client_combo = QComboBox()
        self.client_combo.setObjectName("bookAtClientCombo")
        self.client_combo.setAccessibleName("bookAtClientCombo")
        self.client_combo.setEditable(True)
        self.client_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.client_combo.lineEdit().setPlaceholderText("Type a client's name")
        self.client_combo.setMinimumWidth(300)
        completer = self.client_combo.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        caption = QLabel("&Client")
        caption.setBuddy(self.client_combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.next_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.next_button.setText("Next…")
        self.next_button.setObjectName("bookAtNextButton")
        mark_primary(self.next_button)
        buttons.accepted.connect(self.next)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 18)
        layout.setSpacing(10)
        for widget in (title, caption, self.client_combo, buttons):
            layout.addWidget(widget)
        self.next_button.setEnabled(False)
        Query(ctx, self, ctx.studio.list_clients, busy=[self.client_combo]).on_success(self._show_clients).run()

    def _show_clients(self, clients: list[Client]) -> None:
        for client in clients:
            self.client_combo.addItem(client.full_name, client.id)
        self.client_combo.setCurrentIndex(-1)
        self.next_button.setEnabled(bool(clients))
        self.client_combo.setFocus()

    def chosen(self) -> tuple[int, str] | None:
        index = self.client_combo.findText(self.client_combo.currentText(), Qt.MatchFlag.MatchFixedString)
        return (self.client_combo.itemData(index), self.client_combo.itemText(index)) if index >= 0 else None

    @Slot()
    def next(self) -> None:
        chosen = self.chosen()
        if chosen is None:
            show_message(self, "Choose a client from the list first.", "warning")
            return
        client_id, name = chosen
        Query(self.ctx, self, booking_reads(self.ctx, client_id), busy=[self.next_button, self.client_combo]
              ).on_success(lambda found: self._book(client_id, name, found)).run()

    def _book(self, client_id: int, name: str, found: tuple[list[Staff], list[Package], list[Session]]) -> None:
        self.booking = open_booking(self.ctx, self.parentWidget(), client_id, name, found,
                                    tutor_id=self.tutor_id, starts_at=self.starts_at)
        self.booking.saved.connect(self._booked)
        self.booking.dialog.finished.connect(self.close)  # kept (hidden) until the booking is answered
        self.hide()

    @Slot(object)
    def _booked(self, session_ids: list) -> None:
        n = len(session_ids)
        show_message(self.parentWidget(), "One session booked." if n == 1 else f"{n} weekly sessions booked.",
                     "success")
