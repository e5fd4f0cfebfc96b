"""Composition root: configuration -> database -> studio (the port) -> task runner, change bus, listener ->
windows. The only module that wires the database layer and the windows together; wiring only."""

from __future__ import annotations

import sys
from functools import partial

from PySide6.QtWidgets import QApplication

from tutor_desktop import config
from tutor_desktop.db.listener import listen
from tutor_desktop.db.opening import open_studio
from tutor_desktop.gui.kit.assets import app_icon
from tutor_desktop.gui.kit.theme import apply_theme
from tutor_desktop.gui.shell.desk import Desk, open_desk
from tutor_desktop.gui.shell.termination import QuitOnTermination
from tutor_desktop.gui.startup import Startup
from tutor_desktop.ports import Studio


def start_desk(studio: Studio, listen_url: str, server_label: str = "Local database") -> Desk:
    """A desk over an open studio, hearing other desks on `listen_url`."""
    return open_desk(studio, partial(listen, listen_url), server_label)


def make_startup(dsn: str | None = None) -> Startup:
    """The start-up flow, opening studios the way this computer's configuration says."""
    return Startup(lambda choice, login: open_studio(choice, config.data_dir(), login), dsn)


def run(dsn: str | None = None) -> int:
    """Opens the main window; on the embedded database a first run creates it and offers the demo studio."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Tutor Desk")
    app.setOrganizationName("Tutor Desk")
    app.setWindowIcon(app_icon())
    app.setQuitOnLastWindowClosed(False)
    apply_theme(app)
    QuitOnTermination(app)
    startup = make_startup(dsn)
    startup.window.closed.connect(startup.quit_unless_open)
    startup.start()
    code = app.exec()
    startup.shutdown()
    return code
