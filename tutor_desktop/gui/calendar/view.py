"""The calendar itself: one column per day, an hour grid, sessions as blocks with time, client, tutor and a status
badge, and a line at the current time. Painted by hand so a week of a busy studio stays light."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from uuid import UUID

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QKeySequence, QMouseEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from tutor_desktop.domain import Session, SessionStatus
from tutor_desktop.gui.calendar.block_painter import alpha, describe, paint_block, paint_now
from tutor_desktop.gui.calendar.days import lanes
from tutor_desktop.gui.kit.formatting import desk_time
from tutor_desktop.gui.kit.theme import ACCENT

GUTTER = 56  # hour labels
HEADER = 46  # day names
HOUR_HEIGHT = 52
FIRST_HOUR, LAST_HOUR = 7, 21  # shown at least; widened when sessions fall outside
MIN_LANE_WIDTH = 110  # a session side by side with others keeps room for its client's name: the days scroll
ACTION_KEYS = {
    Qt.Key.Key_D: SessionStatus.DONE,
    Qt.Key.Key_S: SessionStatus.NO_SHOW_STUDENT,
    Qt.Key.Key_T: SessionStatus.NO_SHOW_TUTOR,
    Qt.Key.Key_C: SessionStatus.CANCELLED,
}


class CalendarView(QWidget):
    session_selected = Signal(object)  # Session or None
    session_activated = Signal(object)  # Session (double click, Enter)
    slot_activated = Signal(object)  # a desk wall-clock datetime (naive): a double click on an empty slot
    context_requested = Signal(object, object)  # Session, global QPoint
    step_requested = Signal(int)  # days to move (arrows, Page Up / Page Down)
    today_requested = Signal()
    action_requested = Signal(object)  # SessionStatus, from the D / S / T / C keys
    reschedule_requested = Signal()  # the R key
    undo_requested = Signal()  # Ctrl+Z: put the last mark back

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarView")
        self.setAccessibleName("calendarView")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.days: list[date] = [date.today()]
        self.sessions: list[Session] = []
        self.selected_id: UUID | None = None
        self._first_hour, self._last_hour = FIRST_HOUR, LAST_HOUR
        self._clock = QTimer(self, interval=60_000)
        self._clock.timeout.connect(self.update)
        self._clock.start()

    # --- data ------------------------------------------------------------------------------------------------

    def show_days(self, days: list[date], sessions: list[Session]) -> None:
        self.days = days
        self.sessions = sorted(sessions, key=lambda s: (s.starts_at, str(s.id)))
        local = [desk_time(s.starts_at) for s in self.sessions] + [desk_time(s.ends_at) for s in self.sessions]
        self._first_hour = min([FIRST_HOUR] + [t.hour for t in local])
        self._last_hour = max([LAST_HOUR] + [t.hour + (1 if t.minute else 0) for t in local])
        self.setMinimumHeight(HEADER + (self._last_hour - self._first_hour) * 34)
        most = max((count for day in days for _s, _lane, count in lanes(self._on(day))), default=1)
        self.setMinimumWidth(GUTTER + len(days) * (most * MIN_LANE_WIDTH + 6) if most > 1 else 0)
        if self.selected_id is not None and self.selected() is None:
            self.selected_id = None
            self.session_selected.emit(None)
        self.updateGeometry()
        self.update()

    def selected(self) -> Session | None:
        return next((s for s in self.sessions if s.id == self.selected_id), None)

    def select(self, session_id: UUID | None) -> None:
        self.selected_id = session_id
        self.update()
        self.session_selected.emit(self.selected())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(900, HEADER + (self._last_hour - self._first_hour) * HOUR_HEIGHT)

    # --- geometry --------------------------------------------------------------------------------------------

    def _hour_height(self) -> float:
        return max(30.0, (self.height() - HEADER) / max(1, self._last_hour - self._first_hour))

    def _column_width(self) -> float:
        return (self.width() - GUTTER) / max(1, len(self.days))

    def _y_of(self, moment: datetime) -> float:
        local = desk_time(moment)
        hours = local.hour + local.minute / 60 - self._first_hour
        return HEADER + hours * self._hour_height()

    def _layout_blocks(self) -> list[tuple[QRectF, Session]]:
        blocks: list[tuple[QRectF, Session]] = []
        width = self._column_width()
        for index, day in enumerate(self.days):
            for session, lane, count in lanes(self._on(day)):
                x = GUTTER + index * width + 3 + lane * (width - 6) / count
                top = self._y_of(session.starts_at)
                bottom = max(top + 22, self._y_of(session.ends_at))
                blocks.append((QRectF(x, top + 1, (width - 6) / count - 2, bottom - top - 2), session))
        return blocks

    def _on(self, day: date) -> list[Session]:
        return [s for s in self.sessions if desk_time(s.starts_at).date() == day]

    def session_at(self, point: QPointF) -> Session | None:
        for rect, session in reversed(self._layout_blocks()):
            if rect.contains(point):
                return session
        return None

    def block_rect(self, session_id: UUID) -> QRectF | None:
        """Where a session is drawn (tests click there)."""
        for rect, session in self._layout_blocks():
            if session.id == session_id:
                return rect
        return None

    # --- painting --------------------------------------------------------------------------------------------

    def paintEvent(self, _event) -> None:  # noqa: ANN001, N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        muted = QColor(text)
        muted.setAlphaF(0.55)
        grid = QColor(text)
        grid.setAlphaF(0.09)
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        self._paint_grid(painter, text, muted, grid)
        blocks = self._layout_blocks()
        for rect, session in blocks:
            paint_block(painter, rect, session, text, self.font(), session.id == self.selected_id)
        self._paint_now(painter, [rect for rect, _s in blocks])
        self._paint_empty(painter, muted)
        painter.end()

    def _paint_grid(self, painter: QPainter, text: QColor, muted: QColor, grid: QColor) -> None:
        width, hour_h = self._column_width(), self._hour_height()
        today = date.today()
        small = QFont(self.font())
        small.setPointSizeF(self.font().pointSizeF() * 0.85)
        for index, day in enumerate(self.days):
            x = GUTTER + index * width
            if day == today:
                painter.fillRect(QRectF(x, 0, width, self.height()), alpha(ACCENT, 0.06))
            if day.weekday() >= 5:
                painter.fillRect(QRectF(x, HEADER, width, self.height()), alpha("#888888", 0.05))
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))
            painter.setFont(small)
            painter.setPen(QColor(ACCENT) if day == today else muted)
            painter.drawText(QRectF(x, 6, width, 16), Qt.AlignmentFlag.AlignCenter, day.strftime("%a").upper())
            big = QFont(self.font())
            big.setPointSizeF(self.font().pointSizeF() * 1.35)
            big.setBold(day == today)
            painter.setFont(big)
            painter.setPen(QColor(ACCENT) if day == today else text)
            label = f"{day.day} {day:%b}" if len(self.days) > 1 else f"{day:%A} {day.day} {day:%B %Y}"
            painter.drawText(QRectF(x, 20, width, 22), Qt.AlignmentFlag.AlignCenter, label)
        painter.setPen(QPen(grid, 1))
        painter.drawLine(QPointF(0, HEADER), QPointF(self.width(), HEADER))
        painter.setFont(small)
        for hour in range(self._first_hour, self._last_hour + 1):
            y = HEADER + (hour - self._first_hour) * hour_h
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(GUTTER - 6, y), QPointF(self.width(), y))
            if hour < self._last_hour:
                painter.setPen(muted)
                painter.drawText(QRectF(0, y - 2, GUTTER - 10, 16), Qt.AlignmentFlag.AlignRight, f"{hour:02d}:00")

    def now_line(self, blocks: list[QRectF] | None = None) -> tuple[float, list[tuple[float, float]]] | None:
        """Where the current time is drawn: its height and the stretches of today's column between the sessions
        it passes (never across a block, so it is no strike-through); None when now is not shown."""
        now = desk_time(datetime.now(timezone.utc))
        if now.date() not in self.days or not (self._first_hour <= now.hour < self._last_hour):
            return None
        width = self._column_width()
        y = self._y_of(now)
        left = GUTTER + self.days.index(now.date()) * width
        crossed = sorted((r.left() - 2, r.right() + 2) for r in (blocks if blocks is not None else
                                                                 [b for b, _s in self._layout_blocks()])
                         if r.top() <= y <= r.bottom() and r.right() > left and r.left() < left + width)
        stretches, x = [], left
        for start, end in crossed:
            if start > x:
                stretches.append((x, start))
            x = max(x, end)
        if x < left + width:
            stretches.append((x, left + width))
        return y, stretches

    def _paint_now(self, painter: QPainter, blocks: list[QRectF]) -> None:
        line = self.now_line(blocks)
        if line is not None:
            paint_now(painter, *line, self.font(), GUTTER)

    def empty_text(self) -> str:
        """What an empty week (or day) says to do first; "" when it has sessions."""
        if self.sessions:
            return ""
        span = "day" if len(self.days) == 1 else "week"
        return (f"No sessions this {span}. Double-click a free hour to book one, or open a client "
                "(Clients, Ctrl+2) and press Book session.")

    def _paint_empty(self, painter: QPainter, muted: QColor) -> None:
        text = self.empty_text()
        if text:
            painter.setPen(muted)
            painter.setFont(self.font())
            area = QRectF(GUTTER + 24, HEADER + 24, self.width() - GUTTER - 48, 3 * self._hour_height())
            painter.drawText(area, int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap), text)

    # --- input -----------------------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        session = self.session_at(event.position())
        self.select(session.id if session else None)
        if session is not None and event.button() == Qt.MouseButton.RightButton:
            self.context_requested.emit(session, event.globalPosition().toPoint())

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        session = self.session_at(event.position())
        if session is not None:
            self.session_activated.emit(session)
        elif (slot := self.slot_at(event.position())) is not None:
            self.slot_activated.emit(slot)

    def slot_at(self, point: QPointF) -> datetime | None:
        """The half hour under a point on the grid, on the desk's clock (naive); None outside the days."""
        column = int((point.x() - GUTTER) // self._column_width()) if point.x() >= GUTTER else -1
        if not 0 <= column < len(self.days) or point.y() < HEADER:
            return None
        halves = int((point.y() - HEADER) / self._hour_height() * 2)
        minutes = min(self._first_hour * 60 + halves * 30, 23 * 60 + 30)
        return datetime.combine(self.days[column], time(minutes // 60, minutes % 60))

    def slot_point(self, slot: datetime) -> QPointF:
        """Where a slot is drawn (tests double-click there)."""
        column = self.days.index(slot.date())
        hours = slot.hour + slot.minute / 60 - self._first_hour + 0.25
        return QPointF(GUTTER + (column + 0.5) * self._column_width(), HEADER + hours * self._hour_height())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        session = self.session_at(event.position())
        self.setCursor(Qt.CursorShape.PointingHandCursor if session else Qt.CursorShape.ArrowCursor)
        if session is None:
            QToolTip.hideText()
            return
        QToolTip.showText(event.globalPosition().toPoint(), describe(session), self)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        step = 1 if len(self.days) == 1 else 7
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.step_requested.emit(step if key == Qt.Key.Key_Right else -step)
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            self.step_requested.emit(7 if key == Qt.Key.Key_PageDown else -7)
        elif key == Qt.Key.Key_Home:
            self.today_requested.emit()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._select_neighbour(1 if key == Qt.Key.Key_Down else -1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected():
            self.session_activated.emit(self.selected())
        elif key == Qt.Key.Key_Menu and self.selected():
            rect = self.block_rect(self.selected_id)
            self.context_requested.emit(self.selected(), self.mapToGlobal(rect.center().toPoint()))
        elif key in ACTION_KEYS and not event.modifiers() and self.selected():
            self.action_requested.emit(ACTION_KEYS[key])
        elif key == Qt.Key.Key_R and not event.modifiers() and self.selected():
            self.reschedule_requested.emit()
        elif event.matches(QKeySequence.StandardKey.Undo):
            self.undo_requested.emit()
        else:
            super().keyPressEvent(event)

    def _select_neighbour(self, direction: int) -> None:
        if not self.sessions:
            return
        ids = [s.id for s in self.sessions]
        if self.selected_id not in ids:
            self.select(ids[0] if direction > 0 else ids[-1])
            return
        position = ids.index(self.selected_id) + direction
        self.select(ids[max(0, min(len(ids) - 1, position))])
