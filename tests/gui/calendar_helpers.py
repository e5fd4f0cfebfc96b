"""What the calendar's window tests share."""

from __future__ import annotations

from tutor_desktop.gui.calendar.page import CalendarPage


def mark_early(qtbot, page: CalendarPage) -> None:  # noqa: ANN001
    """A session that has not started yet is marked done (or student no-show) once the person confirms."""
    qtbot.waitUntil(lambda: page.panel.confirm_box is not None and page.panel.confirm_box.isVisible())
    next(b for b in page.panel.confirm_box.buttons() if b.text().startswith("Mark")).click()
