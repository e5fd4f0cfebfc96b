"""From launch to the main window: a first run creates the local database and offers the demo or an empty
studio; a studio server asks for the staff login and password and says so when the server refuses."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy.engine import make_url

from tests.db.conftest import server_url  # noqa: F401 - the shared test server
from tests.db.test_login import password_server, studio_db  # noqa: F401 - a server that checks passwords
from tutor_desktop import config
from tutor_desktop.app import make_startup
from tutor_desktop.gui.startup import Startup
from tutor_desktop.db.bootstrap import create_first_admin
from tutor_desktop.gui.kit.theme import apply_theme


@pytest.fixture
def fresh_desk(monkeypatch, tmp_path, qapp):  # noqa: ANN001 - fixtures
    monkeypatch.setenv(config.DATA_DIR_ENV, str(tmp_path / "data"))
    monkeypatch.setenv(config.CONFIG_DIR_ENV, str(tmp_path / "config"))
    monkeypatch.delenv(config.DSN_ENV, raising=False)
    apply_theme(qapp)
    made: list[Startup] = []

    def make(dsn: str | None = None) -> Startup:
        startup = make_startup(dsn)
        made.append(startup)
        return startup

    yield make
    for startup in made:
        if startup.main is not None:
            startup.main.hide()
        startup.window.hide()
        startup.shutdown()


def test_first_run_offers_the_demo_studio_and_opens_the_calendar(qtbot, fresh_desk):
    startup = fresh_desk()
    startup.start()
    assert startup.window.isVisible() and "Creating" in startup.window.progress_text.text()
    qtbot.waitUntil(lambda: startup.window.pages.currentWidget() is startup.window._choice, timeout=60_000)
    QTest.mouseClick(startup.window.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: startup.main is not None and startup.main.isVisible(), timeout=60_000)
    assert not startup.window.isVisible()
    assert startup.main.calendar.view.sessions, "the demo week is on the calendar when the window appears"
    assert "Studio Admin" in startup.main.who_label.text()


def test_an_empty_studio_makes_the_person_its_first_admin(qtbot, fresh_desk):
    startup = fresh_desk()
    startup.start()
    qtbot.waitUntil(lambda: startup.window.pages.currentWidget() is startup.window._choice, timeout=60_000)
    assert not startup.window.empty_button.isEnabled()
    QTest.keyClicks(startup.window.admin_name, "Ada Lovelace")
    QTest.mouseClick(startup.window.empty_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: startup.main is not None and startup.main.isVisible(), timeout=60_000)
    assert "Ada Lovelace" in startup.main.who_label.text()
    assert startup.opened.studio.current_staff().role == "admin" and startup.opened.studio.list_clients() == []

    # The database then says this login is deactivated: the desk closes back to the start window, which says so.
    main = startup.main
    main._ctx.bus.report_deactivated("This login is disabled: the staff account was deactivated.")
    assert not main.isVisible() and startup.main is None and startup.window.isVisible()
    assert startup.window.error_text.text().startswith("This login is disabled")
    qtbot.waitUntil(lambda: startup.desk is None and startup.opened is None, timeout=5000)


def test_a_studio_server_login_refuses_a_wrong_password_then_signs_in(qtbot, fresh_desk, studio_db):  # noqa: F811
    url, logins = studio_db
    login = f"td_desk_{uuid.uuid4().hex[:8]}"
    logins.append(login)
    create_first_admin(url, "Desk Owner", login, password="Right-Password-1")
    parts = urlsplit(url)  # the studio's address, without a login (urlunsplit would drop an empty host's //)
    server = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}" + (f"?{parts.query}" if parts.query else "")
    assert make_url(server).username is None
    startup = fresh_desk(server)
    startup.start()
    qtbot.waitUntil(lambda: startup.login is not None and startup.login.dialog.isVisible())
    dialog = startup.login
    assert not dialog.sign_in.isEnabled()
    QTest.keyClicks(dialog.name, login)
    QTest.keyClicks(dialog.password, "wrong password")
    QTest.mouseClick(dialog.sign_in, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "refused" in dialog.error.text(), timeout=20_000)
    assert startup.main is None and dialog.sign_in.isEnabled()
    assert "wrong password" not in config.config_file().read_text() if config.config_file().exists() else True

    dialog.password.setText("Right-Password-1")
    QTest.mouseClick(dialog.sign_in, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: startup.main is not None and startup.main.isVisible(), timeout=30_000)
    assert "Desk Owner" in startup.main.who_label.text()
    assert "Right-Password-1" not in startup.main.who_label.text()
    assert config.remembered_login() == login


def test_the_settings_choose_the_desks_time_zone_and_refuse_a_wrong_one(qtbot, fresh_desk, monkeypatch):
    from tutor_desktop.gui.settings_dialog import SettingsDialog

    monkeypatch.delenv(config.TIME_ZONE_ENV, raising=False)
    settings = SettingsDialog()
    qtbot.addWidget(settings.dialog)
    assert settings.zone.currentIndex() == 0 and settings.chosen_zone() is None  # the computer's, until chosen
    settings.zone.setEditText("Mars/Olympus_Mons")
    settings.save()
    assert "is not a time zone" in settings.error.text() and config.read_config_time_zone() is None
    settings.zone.setCurrentIndex(settings.zone.findData("America/New_York"))
    settings.save()
    assert config.read_config_time_zone() == "America/New_York" == config.desk_time_zone()
    again = SettingsDialog()
    qtbot.addWidget(again.dialog)
    assert again.chosen_zone() == "America/New_York"
