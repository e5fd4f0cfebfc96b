"""Composition root: configuration -> database -> repository -> task runner, change bus, listener -> windows.
The only module that wires the database layer and the windows together."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

from PySide6.QtWidgets import QApplication

from tutor_desktop.db.listener import ChangeListener
from tutor_desktop.db.repository import Repository
from tutor_desktop.gui.bus import ChangeBus
from tutor_desktop.gui.context import DeskContext
from tutor_desktop.gui.tasks import TaskRunner

log = logging.getLogger(__name__)


@dataclass
class Desk:
    ctx: DeskContext
    listener: ChangeListener

    def close(self, *, dispose_engine: bool = True) -> None:
        self.listener.stop()
        self.ctx.runner.shutdown()
        if dispose_engine:
            self.ctx.studio.engine.dispose()


def start_desk(repo: Repository, listen_url: str, server_label: str = "Local database") -> Desk:
    """The runner, the bus and the listener for one desk; call in the GUI thread with a QApplication."""
    runner = TaskRunner()
    bus = ChangeBus()
    listener = ChangeListener(
        listen_url,
        on_change=bus.publish_notification,
        on_state=lambda online, message: bus.report_reachable() if online else bus.report_unreachable(message),
    )
    listener.start()
    return Desk(DeskContext(runner, bus, repo, server_label=server_label), listener)


def run(argv: list[str] | None = None) -> int:
    """Opens the main window; on the embedded database a first run creates it and offers the demo studio."""
    from tutor_desktop.gui.startup import StartupController
    from tutor_desktop.gui.theme import apply_theme

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Tutor Desk")
    app.setOrganizationName("Tutor Desk")
    apply_theme(app)
    controller = StartupController()
    controller.start()
    code = app.exec()
    controller.shutdown()
    return code
