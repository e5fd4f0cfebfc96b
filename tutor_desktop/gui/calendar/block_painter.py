"""How one session looks on the calendar: painted by hand, so a week of a busy studio stays light."""

from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPen

from tutor_desktop.domain import Session, SessionStatus
from tutor_desktop.gui.kit.formatting import desk_time
from tutor_desktop.gui.kit.theme import ACCENT, is_dark

NOW_COLOUR = "#e5484d"


def paint_block(painter: QPainter, rect: QRectF, session: Session, text: QColor, font: QFont, selected: bool) -> None:
    """One session: a tinted rounded block with its status colour down the left edge, the time, the client, the
    tutor and the status badge, each line elided to the width it has."""
    status = session.status
    faded = status in (SessionStatus.CANCELLED, SessionStatus.RESCHEDULED)
    path = QPainterPath()
    path.addRoundedRect(rect, 6, 6)
    painter.fillPath(path, alpha(status.colour, (0.30 if is_dark() else 0.16) * (0.6 if faded else 1)))
    painter.fillRect(QRectF(rect.left(), rect.top() + 1, 4, rect.height() - 2), QColor(status.colour))
    if selected:
        painter.setPen(QPen(QColor(ACCENT), 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)  # an outline only, whatever was filled before
        painter.drawPath(path)
    inner = rect.adjusted(9, 4, -5, -3)
    regular = QFont(font)
    regular.setPointSizeF(font.pointSizeF() * 0.85)
    bold = QFont(font)
    bold.setBold(True)
    bold.setStrikeOut(status == SessionStatus.CANCELLED)
    start, end = desk_time(session.starts_at), desk_time(session.ends_at)
    line_h = QFontMetrics(regular).height()
    name_h = QFontMetrics(bold).height()
    lines = [f"{start:%H:%M}–{end:%H:%M}"]
    if inner.height() >= line_h + name_h:
        lines.append(session.client_name)
    if inner.height() >= 2 * line_h + name_h:
        lines.append(session.tutor_name)
    # The badge goes on the tutor's line when there is one, else on the time's, so the client's name always
    # has the block's whole width; a time that no longer fits beside it shrinks to its start, and where even the
    # start would not fit beside the whole badge, the badge shrinks to a dot of its colour: the time always shows.
    badge_line = 2 if len(lines) == 3 else 0
    badge_w = 0.0
    if inner.width() > 96:
        top = inner.top() + (line_h + name_h if badge_line == 2 else 0)
        room = inner.width() - (QFontMetrics(regular).horizontalAdvance(f"{start:%H:%M} ") if badge_line == 0 else 0)
        badge_w = _paint_badge(painter, QRectF(inner.left(), top, inner.width(), line_h), status, regular, room)
    if badge_line == 0 and QFontMetrics(regular).horizontalAdvance(lines[0]) > inner.width() - badge_w:
        lines[0] = f"{start:%H:%M}"
    y = inner.top()
    for index, text_line in enumerate(lines):
        is_name = index == 1
        font = bold if is_name else regular
        height = name_h if is_name else line_h
        width = inner.width() - (badge_w if index == badge_line else 0)
        painter.setFont(font)
        painter.setPen(text if is_name else alpha(text.name(), 0.7))
        elided = QFontMetrics(font).elidedText(text_line, Qt.TextElideMode.ElideRight, int(width))
        painter.drawText(QRectF(inner.left(), y, width, height), Qt.AlignmentFlag.AlignLeft, elided)
        y += height

def _paint_badge(painter: QPainter, inner: QRectF, status: SessionStatus, font: QFont, room: float) -> float:
    """The status as a pill at the right of the line, or a dot where `room` cannot hold the pill; returns the
    width it takes."""
    badge_font = QFont(font)
    badge_font.setPointSizeF(font.pointSizeF() * 0.9)
    badge_font.setBold(True)
    metrics = QFontMetrics(badge_font)
    w = metrics.horizontalAdvance(status.label) + 12
    if w + 6 > room:
        size = metrics.height() * 0.6
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(status.colour))
        painter.drawEllipse(QRectF(inner.right() - size, inner.top() + (inner.height() - size) / 2, size, size))
        return size + 6
    badge = QRectF(inner.right() - w, inner.top(), w, metrics.height() + 2)
    path = QPainterPath()
    path.addRoundedRect(badge, badge.height() / 2, badge.height() / 2)
    painter.fillPath(path, QColor(status.colour))
    painter.setFont(badge_font)
    painter.setPen(QColor("#1d2330") if status == SessionStatus.RESCHEDULED else QColor("#ffffff"))
    painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, status.label)
    return w + 6


def alpha(colour: str, alpha: float) -> QColor:
    c = QColor(colour)
    c.setAlphaF(alpha)
    return c


def paint_now(painter: QPainter, y: float, stretches: list[tuple[float, float]], font: QFont, gutter: float) -> None:
    """The current time: a red line along the stretches between sessions, and the time in the hours' gutter."""
    colour = QColor(NOW_COLOUR)
    painter.setPen(QPen(colour, 2))
    for start, end in stretches:
        painter.drawLine(QPointF(start, y), QPointF(end, y))
    small = QFont(font)
    small.setPointSizeF(font.pointSizeF() * 0.8)
    small.setBold(True)
    painter.setFont(small)
    label = QRectF(2, y - 8, gutter - 4, 16)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(label, 8, 8)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(label, Qt.AlignmentFlag.AlignCenter, desk_time(datetime.now(timezone.utc)).strftime("%H:%M"))



def describe(session: Session) -> str:
    start, end = desk_time(session.starts_at), desk_time(session.ends_at)
    lines = [session.client_name, f"{start:%a} {start.day} {start:%b}, {start:%H:%M}–{end:%H:%M}",
             f"Tutor: {session.tutor_name}",
             f"Status: {session.status.label}"]
    if session.tutor_notes:
        lines.append(f"Notes: {session.tutor_notes}")
    return "\n".join(lines)
