"""The change bus: one QObject whose signals tell every open window what changed, fed by this desk's
mutations and by the listener that hears other desks' NOTIFY. Lives in the GUI thread; the listener thread
only calls `hear` and `hear_state`, whose signals Qt queues to it."""

from __future__ import annotations

import json
from uuid import UUID

from PySide6.QtCore import QObject, Signal, Slot

from tutor_desktop.domain import Balance


class ChangeBus(QObject):
    balance_changed = Signal(object)  # Balance, as a database function returned it
    package_changed = Signal(object)  # package id (UUID): reload it
    session_changed = Signal(object)  # session id (UUID): reload it
    client_changed = Signal(object)  # client id (int): reload it
    studio_changed = Signal()  # many things at once (auto-complete, reconnect): reload what is shown
    connection_lost = Signal(str)
    connection_restored = Signal()
    _heard = Signal(str)  # from the listener thread, queued to this object's (the GUI) thread
    _heard_state = Signal(bool, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.online = True
        self._heard.connect(self.publish_notification)
        self._heard_state.connect(self._state_heard)

    def hear(self, payload: str) -> None:
        """Any thread: a NOTIFY payload; it is read and published in the GUI thread."""
        self._heard.emit(payload)

    def hear_state(self, online: bool, message: str) -> None:
        """Any thread: the listener's connection came back or went away."""
        self._heard_state.emit(online, message)

    @Slot(bool, str)
    def _state_heard(self, online: bool, message: str) -> None:
        if online:
            self.report_reachable()
        else:
            self.report_unreachable(message)

    def publish_balance(self, balance: Balance) -> None:
        self.balance_changed.emit(balance)
        self.package_changed.emit(balance.package_id)

    @Slot(str)
    def publish_notification(self, payload: str) -> None:
        """A NOTIFY payload from the database: {"op", "package", "session", "client"}."""
        try:
            change = json.loads(payload)
            package = UUID(change["package"]) if change.get("package") else None
            session = UUID(change["session"]) if change.get("session") else None
            client = int(change["client"]) if change.get("client") is not None else None
        except (ValueError, TypeError, AttributeError, KeyError):  # not ours to understand: reload everything
            self.studio_changed.emit()
            return
        if package is not None:
            self.package_changed.emit(package)
        if session is not None:
            self.session_changed.emit(session)
        if client is not None:
            self.client_changed.emit(client)
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
