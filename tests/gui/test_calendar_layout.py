"""Three sessions at one hour stay readable side by side (the days scroll rather than squeeze them), and the
current-time line runs between the sessions with its time in the gutter, never across a block."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtGui import QFont, QFontMetrics

from tests.gui.test_calendar import open_on, page  # noqa: F401 - the calendar page fixture
from tutor_desktop.domain import StaffRole
from tutor_desktop.gui.calendar.view import MIN_LANE_WIDTH


def test_three_overlapping_sessions_keep_their_clients_names_readable(qtbot, page, repo):  # noqa: F811
    start = (datetime.now(timezone.utc) + timedelta(days=1)).replace(hour=12, minute=0, second=0, microsecond=0)
    names = ["Amara Okonkwo-Delacroix", "Bartholomew Fitzgerald", "Chiara Lombardi"]
    for i, name in enumerate(names):
        tutor = repo.add_staff(f"Tutor {i}", StaffRole.TUTOR)
        repo.book_session(repo.create_client(name), tutor, start, start + timedelta(hours=1), time_zone="UTC")
    page.resize(900, 700)
    open_on(qtbot, page, start)
    view = page.view
    rects = [view.block_rect(s.id) for s in view.sessions]
    assert len(rects) == 3 and len({r.left() for r in rects}) == 3  # side by side
    bold = QFont(view.font())
    bold.setBold(True)
    for rect in rects:
        assert rect.width() >= MIN_LANE_WIDTH - 4
        # the name's line (block minus its 14 px of padding) holds at least the first name's first six letters
        assert rect.width() - 14 >= QFontMetrics(bold).horizontalAdvance("Bartho…")
    assert view.width() >= view.minimumWidth() > 900 - 300  # the week scrolls sideways instead


def test_the_now_line_never_crosses_a_session(qtbot, page, repo, studio):  # noqa: F811
    now = datetime.now(timezone.utc)
    repo.book_session(studio.client, studio.tutor, now - timedelta(minutes=30), now + timedelta(minutes=30),
                      time_zone="UTC")
    page.resize(900, 700)
    open_on(qtbot, page, now)
    view = page.view
    line = view.now_line()
    if line is None:  # now is outside the hours shown (e.g. at night): nothing to cross
        return
    y, stretches = line
    block = view.block_rect(view.sessions[0].id)
    assert block.top() <= y <= block.bottom()
    assert stretches and all(end <= block.left() or start >= block.right() for start, end in stretches)
