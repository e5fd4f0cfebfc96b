"""The side panel of the calendar: the selected session, its tutor notes, the actions (Done, Student no-show,
Tutor no-show, Reschedule, Cancel) and, after an action, the client's remaining count as the database returned."""

from __future__ import annotations

from uuid import UUID

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from tutor_desktop.domain import Change, Package, Session, SessionStatus, StatusChange
from tutor_desktop.gui.kit.assets import icon
from tutor_desktop.gui.kit.formatting import desk_time
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.latest_read import LatestRead
from tutor_desktop.gui.shell.operations import Mutation, show_message
from tutor_desktop.gui.shell.permissions import manages_packages

# (status, object name, button text with mnemonic, icon, key shown in the tooltip)
STATUS_ACTIONS = [
    (SessionStatus.DONE, "markDoneButton", "&Done", "done", "D"),
    (SessionStatus.NO_SHOW_STUDENT, "markNoShowStudentButton", "&Student no-show", "no-show-student", "S"),
    (SessionStatus.NO_SHOW_TUTOR, "markNoShowTutorButton", "&Tutor no-show", "no-show-tutor", "T"),
    (SessionStatus.CANCELLED, "cancelSessionButton", "&Cancel session", "cancel", "C"),
]


class SessionPanel(QFrame):
    open_client = Signal(int)
    reschedule_clicked = Signal()

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.session: Session | None = None
        self._op: Mutation | None = None
        self._package_id: UUID | None = None  # the package whose count is shown, and its name
        self._package_label = ""
        self._count = LatestRead(ctx, self, self._read_count)
        self.setObjectName("sessionPanel")
        self.setProperty("card", True)
        self.setMinimumWidth(300)
        self.setMaximumWidth(380)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self._build()
        self.show_session(None)
        ctx.bus.changed.connect(self._on_change)

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
        self.client_label = QLabel()
        self.client_label.setProperty("heading", True)
        self.client_label.setWordWrap(True)
        self.client_label.setTextFormat(Qt.TextFormat.PlainText)
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

        count = QFrame()
        count.setProperty("card", True)
        count_layout = QHBoxLayout(count)
        count_layout.setContentsMargins(14, 10, 14, 10)
        self.remaining_label = QLabel("–")
        self.remaining_label.setObjectName("remainingLabel")
        self.remaining_label.setAccessibleName("remainingLabel")
        self.remaining_label.setProperty("bignumber", True)
        self.remaining_caption = QLabel("sessions remaining")
        self.remaining_caption.setProperty("muted", True)
        self.remaining_caption.setWordWrap(True)
        count_layout.addWidget(self.remaining_label)
        count_layout.addWidget(self.remaining_caption, 1)
        details.addWidget(count)

        self.result_label = QLabel()
        self.result_label.setObjectName("sessionResultLabel")
        self.result_label.setWordWrap(True)
        details.addWidget(self.result_label)

        notes_label = QLabel("Tutor &notes")
        notes_label.setProperty("subheading", True)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("tutorNotes")
        self.notes.setAccessibleName("tutorNotes")
        self.notes.setPlaceholderText("What was covered, homework, anything the next tutor should know")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(110)
        notes_label.setBuddy(self.notes)
        details.addWidget(notes_label)
        details.addWidget(self.notes)

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
        layout.addWidget(self.details)
        layout.addStretch(1)

    # --- showing ---------------------------------------------------------------------------------------------

    def show_session(self, session: Session | None) -> None:
        changed = session is None or self.session is None or session.id != self.session.id
        self.session = session
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
            self._package_id, self._package_label = None, ""  # until this session's own read says which
            self.remaining_label.setText("–")
            self.remaining_caption.setText("sessions remaining")
            self.notes.setPlainText(session.tutor_notes)
            self.result_label.clear()
            self._count.request()
        self._update_actions()

    def _update_actions(self) -> None:
        session = self.session
        busy = self._op is not None and self._op.running
        moved = session is not None and session.rescheduled_to is not None
        for status, button in self.action_buttons.items():
            button.setEnabled(session is not None and not busy and not moved and session.status != status)
        self.reschedule_button.setEnabled(
            session is not None and not busy and not moved and manages_packages(self._ctx.staff))
        self.notes.setReadOnly(moved)

    def _read_count(self):  # noqa: ANN202 - a LatestRead's (work, show)
        """The package the database would charge this session to (the one it holds, else the booked one, else
        the client's usable package that expires first), read again for the session selected now."""
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
        self._show_count(package.sessions_remaining, package.sessions_total)

    def _show_count(self, remaining: int, total: int) -> None:
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
            self._count.supersede()  # a read that left before this answer must not paint over it
            if balance.package_id != self._package_id:
                self._package_id, self._package_label = balance.package_id, ""  # its name comes with the next read
                self._count.request()
            self._show_count(balance.sessions_remaining, balance.sessions_total)
        elif mine or change.touches(packages={self._package_id} - {None}, clients={session.client_id}):
            self._count.request()

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
        """Sets the selected session's status; False when nothing was sent (no session, or one in flight)."""
        session = self.session
        button = self.action_buttons.get(status)
        if session is None or (self._op is not None and self._op.running) or (button and not button.isEnabled()):
            return False
        notes = self.notes.toPlainText()
        previous = session.status
        busy = [*self.action_buttons.values(), self.reschedule_button, self.notes]
        self._op = Mutation(
            self._ctx, self,
            lambda request_id: self._ctx.studio.set_session_status(session.id, status, notes, request_id=request_id),
            busy=busy,
        )
        self._op.on_success(lambda change: self._marked(session, previous, change))
        self._op.on_finished(self._update_actions)
        self._op.run()
        return True

    def _marked(self, session: Session, previous: SessionStatus, change: StatusChange) -> None:
        """The words only: the count arrives with the Change the Mutation publishes."""
        text, kind = describe_change(session, previous, change)
        if self.session is not None and self.session.id == session.id:
            self.result_label.setText(text)
        show_message(self, text, kind)

    @Slot()
    def _open_client(self) -> None:
        if self.session is not None:
            self.open_client.emit(self.session.client_id)


def describe_change(session: Session, previous: SessionStatus, change: StatusChange) -> tuple[str, str]:
    status = change.session_status
    head = f"{session.client_name}: {status.label}."
    if not change.applied:
        return f"{head} Marked, but no session was used: {change.message}", "warning"
    counts = ""
    if change.sessions_remaining is not None:
        counts = f" {change.sessions_remaining} of {change.sessions_total} remaining."
    if change.reason == "given_back":
        return f"{head} Corrected from {previous.label}: the session was given back.{counts}", "success"
    if change.reason == "consumed":
        return f"{head} One session used.{counts}", "success"
    return f"{head} No session used.{counts}", "success"
