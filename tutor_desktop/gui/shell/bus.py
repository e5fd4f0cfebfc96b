"""The change bus: the one road by which windows learn what changed. This desk's finished mutations publish a
Change with the object that started them; other desks' changes, read from the change feed by the listener, arrive
as the same Change with no origin (this desk's own, read back from the feed, are left out: their Mutation published
them). Lives in the GUI thread; the listener thread only calls `hear` and `hear_state`, whose signals Qt queues to
it."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Container
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
        self._own = _Recent()
        self._heard.connect(self._publish_announcement)
        self._heard_state.connect(self._state_heard)

    def publish(self, change: Change, origin: object = None) -> None:
        self.changed.emit(change, origin)

    def published_for(self, request_id: UUID) -> None:
        """A Mutation of this desk published the Change its request made: the feed's echo of it is not published."""
        self._own.add(request_id)

    def hear(self, payload: str) -> None:
        """Any thread: what the listener read from the change feed; it is published in the GUI thread."""
        self._heard.emit(payload)

    def hear_state(self, online: bool, message: str) -> None:
        """Any thread: the listener's connection came back or went away."""
        self._heard_state.emit(online, message)

    @Slot(str)
    def _publish_announcement(self, payload: str) -> None:
        if (message := deactivation(payload)) is not None:
            self.report_deactivated(message)
            return
        change = announced_change(payload, self._own)
        if change is not None:
            self.publish(change)

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


class _Recent:
    """The latest request ids, a bounded number of them."""

    def __init__(self, keep: int = 1000) -> None:
        self._order: deque[UUID] = deque()
        self._ids: set[UUID] = set()
        self._keep = keep

    def add(self, request_id: UUID) -> None:
        if request_id not in self._ids:
            self._order.append(request_id)
            self._ids.add(request_id)
            if len(self._order) > self._keep:
                self._ids.discard(self._order.popleft())

    def __contains__(self, request_id: object) -> bool:
        return request_id in self._ids


def deactivation(payload: str) -> str | None:
    """The words to sign out with when the listener found this desk's staff account deactivated; else None."""
    try:
        found = json.loads(payload)
    except ValueError:
        return None
    message = found.get("deactivated") if isinstance(found, dict) else None
    return str(message) if message else None


def announced_change(payload: str, own: Container[UUID] = frozenset()) -> Change | None:
    """What one read of the change feed found, {"changes": [{"package", "session", "client", "request"}, ...],
    "everything"}, as one Change, leaving out the changes made by the requests in `own`; None when nothing is
    left. A payload not understood, or a change that names nothing, is everything."""
    try:
        found = json.loads(payload)
        changes = [c for c in found.get("changes", ()) if _uuid(c.get("request")) not in own]
        packages = frozenset(_uuid(c["package"]) for c in changes if c.get("package"))
        sessions = frozenset(_uuid(c["session"]) for c in changes if c.get("session"))
        clients = frozenset(int(c["client"]) for c in changes if c.get("client") is not None)
        # A change that names nothing (an import, the catalogue) may touch any window.
        everything = bool(found.get("everything", False)) or any(
            not (c.get("package") or c.get("session") or c.get("client") is not None) for c in changes)
    except (ValueError, TypeError, AttributeError, KeyError):
        return Change(everything=True)
    if not (changes or everything):
        return None
    return Change(package_ids=packages, session_ids=sessions, client_ids=clients, everything=everything)


def _uuid(value: object) -> UUID | None:
    return UUID(str(value)) if value else None
