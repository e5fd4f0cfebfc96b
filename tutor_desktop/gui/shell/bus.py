"""The change bus: the one road by which windows learn what changed. This desk's finished mutations publish a
Change with the object that started them; other desks' changes, read from the change feed by the listener, arrive
as the same Change with no origin. Lives in the GUI thread; the listener thread only calls `hear` and `hear_state`, whose
signals Qt queues to it."""

from __future__ import annotations

import json
from uuid import UUID

from PySide6.QtCore import QObject, Signal, Slot

from tutor_desktop.domain import Change


class ChangeBus(QObject):
    changed = Signal(object, object)  # Change, the object that started it (None: another desk, or the studio)
    connection_lost = Signal(str)  # what the server or driver said (the banner's details)
    account_deactivated = Signal(str)  # a person's message: this desk's staff account was deactivated
    connection_restored = Signal()
    _heard = Signal(str)  # from the listener thread, queued to this object's (the GUI) thread
    _heard_state = Signal(bool, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.online = True
        self.deactivated = False
        self._heard.connect(self._publish_announcement)
        self._heard_state.connect(self._state_heard)

    def publish(self, change: Change, origin: object = None) -> None:
        self.changed.emit(change, origin)

    def hear(self, payload: str) -> None:
        """Any thread: what the listener read from the change feed; it is published in the GUI thread."""
        self._heard.emit(payload)

    def hear_state(self, online: bool, message: str) -> None:
        """Any thread: the listener's connection came back or went away."""
        self._heard_state.emit(online, message)

    @Slot(str)
    def _publish_announcement(self, payload: str) -> None:
        self.publish(announced_change(payload))

    @Slot(bool, str)
    def _state_heard(self, online: bool, message: str) -> None:
        if online:
            self.report_reachable()
        else:
            self.report_unreachable(message)

    def report_unreachable(self, message: str) -> None:
        if self.online:
            self.online = False
            self.connection_lost.emit(message)

    def report_deactivated(self, message: str) -> None:
        """The database refused this desk's login or action because its staff account was deactivated."""
        if not self.deactivated:
            self.deactivated = True
            self.account_deactivated.emit(message)

    def report_reachable(self) -> None:
        # What changed meanwhile comes from the change feed, which the listener reads from where it left off
        # (everything only when that can no longer be served).
        if not self.online:
            self.online = True
            self.connection_restored.emit()


def announced_change(payload: str) -> Change:
    """What one read of the change feed found, {"packages", "sessions", "clients", "everything"}, as a Change;
    one not understood is everything."""
    try:
        change = json.loads(payload)
        packages = frozenset(UUID(str(p)) for p in change.get("packages", ()))
        sessions = frozenset(UUID(str(s)) for s in change.get("sessions", ()))
        clients = frozenset(int(c) for c in change.get("clients", ()))
        everything = bool(change.get("everything", False))
    except (ValueError, TypeError, AttributeError):
        return Change(everything=True)
    return Change(package_ids=packages, session_ids=sessions, client_ids=clients, everything=everything)
