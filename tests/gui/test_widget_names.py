"""The key widgets carry the agreed objectName, also as accessibleName, so scripts and screen readers find
them."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from tests.gui.client_helpers import open_window
from tutor_desktop.gui.main_window import MainWindow

CALENDAR_NAMES = ["calendarView", "markDoneButton", "markNoShowStudentButton", "markNoShowTutorButton",
                  "rescheduleButton", "cancelSessionButton", "remainingLabel", "clientSearch", "sessionNotesEdit",
                  "saveNotesButton"]
CLIENT_NAMES = ["useSessionButton", "reinstateButton", "remainingLabel", "recordPaymentButton", "setPriceButton"]
REPORT_NAMES = ["report_tutors", "report_revenue", "report_unused", "report_attendance", "report_attention",
                "periodCombo", "fromDate", "toDate", "exportCsvButton", "printButton", "savePdfButton", "reportChart",
                "reportTable"]


def _named(root: QWidget, name: str) -> QWidget:
    found = root.findChildren(QWidget, name)
    assert len(found) == 1, f"{name}: {len(found)} widgets"
    return found[0]


def test_the_main_window_and_the_client_window_name_their_key_widgets(qtbot, desk, repo, studio):
    window = MainWindow(desk.ctx)
    qtbot.addWidget(window)
    for name in CALENDAR_NAMES + REPORT_NAMES:
        assert _named(window, name).accessibleName() == name
    repo.sell_package(studio.client, "5 sessions", 5)
    client = open_window(qtbot, desk.ctx, studio.client)
    for name in CLIENT_NAMES:
        assert _named(client, name).accessibleName() == name
    client.close()
