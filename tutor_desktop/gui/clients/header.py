"""The top of a client window: the name, how to reach the client, the notes, and the client-wide actions (edit
the client, sell a package, book a session), each through its dialog."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from tutor_desktop.domain import Change, Client, Package, Session, Staff
from tutor_desktop.gui.clients.book_session_dialog import BookSessionDialog, booking_reads, open_booking
from tutor_desktop.gui.clients.client_dialog import ClientDialog
from tutor_desktop.gui.clients.sell_package_dialog import SellPackageDialog
from tutor_desktop.gui.clients.statement_dialog import open_statement
from tutor_desktop.gui.kit.buttons import action_button
from tutor_desktop.gui.kit.elided_label import ElidedLabel
from tutor_desktop.gui.kit.confirm import confirm
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.operations import Mutation, Query, show_message
from tutor_desktop.gui.shell.permissions import manages_packages


class ClientHeader(QFrame):
    package_sold = Signal(object)  # the new package's id

    def __init__(self, ctx: DeskContext, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.client_id = client_id
        self.client: Client | None = None
        self.packages: Sequence[Package] = ()  # for the booking dialog's choice
        self.selected_package: UUID | None = None
        self.client_dialog: ClientDialog | None = None
        self.sell_dialog: SellPackageDialog | None = None
        self.book_dialog: BookSessionDialog | None = None
        self.confirm_box = None
        self.setProperty("card", True)
        self.name_label = ElidedLabel("")
        self.name_label.setObjectName("clientName")
        self.name_label.setProperty("heading", True)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.contact_label = ElidedLabel("")
        self.contact_label.setObjectName("clientContact")
        self.contact_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes_label = ElidedLabel("")
        self.notes_label.setObjectName("clientNotes")
        self.notes_label.setProperty("muted", True)
        self.edit_button = action_button("&Edit", "edit", "editClientButton")
        self.sell_button = action_button("&Sell package", "sell", "sellPackageButton")
        self.book_button = action_button("&Book session", "calendar-plus", "bookSessionButton")
        self.archive_button = action_button("Archive", "cancel", "archiveClientButton",
                                            "Hide this client from the lists; their history stays")
        self.statement_button = action_button("S&tatement", "statement", "statementButton",
                                              "The client's packages, balances and history, to print or e-mail")
        text = QVBoxLayout()
        text.setSpacing(4)
        text.addWidget(self.name_label)
        text.addWidget(self.contact_label)
        text.addWidget(self.notes_label)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        for button in self.buttons():
            buttons.addWidget(button)
        buttons.addWidget(self.statement_button)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.addLayout(text, 1)
        layout.addLayout(buttons)
        layout.setAlignment(buttons, Qt.AlignmentFlag.AlignTop)
        self.edit_button.clicked.connect(self.edit_client)
        self.sell_button.clicked.connect(self.sell_package)
        self.book_button.clicked.connect(self.book_session)
        self.archive_button.clicked.connect(self.archive_or_restore)
        self.statement_button.clicked.connect(self.show_statement)
        allowed = manages_packages(ctx.staff)  # a tutor: hidden, and off so no shortcut reaches them
        for button in self.buttons():
            button.setVisible(allowed)
            button.setEnabled(allowed)

    @Slot()
    def show_statement(self) -> None:
        self.statement_query = open_statement(self.ctx, self, self.client_id, [self.statement_button])

    def buttons(self) -> list[QWidget]:
        return [self.edit_button, self.sell_button, self.book_button, self.archive_button]

    def show_client(self, client: Client) -> None:
        self.client = client
        self.archive_button.setText("Restore" if client.archived else "Archive")
        self.archive_button.setToolTip("Show this client in the lists again" if client.archived
                                       else "Hide this client from the lists; their history stays")
        self.name_label.setText(client.full_name + ("  (archived)" if client.archived else ""))
        contact = [part for part in (client.email, client.phone) if part]
        self.contact_label.setText("   ·   ".join(contact) if contact else "No email or phone yet")
        self.notes_label.setText(client.notes or "")
        self.notes_label.setVisible(bool(client.notes))

    # --- acting ----------------------------------------------------------------------------------------------

    def _client_name(self) -> str:
        return self.client.full_name if self.client else "this client"

    @Slot()
    def edit_client(self) -> None:
        if self.client is None or not self.edit_button.isEnabled():
            return
        self.client_dialog = ClientDialog(self.ctx, self.window(), self.client)
        self.client_dialog.saved.connect(lambda _id: show_message(self, "The client's details were saved.", "success"))
        self.client_dialog.open()

    @Slot()
    def sell_package(self) -> None:
        if not self.sell_button.isEnabled():
            return
        self.sell_dialog = SellPackageDialog(self.ctx, self.window(), self.client_id, self._client_name())
        self.sell_dialog.saved.connect(self._package_sold)
        self.sell_dialog.open()

    @Slot(object)
    def _package_sold(self, package_id: UUID) -> None:
        show_message(self, "The package was sold.", "success")
        self.package_sold.emit(package_id)

    @Slot()
    def book_session(self) -> None:
        if not self.book_button.isEnabled():
            return
        # The tutors, packages and sessions first, so the dialog opens filled.
        Query(self.ctx, self, booking_reads(self.ctx, self.client_id), busy=[self.book_button]).on_success(
            self._open_booking).run()

    def _open_booking(self, found: tuple[list[Staff], list[Package], list[Session]]) -> None:
        self.book_dialog = open_booking(self.ctx, self.window(), self.client_id, self._client_name(), found,
                                        self.selected_package)
        self.book_dialog.saved.connect(self._booked)

    @Slot(object)
    def _booked(self, session_ids: list[UUID]) -> None:
        n = len(session_ids)
        show_message(self, "One session booked." if n == 1 else f"{n} weekly sessions booked.", "success")

    @Slot()
    def archive_or_restore(self) -> None:
        client = self.client
        if client is None or not self.archive_button.isEnabled():
            return
        if client.archived:
            self._set_archived(client, False)
            return
        self.confirm_box = confirm(
            self, f"Archive {client.full_name}?",
            "They no longer show in the client list or when booking. Their packages, sessions and history stay, "
            "and Show archived in the client list brings them back.", "Archive",
            lambda: self._set_archived(client, True), back_text="Keep in the list")

    def _set_archived(self, client: Client, archived: bool) -> None:
        studio = self.ctx.studio
        Mutation(self.ctx, self, lambda request_id: studio.update_client(
            client.id, client.full_name, client.email, client.phone, client.notes, archived, request_id=request_id),
            busy=self.buttons(), change=lambda _none: Change(client_ids=frozenset({client.id}))).on_success(
            lambda _none: show_message(self, f"{client.full_name} was {'archived' if archived else 'restored'}.",
                                       "success")).run()
