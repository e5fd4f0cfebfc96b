"""The session panel's count: how many sessions are left on the package the selected session draws from, as the
database says it (the package it holds a session of, else the booked one, else the client's usable package that
expires first). It follows every Change: a carried Balance is painted at once, anything else is read again."""

from __future__ import annotations

from uuid import UUID

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from tutor_desktop.domain import Change, Package, PackageState, Session
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.latest_read import LatestRead


class RemainingCount(QFrame):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.session: Session | None = None
        self._package_id: UUID | None = None  # the package whose count is shown, and its name
        self._package_label = ""
        self._cancelled = False  # the package shown was cancelled: no count is said, since none can be used
        self._reads = LatestRead(ctx, self, self._read)
        self.setProperty("card", True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        self.remaining_label = QLabel("–")
        self.remaining_label.setObjectName("remainingLabel")
        self.remaining_label.setAccessibleName("remainingLabel")
        self.remaining_label.setProperty("bignumber", True)
        self.remaining_caption = QLabel("sessions remaining")
        self.remaining_caption.setProperty("muted", True)
        self.remaining_caption.setWordWrap(True)
        layout.addWidget(self.remaining_label)
        layout.addWidget(self.remaining_caption, 1)
        ctx.bus.changed.connect(self._on_change)

    def show_for(self, session: Session | None) -> None:
        """Another session was selected: its count is read (until then, a dash)."""
        self.session = session
        self._package_id, self._package_label, self._cancelled = None, "", False
        self.remaining_label.setText("–")
        self.remaining_caption.setText("sessions remaining")
        if session is not None:
            self._reads.request()

    def _read(self):  # noqa: ANN202 - a LatestRead's (work, show)
        session, studio = self.session, self._ctx.studio
        return lambda: studio.package_for_session(session.id), lambda package: self._show_package(session, package)

    def _show_package(self, session: Session, package: Package | None) -> None:
        if self.session is None or self.session.id != session.id:
            return  # another session was selected meanwhile; its own read is on its way
        if package is None:
            self._package_id, self._package_label = None, ""
            self.remaining_label.setText("0")
            self.remaining_caption.setText("No package to use a session from")
            return
        self._package_id, self._package_label = package.id, package.label
        self._cancelled = package.state == PackageState.CANCELLED
        self._show_count(package.sessions_remaining, package.sessions_total)

    def _show_count(self, remaining: int, total: int) -> None:
        if self._cancelled:
            self.remaining_label.setText("✕")
            self.remaining_caption.setText(f"{self._package_label} was cancelled: no session can be used from it")
            return
        self.remaining_label.setText(str(remaining))
        self.remaining_caption.setText(f"of {total} remaining\n{self._package_label}".strip())

    @Slot(object, object)
    def _on_change(self, change: Change, _origin: object) -> None:
        session, balance = self.session, change.balance
        if session is None:
            return
        mine = session.id in change.session_ids
        if balance is not None and (balance.package_id == self._package_id or mine):
            # The database's answer for the package shown, or for the one this session was just marked against.
            self._reads.supersede()  # a read that left before this answer must not paint over it
            if balance.package_id != self._package_id:
                self._package_id, self._package_label, self._cancelled = balance.package_id, "", False  # its name comes with the next read
                self._reads.request()
            self._show_count(balance.sessions_remaining, balance.sessions_total)
        elif mine or change.touches(packages={self._package_id} - {None}, clients={session.client_id}):
            self._reads.request()
