"""One desk: the context every window is given, and the listener that feeds other desks' changes to its bus."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tutor_desktop.gui.shell.bus import ChangeBus
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.tasks import TaskRunner
from tutor_desktop.ports import Listening, Studio

Listen = Callable[[Callable[[str], None], Callable[[bool, str], None]], Listening]


@dataclass
class Desk:
    ctx: DeskContext
    listener: Listening

    def close(self, *, close_studio: bool = True) -> None:
        self.listener.stop()
        self.ctx.runner.shutdown()
        if close_studio:
            self.ctx.studio.close()


def open_desk(studio: Studio, listen: Listen, server_label: str = "Local database") -> Desk:
    """The runner, the bus and the listener for one desk; call in the GUI thread with a QApplication.
    `listen(on_change, on_state)` starts hearing other desks."""
    bus = ChangeBus()
    listener = listen(bus.hear, bus.hear_state)
    return Desk(DeskContext(TaskRunner(), bus, studio, server_label=server_label), listener)
