"""One read in flight per view. Asking again while one is out is remembered and sent once it is back, so a view
always ends on a read that started after the last change it was told about."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from tutor_desktop.gui.context import DeskContext
from tutor_desktop.gui.operations import Query

Read = tuple[Callable[[], Any], Callable[[Any], None]]  # (work on a worker thread, show in the GUI thread)


class LatestRead:
    def __init__(self, ctx: DeskContext, parent: QWidget, make: Callable[[], Read],
                 after: Callable[[], None] | None = None) -> None:
        """`make()` builds the read from the view's state at the moment it is sent; `after` runs when a read
        is back, shown or failed, before the next one is sent."""
        self._ctx = ctx
        self._parent = parent
        self._make = make
        self._after = after
        self._query: Query | None = None
        self._again = False

    @property
    def running(self) -> bool:
        return self._query is not None and self._query.running

    def request(self) -> None:
        if self.running:
            self._again = True  # what is out may predate the change: read once more after it
            return
        work, show = self._make()
        self._query = Query(self._ctx, self._parent, work)
        self._query.on_success(show).on_finished(self._finished)
        self._query.run()

    def again_after_this(self) -> None:
        """The read being shown turned out stale: send one more when it is back."""
        self._again = True

    def _finished(self) -> None:
        if self._after is not None:
            self._after()
        if self._again:
            self._again = False
            self.request()
