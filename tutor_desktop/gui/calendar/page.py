"""The calendar tab: a toolbar (today, previous, next, week or day, tutor filter), the calendar and the session
panel. Opening and refreshing run auto-complete first, as one set-based call, in the background."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from PySide6.QtCore import QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tutor_desktop.domain import AutoCompleteResult, Change, NotAllowed, Session, SessionStatus, Staff
from tutor_desktop.domain import StatusChange, TutorDeskError
from tutor_desktop.gui.kit.assets import icon
from tutor_desktop.gui.kit.buttons import tool_button
from tutor_desktop.gui.kit.formatting import amount, desk_moments, desk_time, desk_zone
from tutor_desktop.gui.calendar.days import day_bounds, range_text, week_of
from tutor_desktop.gui.calendar.view import CalendarView
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.latest_read import LatestRead
from tutor_desktop.gui.shell.operations import Mutation, Query, show_message
from tutor_desktop.gui.shell.permissions import manages_packages
from tutor_desktop.gui.calendar.reschedule_dialog import RescheduleDialog
from tutor_desktop.gui.calendar.marking import STATUS_ACTIONS
from tutor_desktop.gui.calendar.session_panel import SessionPanel

RELOAD_DELAY_MS = 120


class CalendarPage(QWidget):
    open_client = Signal(int)
    book_at = Signal(object, object)  # an aware start, the tutor filter's tutor id (or None): book there
    loaded = Signal()  # a week (or day) is on screen

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.anchor = date.today()
        self.day_mode = False
        self.tutor_id: int | None = None
        self._reload_timer = QTimer(self, singleShot=True, interval=RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)
        self._reads = LatestRead(ctx, self, self._read)
        self._refreshing: Mutation | None = None
        self._build()
        ctx.bus.changed.connect(self._on_change)
        ctx.bus.connection_restored.connect(self.refresh)

    def _build(self) -> None:
        self.today_button = tool_button("today", "Today", "Go to today (Home)")
        self.today_button.setObjectName("todayButton")
        self.prev_button = tool_button("prev", "", "Previous week (Left / Page Up)")
        self.prev_button.setObjectName("previousButton")
        self.next_button = tool_button("next", "", "Next week (Right / Page Down)")
        self.next_button.setObjectName("nextButton")
        self.range_label = QLabel()
        self.range_label.setObjectName("rangeLabel")
        self.range_label.setProperty("subheading", True)
        self.week_button = tool_button("calendar", "Week", "Show the whole week", checkable=True)
        self.week_button.setObjectName("weekButton")
        self.day_button = tool_button("calendar", "Day", "Show one day", checkable=True)
        self.day_button.setObjectName("dayButton")
        group = QButtonGroup(self)
        group.addButton(self.week_button)
        group.addButton(self.day_button)
        self.week_button.setChecked(True)
        self.tutor_filter = QComboBox()
        self.tutor_filter.setObjectName("tutorFilter")
        self.tutor_filter.setAccessibleName("tutorFilter")
        self.tutor_filter.setMinimumWidth(170)
        self.tutor_filter.addItem("All tutors", None)
        self.refresh_button = tool_button("refresh", "Refresh", "Mark past sessions done and reload (F5)")
        self.refresh_button.setObjectName("refreshButton")
        self.refresh_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))

        bar = QHBoxLayout()
        bar.setSpacing(6)
        for widget in (self.today_button, self.prev_button, self.next_button, self.range_label):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.week_button)
        bar.addWidget(self.day_button)
        bar.addSpacing(12)
        tutor_label = QLabel("Tutor")
        bar.addWidget(tutor_label)
        bar.addWidget(self.tutor_filter)
        if not manages_packages(self._ctx.staff):  # a tutor sees their own sessions only
            tutor_label.hide()
            self.tutor_filter.hide()
        bar.addWidget(self.refresh_button)

        self.view = CalendarView()
        scroll = QScrollArea()
        scroll.setWidget(self.view)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.panel = SessionPanel(self._ctx)

        body = QHBoxLayout()
        body.setSpacing(12)
        body.addWidget(scroll, 1)
        body.addWidget(self.panel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addLayout(body, 1)

        self.today_button.clicked.connect(self.go_today)
        self.prev_button.clicked.connect(lambda: self.step(-self._step_days()))
        self.next_button.clicked.connect(lambda: self.step(self._step_days()))
        self.week_button.toggled.connect(self._mode_toggled)
        self.tutor_filter.currentIndexChanged.connect(self._tutor_chosen)
        self.refresh_button.clicked.connect(self.refresh)
        self.view.session_selected.connect(self.panel.show_session)
        self.view.session_activated.connect(lambda s: self.open_client.emit(s.client_id))
        self.view.slot_activated.connect(self._slot_activated)
        self.view.context_requested.connect(self._context_menu)
        self.view.step_requested.connect(self.step)
        self.view.today_requested.connect(self.go_today)
        self.view.action_requested.connect(self.panel.mark)
        self.view.reschedule_requested.connect(self.reschedule)
        self.panel.reschedule_clicked.connect(self.reschedule)
        self.panel.open_client.connect(self.open_client)
        self.setTabOrder(self.view, self.panel.notes)
        self.view.undo_requested.connect(self.panel.undo)

    # --- navigation ------------------------------------------------------------------------------------------

    def days(self) -> list[date]:
        return [self.anchor] if self.day_mode else week_of(self.anchor)

    def _step_days(self) -> int:
        return 1 if self.day_mode else 7

    def step(self, days: int) -> None:
        self.anchor += timedelta(days=days)
        self.reload()

    def go_today(self) -> None:
        self.anchor = date.today()
        self.reload()

    @Slot(bool)
    def _mode_toggled(self, week: bool) -> None:
        self.day_mode = not week
        selected = self.view.selected()
        if self.day_mode and selected is not None:
            self.anchor = desk_time(selected.starts_at).date()
        self.prev_button.setToolTip(f"Previous {'day' if self.day_mode else 'week'} (Left)")
        self.next_button.setToolTip(f"Next {'day' if self.day_mode else 'week'} (Right)")
        self.reload()

    @Slot(int)
    def _tutor_chosen(self, _index: int) -> None:
        self.tutor_id = self.tutor_filter.currentData()
        self.reload()

    def set_tutors(self, staff: list[Staff]) -> None:
        current = self.tutor_id
        self.tutor_filter.blockSignals(True)
        self.tutor_filter.clear()
        self.tutor_filter.addItem("All tutors", None)
        for member in staff:
            if member.teaches and member.active:
                self.tutor_filter.addItem(member.display_name, member.id)
        index = self.tutor_filter.findData(current)
        self.tutor_filter.setCurrentIndex(max(0, index))
        self.tutor_filter.blockSignals(False)
        if index < 0 and current is not None:  # the chosen tutor left the list: show what the combo says
            self.tutor_id = None
            self.reload()

    # --- loading ---------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Marks sessions that have ended as done (one set-based call), then reloads."""
        if self._refreshing is not None and self._refreshing.running:
            return
        op = self._refreshing = Mutation(self._ctx, self, lambda _request_id: self._ctx.studio.auto_complete(),
                                         busy=[self.refresh_button])
        op.on_success(self._auto_completed)
        op.on_failure(self._auto_complete_refused)
        op.on_finished(self.reload)
        op.run()
        Query(self._ctx, self, self._ctx.studio.list_staff).on_success(self.set_tutors).run()

    def _auto_completed(self, result: AutoCompleteResult) -> None:
        parts = []
        if result.completed:
            parts.append(f"{amount(result.completed, 'past session')} marked done; "
                         f"{amount(result.deducted, 'package session')} used.")
        if result.skipped:
            parts.append(f"{amount(result.skipped, 'past session')} being changed at another desk: "
                         "marked done on the next refresh.")
        if parts:
            show_message(self, " ".join(parts), "info")

    def _auto_complete_refused(self, error: TutorDeskError) -> None:
        if not isinstance(error, NotAllowed):  # a login that may not auto-complete just sees the calendar
            show_message(self, error.message, "error")

    @Slot(object, object)
    def _on_change(self, _change: Change, origin: object) -> None:
        """Any change may move, add or re-mark a session on screen; this page's own refresh and reschedule
        reload by themselves."""
        if origin is not self:
            self._reload_timer.start()

    def reload(self) -> None:
        self._show_range(self.days())
        self._reads.request()

    def _read(self):  # noqa: ANN202 - a LatestRead's (work, show)
        days, tutor, studio = self.days(), self.tutor_id, self._ctx.studio
        start, end = day_bounds(days)
        return lambda: studio.sessions_between(start, end, tutor), lambda sessions: self._show(days, tutor, sessions)

    def _show(self, days: list[date], tutor: int | None, sessions: list[Session]) -> None:
        self.view.show_days(days, sessions)
        selected = self.view.selected()
        if selected is not None:
            self.panel.show_session(selected)
        self.loaded.emit()

    def _show_range(self, days: list[date]) -> None:
        self.range_label.setText(range_text(days))

    # --- actions ---------------------------------------------------------------------------------------------

    @Slot(object)
    def _slot_activated(self, slot) -> None:  # noqa: ANN001 - a naive datetime on the desk's clock
        if not manages_packages(self._ctx.staff):  # tutors mark; the front desk books
            return
        try:
            [starts] = desk_moments(slot)
        except TutorDeskError as refused:  # a time the clocks skip
            show_message(self, refused.message, "warning")
            return
        self.book_at.emit(starts, self.tutor_id)

    def _context_menu(self, session: Session, where: QPoint) -> None:
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for status, name, text, glyph, key in STATUS_ACTIONS:
            action = QAction(icon(glyph, status.colour), text.replace("&", ""), menu)
            action.setShortcut(QKeySequence(key))
            action.setEnabled(self.panel.action_buttons[status].isEnabled())
            action.triggered.connect(lambda _checked=False, s=status: self.panel.mark(s))
            menu.addAction(action)
        if manages_packages(self._ctx.staff):
            reschedule = menu.addAction(icon("reschedule"), "Reschedule…", self.reschedule)
            reschedule.setShortcut(QKeySequence("R"))
            reschedule.setEnabled(self.panel.reschedule_button.isEnabled())
        menu.addSeparator()
        menu.addAction(icon("client"), "Open client", lambda: self.open_client.emit(session.client_id))
        menu.popup(where)

    def reschedule(self) -> None:
        session = self.panel.session
        if session is None or not self.panel.reschedule_button.isEnabled():
            return
        dialog = RescheduleDialog(session, self)
        dialog.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.dialog.accepted.connect(lambda: self.reschedule_to(session, *dialog.times()))
        dialog.dialog.open()
        self._reschedule_dialog = dialog  # kept while open

    def reschedule_to(self, session: Session, start, end) -> None:  # noqa: ANN001 - datetimes, naive: desk's clock
        busy = [*self.panel.action_buttons.values(), self.panel.reschedule_button]
        studio, zone = self._ctx.studio, desk_zone().key
        op = Mutation(self._ctx, self, lambda request_id: studio.reschedule_session(
            session.id, *desk_moments(start, end), request_id=request_id, time_zone=zone), busy=busy)
        op.on_success(lambda change: self._rescheduled(session, change))
        self.panel.track(op)
        op.run()

    def _rescheduled(self, session: Session, change: StatusChange) -> None:
        show_message(self, f"{session.client_name}: moved. The old time shows as {SessionStatus.RESCHEDULED.label}; "
                     "no session was used.", "success")
        if change.new_session_id is not None:
            self._select_after_load(change.new_session_id)

    def _select_after_load(self, session_id: UUID) -> None:
        def select() -> None:
            if any(s.id == session_id for s in self.view.sessions):
                self.view.select(session_id)

        self.loaded.connect(select, Qt.ConnectionType.SingleShotConnection)
        self.reload()
