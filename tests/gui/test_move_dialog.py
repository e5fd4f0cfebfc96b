"""Settings > Move this studio to a server, on the real database: offered only on this computer's own database;
the move copies the studio to an empty database of a server, says so, and points this desk's settings at it."""

from __future__ import annotations

import uuid
from functools import partial

import psycopg
import pytest
from psycopg import sql

from tests.db.conftest import APP_ROLE, recreate_database, with_database
from tests.gui.client_helpers import close_all
from tutor_desktop import config
from tests.gui.test_startup import fresh_desk  # noqa: F401 - a desk on its own data folder
from tutor_desktop.db.migrations import connect
from tutor_desktop.db.moving import mark_moved, move_to_server
from tutor_desktop.gui.move_dialog import MoveDialog
from tutor_desktop.gui.settings_dialog import SettingsDialog


@pytest.fixture
def target(server_url, monkeypatch, tmp_path):
    monkeypatch.setenv("TUTOR_DESKTOP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("TUTOR_DESKTOP_DSN", raising=False)
    name, login = f"studio_moved_{uuid.uuid4().hex[:8]}", f"td_gui_{uuid.uuid4().hex[:8]}"
    recreate_database(server_url, name)
    yield with_database(server_url, name), login
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(login)))


def test_settings_offer_the_move_only_on_this_computers_database(qtbot, desk, database):
    plain = SettingsDialog(None, desk.ctx)
    assert plain.move_button is None
    desk.ctx.move_to_server = partial(move_to_server, database.admin_url)
    offered = SettingsDialog(None, desk.ctx)
    assert offered.move_button is not None and offered.move_button.isVisible() is False  # not shown yet
    close_all(plain.dialog, offered.dialog)


def test_the_move_copies_the_studio_and_points_the_desk_at_the_server(qtbot, desk, database, repo, studio, target):
    target_url, login = target
    repo.sell_package(studio.client, "Ten", 10)
    desk.ctx.move_to_server = lambda url, name, password: move_to_server(database.admin_url, url, APP_ROLE, name,
                                                                         password)
    switched: list[str] = []
    dialog = MoveDialog(desk.ctx, switch=switched.append)
    dialog.show()
    dialog.url.setText(target_url)
    dialog.login.setText(login)
    dialog.password.setText("Moved-Studio-42")
    dialog.again.setText("Moved-Studio-43")
    dialog.move_button.click()
    assert dialog.message_bar.kind == "error" and "differ" in dialog.message_bar.text()
    dialog.again.setText("Moved-Studio-42")
    dialog.move_button.click()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=20000)
    assert "Moved 1 client, 1 package and 0 sessions" in dialog.message_bar.text()
    assert config.read_config_dsn() == dialog.outcome.desk_url and login in dialog.outcome.desk_url
    assert config.remembered_login() == login
    with psycopg.connect(target_url) as conn:
        assert conn.execute("SELECT count(*) FROM tutor.packages").fetchone()[0] == 1
    dialog.move_button.setEnabled(True)
    dialog.move_button.click()  # again: the server holds the studio now
    qtbot.waitUntil(lambda: "already holds a studio" in dialog.message_bar.text(), timeout=20000)
    assert switched == []  # the desk stays where it is until asked
    dialog.use_now_button.click()  # the main window reopens the desk on the server (as after a restore)
    assert switched == ["The studio moved to the studio server; this desk now uses it."] and not dialog.isVisible()
    close_all(dialog)


def test_a_desk_opened_on_a_moved_studio_says_so(qtbot, fresh_desk):  # noqa: F811
    first = fresh_desk()
    first.start()
    qtbot.waitUntil(lambda: first.window.pages.currentWidget() is first.window._choice, timeout=60_000)
    first.window.demo_button.click()
    qtbot.waitUntil(lambda: first.main is not None and first.main.isVisible(), timeout=60_000)
    assert first.main.message_bar.kind != "warning" or "moved" not in first.main.message_bar.text()
    assert first.desk.ctx.move_to_server is not None  # this computer's own database: the move is offered
    with connect(first.opened.database.admin_url) as conn:
        mark_moved(conn, "studio-server:5432/studio", "ada")
    first.main.hide()
    first.shutdown()
    again = fresh_desk()
    again.start()
    qtbot.waitUntil(lambda: again.main is not None and again.main.isVisible(), timeout=60_000)
    bar = again.main.message_bar
    assert bar.kind == "warning" and "moved to studio-server:5432/studio on 20" in bar.text()
