"""The base of a window that opens on records: it reads first, appears filled, and is kept by the registry (one
per key and desk)."""

from __future__ import annotations

from collections.abc import Hashable

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QWidget

from tutor_desktop.gui.kit.placement import place_window
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.latest_read import LatestRead, Read


class LoadedWindow(QWidget):
    """A top-level window that reads its records first and appears filled. `read()` builds the read (a
    LatestRead's work and show); `load()` sends it, `schedule_reload()` sends it shortly (changes come in bursts);
    the show calls `loaded_once()`, which a failed first read calls too."""

    def __init__(self, ctx: DeskContext, key: Hashable, parent: QWidget | None = None,
                 reload_delay_ms: int = 100) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx = ctx
        self.key = key
        self.shown_once = False
        self._reads = LatestRead(ctx, self, self.read, after=self.loaded_once)
        self._reload_timer = QTimer(self, singleShot=True, interval=reload_delay_ms)
        self._reload_timer.timeout.connect(self.load)

    def read(self) -> Read:
        raise NotImplementedError

    @Slot()
    def load(self) -> None:
        self._reads.request()

    @Slot()
    def schedule_reload(self) -> None:
        self._reload_timer.start()

    @property
    def reading(self) -> bool:
        """A read is out (or about to be sent)."""
        return self._reads.running or self._reload_timer.isActive()

    def supersede_reads(self) -> None:
        """An answer newer than the read that is out was just shown: that read's result is dropped."""
        self._reads.supersede()

    def loaded_once(self) -> None:
        if not self.shown_once:
            self.shown_once = True
            place_window(self, self.parentWidget())  # over the window it came from, inside the screen
            self.show()
            self.first_focus()

    def first_focus(self) -> None:
        """Where the keyboard starts once the window first shows."""

    def present(self) -> None:
        if not self.shown_once:
            return  # still loading: it shows itself, filled, when its records arrive
        self.showNormal() if self.isMinimized() else self.show()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.ctx.windows.forget(self)
        super().closeEvent(event)
