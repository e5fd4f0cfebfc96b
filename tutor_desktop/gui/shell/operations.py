"""Operation objects: a Query reads, a Mutation changes something. Both run on the task runner, disable the
widgets that could conflict while they are in flight, re-enable them whatever happens, and route failures:
expected ones to a message in the window, anything else to an error dialog with the details."""

from __future__ import annotations

import traceback
import uuid
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar
from uuid import UUID

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from tutor_desktop.domain import AccountDeactivated, Busy, Change, DatabaseUnavailable, TutorDeskError
from tutor_desktop.gui.kit.message_bar import MessageBar
from tutor_desktop.gui.shell.context import DeskContext

T = TypeVar("T")


class _Operation(Generic[T]):
    write = False

    def __init__(self, ctx: DeskContext, parent: QWidget, busy: Sequence[QWidget] = ()) -> None:
        self._ctx = ctx
        self._parent = parent
        self._busy = list(busy)
        self._success: list[Callable[[T], None]] = []
        self._failure: Callable[[TutorDeskError], None] | None = None
        self._finally: list[Callable[[], None]] = []
        self._start: list[Callable[[], None]] = []
        self.running = False
        self._awaiting_connection = False

    def on_success(self, callback: Callable[[T], None]) -> _Operation[T]:
        self._success.append(callback)
        return self

    def on_failure(self, callback: Callable[[TutorDeskError], None]) -> _Operation[T]:
        """Replaces the default (a message in the window) for expected failures."""
        self._failure = callback
        return self

    def on_finished(self, callback: Callable[[], None]) -> _Operation[T]:
        self._finally.append(callback)
        return self

    def on_start(self, callback: Callable[[], None]) -> _Operation[T]:
        """Runs each time the work is sent, the first time and on a Retry."""
        self._start.append(callback)
        return self

    def _work(self) -> Callable[[], T]:
        raise NotImplementedError

    def run(self) -> bool:
        """Submits the work; False (and nothing sent) while this operation is still in flight."""
        if self.running:
            return False
        self.running = True
        for widget in self._busy:
            _hold(widget)
        for callback in self._start:
            callback()
        self._ctx.runner.submit(self._work(), self._done, write=self.write)
        return True

    def _succeeded(self, result: T) -> None:
        for callback in self._success:
            callback(result)

    def _orphaned(self, result: T) -> None:
        """Succeeded after the window that started it closed."""

    def _done(self, result: Any, error: BaseException | None) -> None:
        self.running = False
        for widget in self._busy:
            _release(widget)
        if not alive(self._parent):  # the window closed meanwhile: the others still hear what changed
            if error is None:
                self._orphaned(result)
            return
        try:
            if error is None:
                self._ctx.bus.report_reachable()
                self._succeeded(result)
            elif isinstance(error, AccountDeactivated):
                self._ctx.bus.report_deactivated(error.message)  # the desk signs out: no message, no Retry
            elif isinstance(error, TutorDeskError):
                details = getattr(error, "details", "")
                if isinstance(error, DatabaseUnavailable):
                    self._ctx.bus.report_unreachable(details or error.message)
                if self._failure is not None:
                    self._failure(error)
                elif self.write and isinstance(error, (DatabaseUnavailable, Busy)):
                    # The action may or may not have reached the database: Retry sends it again with the same
                    # request id, so it applies once either way.
                    show_message(self._parent, error.message, "error", action=("Retry", self.run), details=details)
                    if isinstance(error, DatabaseUnavailable) and not self._awaiting_connection:
                        self._awaiting_connection = True
                        self._ctx.bus.connection_restored.connect(self._connection_back)
                else:
                    show_message(self._parent, error.message, "error", details=details)
            else:
                show_unexpected(self._parent, error)
        finally:
            for callback in self._finally:
                callback()


    def _connection_back(self) -> None:
        """The connection came back while this failed write still offers Retry: say so, and keep the Retry."""
        self._ctx.bus.connection_restored.disconnect(self._connection_back)
        self._awaiting_connection = False
        bar = message_bar_of(self._parent)
        if bar is not None and bar.offers(self.run):
            bar.show_message(NOT_APPLIED, "warning", action=("Retry", self.run))


NOT_APPLIED = ("Connected again. Your last change was not applied (or its answer was lost): Retry sends it "
               "again, and it applies once either way.")


class Query(_Operation[T]):
    write = False

    def __init__(self, ctx: DeskContext, parent: QWidget, work: Callable[[], T], busy: Sequence[QWidget] = ()) -> None:
        super().__init__(ctx, parent, busy)
        self._fn = work

    def _work(self) -> Callable[[], T]:
        return self._fn


class Mutation(_Operation[T]):
    """`work(request_id)` runs once per run(); the request id is made once per user action and reused when the
    same Mutation is run again (a retry), so a retried action can never apply twice.

    Once it succeeds it publishes exactly one Change on the bus, with `parent` as its origin: `Change.of(result)`,
    or what `change(result)` names for a result that does not say by itself (a new client's id, say)."""

    write = True

    def __init__(
        self, ctx: DeskContext, parent: QWidget, work: Callable[[UUID], T], busy: Sequence[QWidget] = (),
        change: Callable[[T], Change] = Change.of,
    ) -> None:
        super().__init__(ctx, parent, busy)
        self._fn = work
        self._change = change
        self.request_id = uuid.uuid4()

    def _work(self) -> Callable[[], T]:
        request_id = self.request_id
        return lambda: self._fn(request_id)

    def _succeeded(self, result: T) -> None:
        super()._succeeded(result)
        self._ctx.bus.published_for(self.request_id)
        self._ctx.bus.publish(self._change(result), self._parent)

    def _orphaned(self, result: T) -> None:
        self._ctx.bus.published_for(self.request_id)
        self._ctx.bus.publish(self._change(result))


_HELD = "tutorDeskHeld"  # how many operations in flight hold the widget
_WAS_ENABLED = "tutorDeskWasEnabled"


def _hold(widget: QWidget) -> None:
    """Disables the widget for an operation; overlapping operations share it, and the first one's view of
    whether it was enabled is the one restored when the last one finishes."""
    held = widget.property(_HELD) or 0
    if held == 0:
        widget.setProperty(_WAS_ENABLED, widget.isEnabled())
    widget.setProperty(_HELD, held + 1)
    widget.setEnabled(False)


def _release(widget: QWidget) -> None:
    if not alive(widget):
        return
    held = max(0, (widget.property(_HELD) or 0) - 1)
    widget.setProperty(_HELD, held)
    if held == 0:
        widget.setEnabled(bool(widget.property(_WAS_ENABLED)))


def alive(widget: QWidget) -> bool:
    try:
        widget.objectName()
    except RuntimeError:  # the window was closed and its C++ object deleted meanwhile
        return False
    return True


def show_message(parent: QWidget, text: str, kind: str = "info",
                 action: tuple[str, Callable[[], object]] | None = None, details: str = "") -> None:
    """In the window's message bar when it has one (with an optional action button and technical details on
    demand), else a message box (the details behind its Show Details button)."""
    if not alive(parent):
        return
    window = parent.window()
    bar = message_bar_of(parent)
    if bar is not None:
        bar.show_message(text, kind, action=action, details=details)
        return
    box = QMessageBox(QMessageBox.Icon.Warning if kind == "error" else QMessageBox.Icon.Information, "Tutor Desk",
                      text, QMessageBox.StandardButton.Ok, window)
    if details:
        box.setDetailedText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()  # never a nested event loop: the reply that brought this message must not wait on it


def message_bar_of(parent: QWidget) -> MessageBar | None:
    return getattr(parent.window(), "message_bar", None) if alive(parent) else None


def show_unexpected(parent: QWidget, error: BaseException) -> None:
    box = QMessageBox(parent.window() if alive(parent) else None)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Tutor Desk")
    box.setText("Something unexpected went wrong. Nothing was changed by the failed step.")
    box.setInformativeText(str(error) or type(error).__name__)
    box.setDetailedText("".join(traceback.format_exception(error)))
    box.open()
