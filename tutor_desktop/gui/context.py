"""What every window is given: the task runner, the change bus, and the studio (the repository, as an object
with methods; the windows never import the database layer)."""

from __future__ import annotations

from dataclasses import dataclass

from tutor_desktop.domain import Staff
from tutor_desktop.gui.bus import ChangeBus
from tutor_desktop.gui.tasks import TaskRunner
from tutor_desktop.ports import Studio


@dataclass
class DeskContext:
    runner: TaskRunner
    bus: ChangeBus
    studio: Studio
    staff: Staff | None = None  # who is at this desk, when the studio knows
    server_label: str = "Local database"
