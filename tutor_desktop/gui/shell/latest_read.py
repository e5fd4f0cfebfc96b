"""One read in flight per view. Asking again while one is out is remembered: the read that is out may predate
what prompted the asking, so its result is not shown and one more read is sent once it is back. A view thus
never paints a read older than an answer it already shows, and ends on a read that started after the last
change it was told about."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.operations import Query

Read = tuple[Callable[[], Any], Callable[[Any], None]]  # (work on a worker thread, show in the GUI thread)


class LatestRead:
    def __init__(self, ctx: DeskContext, parent: QWidget, make: Callable[[], Read],
                 after: Callable[[], None] | None = None) -> None:
        """`make()` builds the read from the view's state at the moment it is sent; `after` runs when the
        last read asked for is back, shown or failed."""
        self._ctx = ctx
        self._parent = parent
        self._make = make
        self._after = after
        self._query: Query | None = None
        self._again = False
        self._superseded = False

    @property
    def running(self) -> bool:
        return self._query is not None and self._query.running

    def request(self) -> None:
        if self.running:
            self._again = True  # what is out may predate the change: read once more after it
            return
        self._superseded = False
        work, show = self._make()
        self._query = Query(self._ctx, self._parent, work)
        self._query.on_success(lambda result: None if self._again or self._superseded else show(result))
        self._query.on_finished(self._finished)
        self._query.run()

    def supersede(self) -> None:
        """An answer newer than the read that is out was just shown: that read's result is dropped unseen."""
        if self.running:
            self._superseded = True

    def _finished(self) -> None:
        if self._again:
            self._again = False
            self.request()
        elif self._after is not None:
            self._after()
