"""What every window is given: the task runner, the change bus, the studio (the port every call to the database
goes through; the windows never import the database layer), who is at this desk, and the open windows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tutor_desktop.domain import MoveOutcome, Staff
from tutor_desktop.gui.shell.bus import ChangeBus
from tutor_desktop.gui.shell.tasks import TaskRunner
from tutor_desktop.gui.shell.windows import WindowRegistry
from tutor_desktop.ports import Backups, Studio


@dataclass
class DeskContext:
    runner: TaskRunner
    bus: ChangeBus
    studio: Studio
    staff: Staff | None = None  # who is at this desk, when the studio knows
    server_label: str = "Local database"
    # (server URL, login, password) -> the outcome; only on this computer's own database
    move_to_server: Callable[[str, str, str], MoveOutcome] | None = None
    backups: Backups | None = None  # the backups of this computer's own database; None on a studio server
    windows: WindowRegistry = field(init=False)

    def __post_init__(self) -> None:
        self.windows = WindowRegistry(self)
