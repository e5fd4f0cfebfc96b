"""The change bus: one QObject whose signals tell every open window what changed, fed by this desk's
mutations and by the listener that hears other desks' NOTIFY. Safe to call from any thread: Qt queues the
signals to the windows in the GUI thread."""

from __future__ import annotations

import json
from uuid import UUID

from PySide6.QtCore import QObject, Signal

from tutor_desktop.domain import Balance


class ChangeBus(QObject):
    balance_changed = Signal(object)  # Balance, as a database function returned it
    package_changed = Signal(object)  # package id (UUID): reload it
    session_changed = Signal(object)  # session id (UUID): reload it
    client_changed = Signal(object)  # client id (int): reload it
    studio_changed = Signal()  # many things at once (auto-complete, reconnect): reload what is shown
    connection_lost = Signal(str)
    connection_restored = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.online = True

    def publish_balance(self, balance: Balance) -> None:
        self.balance_changed.emit(balance)
        self.package_changed.emit(balance.package_id)

    def publish_notification(self, payload: str) -> None:
        """A NOTIFY payload from the database: {"op", "package", "session", "client"}."""
        try:
            change = json.loads(payload)
        except ValueError:
            self.studio_changed.emit()
            return
        if change.get("package"):
            self.package_changed.emit(UUID(change["package"]))
        if change.get("session"):
            self.session_changed.emit(UUID(change["session"]))
        if change.get("client") is not None:
            self.client_changed.emit(int(change["client"]))
        if change.get("op") == "auto_complete":
            self.studio_changed.emit()

    def report_unreachable(self, message: str) -> None:
        if self.online:
            self.online = False
            self.connection_lost.emit(message)

    def report_reachable(self) -> None:
        if not self.online:
            self.online = True
            self.connection_restored.emit()
