"""A session's block on the calendar: whatever its width, its time shows; the badge gives way first."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont

from tutor_desktop.domain import Session, SessionStatus
from tutor_desktop.gui.calendar.block_painter import paint_block


class Recorder:
    """Stands in for QPainter and keeps what was written and what was drawn round."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.dots = 0

    def drawText(self, _rect, _flags, text: str) -> None:  # noqa: N802 - QPainter's name
        self.texts.append(text)

    def drawEllipse(self, _rect) -> None:  # noqa: N802, ANN001
        self.dots += 1

    def __getattr__(self, _name: str):  # noqa: ANN204 - fills, pens, fonts: nothing to check
        return lambda *args: None


def session(status: SessionStatus) -> Session:
    start = datetime(2026, 12, 1, 16, tzinfo=timezone.utc)
    return Session(uuid.uuid4(), 1, "Kofi Mensah", 2, "Maya Okafor", None, start, start + timedelta(hours=1), status,
                   "", None)


@pytest.mark.parametrize("width", [60, 100, 120, 140, 180, 260])
@pytest.mark.parametrize("status", list(SessionStatus))
def test_the_time_always_shows_beside_the_badge(qapp, monkeypatch, width, status):
    monkeypatch.setenv("TUTOR_DESKTOP_TIME_ZONE", "UTC")
    painter = Recorder()
    paint_block(painter, QRectF(0, 0, width, 26), session(status), QColor("#000000"), QFont(), False)
    time_line = next(text for text in painter.texts if text not in (status.label,))
    assert time_line.startswith("16:00"), (width, painter.texts)
    assert status.label in painter.texts or painter.dots == 1 or width <= 105  # the status: as a pill or a dot
