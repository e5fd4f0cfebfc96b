"""The main window: Ctrl+F finds a client, a session opens its client, the banner follows the connection, and
the busy indicator shows only for slow work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QTableView, QWidget

from tests.db.conftest import hours_from_now
from tutor_desktop.gui.main_window import MainWindow
from tutor_desktop.gui.kit.theme import apply_theme


@pytest.fixture
def main(qtbot, qapp, desk):  # noqa: ANN001 - fixtures
    apply_theme(qapp)
    window = MainWindow(desk.ctx)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.calendar.loaded, timeout=5000):
        window.start()
    return window


def test_ctrl_f_goes_to_the_client_search(qtbot, main):
    QTest.keySequence(main, "Ctrl+F")
    search = main.findChild(QLineEdit, "clientSearch")
    assert main.tabs.currentWidget() is main.clients
    qtbot.waitUntil(lambda: QApplication.focusWidget() is search)


def test_double_clicking_a_session_opens_its_client(qtbot, main, repo, studio):
    start = hours_from_now(2)
    session = repo.book_session(studio.client, studio.tutor, start, start + timedelta(hours=1), time_zone="UTC")[0]
    main.calendar.anchor = start.astimezone().date()
    with qtbot.waitSignal(main.calendar.loaded, timeout=5000):
        main.calendar.reload()
    point = main.calendar.view.block_rect(session).center().toPoint()
    QTest.mouseDClick(main.calendar.view, Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: any(getattr(w, "client_id", None) == studio.client and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=5000)


def test_the_banner_follows_the_connection(qtbot, main):
    main._ctx.bus.report_unreachable("server closed the connection")
    assert main.message_bar.kind == "warning" and "Reconnecting" in main.message_bar.text()
    with qtbot.waitSignal(main.calendar.loaded, timeout=5000):  # back online: everything reloads
        main._ctx.bus.report_reachable()
    assert main.message_bar.kind == "success"


def test_busy_shows_only_for_slow_work(qtbot, main):
    seen: list[bool] = []
    main._ctx.runner.slow_work.connect(seen.append)
    with qtbot.waitSignal(main._ctx.runner.idle, timeout=5000):
        main._ctx.runner.submit(lambda: main._ctx.studio.rows("SELECT 1"), lambda *_: None, write=False)
    assert seen == [] and not main.busy.isVisible()
    main._ctx.runner.submit(lambda: main._ctx.studio.rows("SELECT pg_sleep(0.8)"), lambda *_: None, write=False)
    qtbot.waitUntil(main.busy.isVisible, timeout=2000)
    qtbot.waitUntil(lambda: not main.busy.isVisible(), timeout=5000)
    assert seen == [True, False]


def test_ctrl_f_from_inside_the_client_list_goes_to_the_search(qtbot, main):
    main.tabs.setCurrentWidget(main.clients)
    from PySide6.QtWidgets import QTableView

    table = main.clients.findChild(QTableView)
    table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table)
    QTest.keySequence(QApplication.focusWidget(), "Ctrl+F")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is main.findChild(QLineEdit, "clientSearch"))


def test_the_menu_bar_has_settings_quit_shortcuts_and_about(qtbot, main, monkeypatch):
    from tutor_desktop.config import app_version

    menus = {action.text().replace("&", ""): action.menu() for action in main.menuBar().actions()}
    assert list(menus) == ["File", "Help"]
    file_actions = {a.text().replace("&", ""): a for a in menus["File"].actions() if not a.isSeparator()}
    assert list(file_actions) == ["Back up now", "Backups…", "Import from a spreadsheet…", "Export to CSV files…",
                                  "Settings…", "Quit"]
    assert file_actions["Quit"].shortcut().toString() == "Ctrl+Q"
    help_actions = {a.text().replace("&", ""): a for a in menus["Help"].actions()}
    help_actions["Keyboard shortcuts"].trigger()
    dialog = main.findChild(QWidget, "shortcutsDialog")
    assert dialog is not None and dialog.findChild(QTableView, "shortcutsTable").model().rowCount() >= 10
    dialog.close()
    help_actions["About Tutor Desk"].trigger()
    about = main.findChild(QMessageBox, "aboutBox")
    assert about is not None and about.text() == f"Tutor Desk {app_version()}"
    about.close()
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda *_: quits.append(True))
    app = QApplication.instance()
    app.setQuitOnLastWindowClosed(False)  # as the app runs: closing the main window is what quits it
    try:
        file_actions["Quit"].trigger()
    finally:
        app.setQuitOnLastWindowClosed(True)
    assert not main.isVisible() and quits == [True]
