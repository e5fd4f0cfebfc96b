"""The Backups window on the real database: Back up now lists the backup with its manifest, the settings are
saved, a restore of the selected backup gives back the backed-up studio and tells the desk to reopen, a damaged
file is refused in the window with nothing changed; on a studio server the menu says whose job backups are."""

from __future__ import annotations


import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from tests.db.backup_helpers import backups_of, canonical, databases, fill_studio
from tests.db.conftest import with_database
from tests.gui.client_helpers import close_all
from tutor_desktop.db.backups.restoring import drop_database
from tutor_desktop.db.backups.settings import read_settings
from tutor_desktop.db.current_database import current_database
from tutor_desktop.gui.backups.window import BackupsWindow
from tutor_desktop.gui.main_window import MainWindow


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_DESKTOP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("TUTOR_DESKTOP_DATA_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture
def window(qtbot, desk, folder, server_url, database):
    desk.ctx.backups = backups_of(folder, server_url, database.name)
    before = databases(server_url)
    window = desk.ctx.windows.show(BackupsWindow)
    qtbot.waitUntil(lambda: window.data is not None and window.isVisible(), timeout=5000)
    yield window
    close_all(window)
    for name in databases(server_url) - before:
        drop_database(server_url, name)


def confirm(window: BackupsWindow, answer: str) -> None:
    box = window.confirm_box
    assert box is not None and box.isVisible()
    [button] = [b for b in box.buttons() if b.text().replace("&", "") == answer]
    button.click()


def cells(window: BackupsWindow, row: int = 0) -> list[str]:
    return [window.model.index(row, c).data() for c in range(window.model.columnCount())]


def test_back_up_now_lists_the_backup_with_its_manifest(qtbot, window, repo, folder):
    assert window.model.rowCount() == 0 and "No test restore yet" in window.check_label.text()
    fill_studio(repo, 3)
    qtbot.mouseClick(window.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=15000)
    row = cells(window)
    assert row[1] == "By hand" and row[2:6] == ["3", "3", "0", "7"]
    assert row[9].startswith("tutor-desk-") and row[9].endswith(".dump")
    assert (folder / "backups" / row[9]).is_file()
    assert window.message_bar.text().startswith("Backed up: 3 clients")


def test_settings_are_saved_and_a_bad_count_is_refused(qtbot, window, folder):
    other = folder / "cloud" / "Tutor Desk backups"
    window.form.folder_edit.setText(str(other))
    window.form.daily.setValue(3)
    window.form.monthly.setValue(24)
    qtbot.mouseClick(window.form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.message_bar.text().startswith("Saved"), timeout=5000)
    saved = read_settings(folder)
    assert (saved.folder, saved.daily, saved.weekly, saved.monthly) == (str(other), 3, 4, 24)

    window.form.folder_edit.setText("relative/folder")
    qtbot.mouseClick(window.form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "full folder path" in window.message_bar.text(), timeout=5000)
    assert read_settings(folder).folder == str(other)


def test_restore_the_selected_backup_gives_back_the_studio_and_reopens_the_desk(qtbot, window, repo, database,
                                                                              folder, server_url):
    fill_studio(repo, 2)
    at_backup = canonical(database.admin_url)
    qtbot.mouseClick(window.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=15000)
    repo.create_client("After the backup")

    window.view.selectRow(0)
    qtbot.mouseClick(window.restore_button, Qt.MouseButton.LeftButton)
    confirm(window, "Restore")
    with qtbot.waitSignal(window.restored, timeout=30000) as restored:
        pass
    assert "every package reconciles" in restored.args[0]
    assert current_database(folder) != database.name
    assert canonical(with_database(server_url, current_database(folder))) == at_backup
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=5000)  # with the safety backup
    assert {cells(window, r)[1] for r in range(2)} == {"By hand", "Before a restore"}


def test_a_damaged_file_is_refused_in_the_window(qtbot, window, repo, database, folder, server_url):
    fill_studio(repo, 1)
    qtbot.mouseClick(window.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=15000)
    source = folder / "backups" / cells(window)[9]
    damaged = folder / "damaged.dump"
    damaged.write_bytes(source.read_bytes()[:-300])
    before = (canonical(database.admin_url), databases(server_url))
    window.ask_restore(str(damaged), damaged.name)
    confirm(window, "Restore")
    qtbot.waitUntil(lambda: "damaged" in window.message_bar.text(), timeout=30000)
    assert "Nothing was changed" in window.message_bar.text()
    assert (canonical(database.admin_url), databases(server_url)) == before
    assert current_database(folder) == database.name and window.model.rowCount() == 1


def test_on_a_studio_server_the_menu_says_backups_are_the_servers_job(qtbot, desk):
    assert desk.ctx.backups is None
    main = MainWindow(desk.ctx)
    qtbot.addWidget(main)
    for name in ("backupsAction", "backupNowAction"):
        main.message_bar.dismiss()
        main.findChild(QAction, name).trigger()
        assert "studio server: its backups are the server's job" in main.message_bar.text()


def test_the_scheduler_backs_up_when_due_and_the_desk_shows_a_failure(qtbot, desk, folder, server_url, database,
                                                                       repo):
    from tutor_desktop.domain import BackupSettings
    from tutor_desktop.gui.backups.scheduler import BackupScheduler

    fill_studio(repo, 1)
    backups = backups_of(folder, server_url, database.name)
    scheduler = BackupScheduler(backups, first_after_ms=1)
    with qtbot.waitSignal(scheduler.ran, timeout=30000) as ran:
        scheduler.start()
    assert ran.args[0].made.kind == "daily" and ran.args[0].check.ok and ran.args[0].problem is None
    scheduler.stop()

    blocked = folder / "a file"
    blocked.write_text("not a folder")
    backups.save_settings(BackupSettings(str(blocked / "backups")))
    desk.ctx.backups = backups
    main = MainWindow(desk.ctx)
    qtbot.addWidget(main)
    main.backup_scheduler._every_ms = 600_000
    with qtbot.waitSignal(main.backup_scheduler.problem, timeout=30000) as problem:
        main.backup_scheduler.look()
    assert problem.args[0].startswith("The daily backup failed: The backup folder")
    assert main.message_bar.text() == problem.args[0] and main.message_bar.kind == "warning"
    main.backup_scheduler.stop()
