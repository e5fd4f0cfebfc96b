"""The top of a client window: the name, how to reach the client, the notes, and the client-wide actions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from tutor_desktop.domain import Client
from tutor_desktop.gui.buttons import action_button


class ClientHeader(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("card", True)
        self.name_label = QLabel("")
        self.name_label.setObjectName("clientName")
        self.name_label.setProperty("heading", True)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.contact_label = QLabel("")
        self.contact_label.setObjectName("clientContact")
        self.contact_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes_label = QLabel("")
        self.notes_label.setObjectName("clientNotes")
        self.notes_label.setProperty("muted", True)
        self.notes_label.setWordWrap(True)
        self.edit_button = action_button("&Edit", "edit", "editClientButton")
        self.sell_button = action_button("&Sell package", "sell", "sellPackageButton")
        self.book_button = action_button("&Book session", "calendar-plus", "bookSessionButton")
        text = QVBoxLayout()
        text.setSpacing(4)
        text.addWidget(self.name_label)
        text.addWidget(self.contact_label)
        text.addWidget(self.notes_label)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        for button in (self.edit_button, self.sell_button, self.book_button):
            buttons.addWidget(button)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.addLayout(text, 1)
        layout.addLayout(buttons)
        layout.setAlignment(buttons, Qt.AlignmentFlag.AlignTop)


    def show_client(self, client: Client) -> None:
        self.name_label.setText(client.full_name + ("  (archived)" if client.archived else ""))
        contact = [part for part in (client.email, client.phone) if part]
        self.contact_label.setText("   ·   ".join(contact) if contact else "No email or phone yet")
        self.notes_label.setText(client.notes or "")
        self.notes_label.setVisible(bool(client.notes))
