"""The side panel of the calendar: the selected session, its tutor notes, the actions (Done, Student no-show,
Tutor no-show, Reschedule, Cancel) and, after an action, the client's remaining count as the database returned."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from tutor_desktop.domain import Session, SessionStatus, StatusChange
from tutor_desktop.gui.calendar.remaining_count import RemainingCount
from tutor_desktop.gui.calendar.marking import STATUS_ACTIONS, LastMark, describe_change, describe_undo
from tutor_desktop.gui.calendar.notes_editor import NotesEditor
from tutor_desktop.gui.kit.elided_label import ElidedLabel
from tutor_desktop.gui.kit.assets import icon
from tutor_desktop.gui.kit.confirm import confirm
from tutor_desktop.gui.kit.formatting import desk_time
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.operations import Mutation, alive, show_message
from tutor_desktop.gui.shell.permissions import manages_packages

class SessionPanel(QFrame):
    open_client = Signal(int)
    reschedule_clicked = Signal()

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.session: Session | None = None
        self._op: Mutation | None = None
        self.last_mark: LastMark | None = None  # what Undo puts back
        self.confirm_box = None
        self.setObjectName("sessionPanel")
        self.setProperty("card", True)
        # One width whatever it shows, so the week beside it and its own buttons never shift after a mark.
        self.setFixedWidth(360)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self._build()
        self.show_session(None)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        layout.setSpacing(10)
        self.empty_label = QLabel("Select a session in the calendar to mark it.")
        self.empty_label.setProperty("muted", True)
        self.empty_label.setWordWrap(True)
        layout.addWidget(self.empty_label)

        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        details.setSpacing(8)
        self.status_badge = QLabel()
        self.status_badge.setObjectName("sessionStatusBadge")
        self.client_label = ElidedLabel()  # a long name ends in "…", whole in the tooltip
        self.client_label.setProperty("heading", True)
        self.when_label = QLabel()
        self.tutor_label = QLabel()
        self.tutor_label.setProperty("muted", True)
        self.open_client_button = QPushButton(icon("client"), "Open client")
        self.open_client_button.setObjectName("openClientButton")
        self.open_client_button.clicked.connect(self._open_client)
        top = QHBoxLayout()
        top.addWidget(self.status_badge)
        top.addStretch(1)
        top.addWidget(self.open_client_button)
        details.addLayout(top)
        details.addWidget(self.client_label)
        details.addWidget(self.when_label)
        details.addWidget(self.tutor_label)
        for label in (self.client_label, self.when_label, self.tutor_label):  # their height, never a share of more
            label.setSizePolicy(label.sizePolicy().horizontalPolicy(), QSizePolicy.Policy.Fixed)

        self.count = RemainingCount(self._ctx)
        details.addWidget(self.count)

        self.result_label = QLabel()
        self.result_label.setObjectName("sessionResultLabel")
        self.result_label.setWordWrap(True)
        self.undo_button = QPushButton(icon("reinstate"), "Undo")
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setAccessibleName("undoButton")
        self.undo_button.setToolTip("Put the last mark back (Ctrl+Z)")
        self.undo_button.clicked.connect(self.undo)

        self.notes_editor = NotesEditor(self._ctx)
        self.notes = self.notes_editor.edit
        details.addWidget(self.notes_editor)

        grid = QGridLayout()
        grid.setSpacing(8)
        self.action_buttons: dict[SessionStatus, QPushButton] = {}
        for index, (status, name, text, glyph, key) in enumerate(STATUS_ACTIONS):
            button = QPushButton(icon(glyph, status.colour), text)
            button.setObjectName(name)
            button.setAccessibleName(name)
            button.setToolTip(f"Mark this session {status.label} (key {key} in the calendar)")
            button.clicked.connect(self._status_clicked)
            button.setProperty("status", status.code)
            grid.addWidget(button, index // 2, index % 2)
            self.action_buttons[status] = button
        self.reschedule_button = QPushButton(icon("reschedule"), "&Reschedule…")
        self.reschedule_button.setObjectName("rescheduleButton")
        self.reschedule_button.setAccessibleName("rescheduleButton")
        self.reschedule_button.setToolTip("Move this session to another time (key R in the calendar)")
        self.reschedule_button.clicked.connect(self.reschedule_clicked)
        grid.addWidget(self.reschedule_button, 2, 0, 1, 2)
        self.reschedule_button.setVisible(manages_packages(self._ctx.staff))  # tutors mark; the front desk moves
        self.action_buttons[SessionStatus.DONE].setProperty("primary", True)
        details.addLayout(grid)
        # What the last mark did, with Undo, below the buttons: appearing, it moves nothing a person may click.
        result = QHBoxLayout()
        result.addWidget(self.result_label, 1)
        result.addWidget(self.undo_button, 0, Qt.AlignmentFlag.AlignTop)
        details.addLayout(result)
        layout.addWidget(self.details)
        layout.addStretch(1)

    # --- showing ---------------------------------------------------------------------------------------------

    def show_session(self, session: Session | None) -> None:
        changed = session is None or self.session is None or session.id != self.session.id
        self.session = session
        self.notes_editor.show_session(session)  # saves what was typed for the last one first
        self.empty_label.setVisible(session is None)
        self.details.setVisible(session is not None)
        if session is None:
            return
        start, end = desk_time(session.starts_at), desk_time(session.ends_at)
        self.status_badge.setText(session.status.label)
        fg = "#1d2330" if session.status == SessionStatus.RESCHEDULED else "#ffffff"
        self.status_badge.setStyleSheet(
            f"background: {session.status.colour}; color: {fg}; border-radius: 9px; padding: 2px 10px;"
            " font-weight: 600;"
        )
        self.client_label.setText(session.client_name)
        self.when_label.setText(f"{start:%A} {start.day} {start:%B}, {start:%H:%M}–{end:%H:%M}")
        self.tutor_label.setText(f"with {session.tutor_name}")
        if changed:
            self.count.show_for(session)
            self.result_label.clear()
        self._update_actions()

    def _update_actions(self) -> None:
        session = self.session
        busy = self._busy()
        moved = session is not None and session.rescheduled_to is not None
        for status, button in self.action_buttons.items():
            button.setEnabled(session is not None and not busy and not moved and session.status != status)
        self.reschedule_button.setEnabled(
            session is not None and not busy and not moved and manages_packages(self._ctx.staff))
        undoable = self.last_mark is not None and self.last_mark.undoable()
        self.undo_button.setVisible(undoable)
        self.undo_button.setEnabled(undoable and not busy)

    # --- acting ----------------------------------------------------------------------------------------------

    @Slot()
    def _status_clicked(self) -> None:
        status = SessionStatus.from_code(self.sender().property("status"))
        self.mark(status)

    def track(self, op: Mutation) -> None:
        """Another action on this session (a reschedule): the marks stay off until it is answered."""
        self._op = op
        op.on_finished(self._update_actions)

    def mark(self, status: SessionStatus) -> bool:
        """Sets the selected session's status; False when nothing was sent (no session, or one in flight). A
        session that has not started yet is marked done or student no-show only once the person confirms."""
        session = self.session
        button = self.action_buttons.get(status)
        if session is None or self._busy() or (button and not button.isEnabled()):
            return False
        if status.uses_a_session and session.starts_at > datetime.now(timezone.utc):
            when = desk_time(session.starts_at)
            self.confirm_box = confirm(
                self, f"Mark {session.client_name}'s session {status.label} already?",
                f"It starts {when:%a} {when.day} {when:%b} at {when:%H:%M} and uses one session of the package.",
                f"Mark {status.label}", lambda: self._send(session, status), back_text="Not yet")
            self.confirm_box.finished.connect(self._update_actions)  # the marks wait while it asks
            self._update_actions()
            return True
        self._send(session, status)
        return True

    def _busy(self) -> bool:
        asking = self.confirm_box is not None and alive(self.confirm_box) and self.confirm_box.isVisible()
        return asking or (self._op is not None and self._op.running)

    def _send(self, session: Session, status: SessionStatus, undoing: LastMark | None = None) -> None:
        if self._op is not None and self._op.running:
            return
        self.notes_editor.save()  # typed notes go first (writes go in click order); the mark leaves them be
        previous = session.status
        busy = [*self.action_buttons.values(), self.reschedule_button, self.undo_button]
        self._op = Mutation(
            self._ctx, self,
            lambda request_id: self._ctx.studio.set_session_status(session.id, status, None, request_id=request_id),
            busy=busy,
        )
        self._op.on_success(lambda change: self._marked(session, previous, change, undoing))
        self._op.on_finished(self._update_actions)
        self._op.run()

    def _marked(self, session: Session, previous: SessionStatus, change: StatusChange,
                undoing: LastMark | None) -> None:
        """The words only: the count arrives with the Change the Mutation publishes."""
        if undoing is None:
            self.last_mark = LastMark(session, previous, change.session_status)
            text, kind = describe_change(session, previous, change)
        else:
            self.last_mark = None
            text, kind = describe_undo(session, change)
        if self.session is not None and self.session.id == session.id:
            self.result_label.setText(text)
        action = ("Undo", self.undo) if undoing is None and kind == "success" else None
        show_message(self, text, kind, action=action)
        self._update_actions()

    @Slot()
    def undo(self) -> bool:
        """Puts the last mark back (Undo in the message, the Undo button, Ctrl+Z), through the same function
        with a request id of its own; False when there is nothing (any more) to undo."""
        last = self.last_mark
        if last is None or not last.undoable() or self._busy():
            return False
        moved_on = last.session if self.session is None or self.session.id != last.session.id else self.session
        self._send(replace(moved_on, status=last.status), last.previous, undoing=last)
        return True

    @Slot()
    def _open_client(self) -> None:
        if self.session is not None:
            self.open_client.emit(self.session.client_id)
