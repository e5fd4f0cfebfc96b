"""The client-wide actions of a client window: edit the client, sell a package, book a session. Each opens its
dialog; the dialog sends the change and the window reloads what the database then holds."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from PySide6.QtCore import QObject, Slot

from tutor_desktop.domain import Staff, StaffRole
from tutor_desktop.gui.dialogs.book_session_dialog import BookSessionDialog
from tutor_desktop.gui.dialogs.client_dialog import ClientDialog
from tutor_desktop.gui.dialogs.sell_package_dialog import SellPackageDialog
from tutor_desktop.gui.operations import Query, show_message

if TYPE_CHECKING:
    from tutor_desktop.gui.client_window import ClientWindow


class RecordActions(QObject):
    def __init__(self, window: ClientWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.client_dialog: ClientDialog | None = None
        self.sell_dialog: SellPackageDialog | None = None
        self.book_dialog: BookSessionDialog | None = None

    def _client_name(self) -> str:
        return self.window.data.client.full_name if self.window.data else "this client"

    @Slot()
    def edit_client(self) -> None:
        if self.window.data is None:
            return
        self.client_dialog = ClientDialog(self.ctx, self.window, self.window.data.client)
        self.client_dialog.saved.connect(self._client_saved)
        self.client_dialog.open()

    @Slot(object)
    def _client_saved(self, _client_id: int) -> None:
        show_message(self.window, "The client's details were saved.", "success")
        self.window.reload()

    @Slot()
    def sell_package(self) -> None:
        self.sell_dialog = SellPackageDialog(self.ctx, self.window, self.window.client_id, self._client_name())
        self.sell_dialog.saved.connect(self._package_sold)
        self.sell_dialog.open()

    @Slot(object)
    def _package_sold(self, package_id: UUID) -> None:
        show_message(self.window, "The package was sold.", "success")
        self.window.select_package(package_id)  # takes effect when the reload brings it
        self.window.reload()

    @Slot()
    def book_session(self) -> None:
        # The tutors first, so the dialog opens filled.
        button = self.window.header.book_button
        Query(self.ctx, self.window, self.ctx.studio.list_staff, busy=[button]).on_success(self._open_booking).run()

    def _open_booking(self, staff: list[Staff]) -> None:
        tutors = [s for s in staff if s.role == StaffRole.TUTOR]
        packages = self.window.packages.rows
        selected = self.window.selected_package()
        self.book_dialog = BookSessionDialog(
            self.ctx, self.window, self.window.client_id, self._client_name(), tutors, packages,
            selected.id if selected else None,
        )
        self.book_dialog.saved.connect(self._booked)
        self.book_dialog.open()

    @Slot(object)
    def _booked(self, session_ids: list[UUID]) -> None:
        n = len(session_ids)
        show_message(self.window, "One session booked." if n == 1 else f"{n} weekly sessions booked.", "success")
        self.window.reload()
