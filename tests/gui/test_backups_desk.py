"""The whole desk on its own embedded database: File > Backups, Back up now, a restore after which the desk opens
the restored studio by itself, and the backup made at quit because the studio changed."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest

from tutor_desktop import config
from tutor_desktop.app import make_startup
from tutor_desktop.db.backups.manifest import listing
from tutor_desktop.db.current_database import current_database
from tutor_desktop.gui.backups.window import BackupsWindow
from tutor_desktop.gui.kit.theme import apply_theme


@pytest.fixture
def startup(monkeypatch, tmp_path, qapp):  # noqa: ANN001 - fixtures
    monkeypatch.setenv(config.DATA_DIR_ENV, str(tmp_path / "data"))
    monkeypatch.setenv(config.CONFIG_DIR_ENV, str(tmp_path / "config"))
    monkeypatch.delenv(config.DSN_ENV, raising=False)
    apply_theme(qapp)
    made = make_startup()
    yield made
    if made.main is not None:
        made.main.hide()
    made.window.hide()
    made.shutdown()


def test_restore_from_the_menu_reopens_the_desk_on_the_restored_studio(qtbot, startup, tmp_path):
    startup.start()
    qtbot.waitUntil(lambda: startup.window.pages.currentWidget() is startup.window._choice, timeout=60_000)
    QTest.mouseClick(startup.window.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: startup.main is not None and startup.main.isVisible(), timeout=60_000)
    first_main = startup.main
    first_main.findChild(QAction, "backupsAction").trigger()
    window = startup.desk.ctx.windows.find(BackupsWindow)
    qtbot.waitUntil(lambda: window.data is not None and window.isVisible(), timeout=10_000)
    QTest.mouseClick(window.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=15_000)
    clients = len(startup.opened.studio.list_clients())
    startup.opened.studio.create_client("Made after the backup")

    window.view.selectRow(0)
    QTest.mouseClick(window.restore_button, Qt.MouseButton.LeftButton)
    [restore] = [b for b in window.confirm_box.buttons() if b.text() == "Restore"]
    restore.click()
    assert not first_main.centralWidget().isEnabled()  # no change lands in the studio being replaced
    window.close()
    assert window.isVisible()  # it stays to hear the outcome
    qtbot.waitUntil(lambda: startup.main is not None and startup.main is not first_main and startup.main.isVisible(),
                    timeout=60_000)
    assert not shiboken6.isValid(window) or not window.isVisible()  # the first desk's windows closed with it
    data_dir = tmp_path / "data"
    assert current_database(data_dir) != "tutor_desk"
    assert startup.opened.database.app_url.split("?")[0].endswith(current_database(data_dir))
    assert len(startup.opened.studio.list_clients()) == clients

    startup.opened.studio.create_client("Made after the restore")
    startup.main.hide()
    startup.shutdown()
    kinds = [backup.kind for backup, _print in listing(data_dir / "backups")]
    assert kinds == ["at quit", "before restore", "by hand"]
