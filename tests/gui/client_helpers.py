"""Opening client windows in tests, and pre-answering their confirmation."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from tutor_desktop.domain import BookedSessions
from tutor_desktop.gui.clients.window import ClientWindow
from tutor_desktop.gui.shell.context import DeskContext

TEST_REASON = "Checked at the desk"


def open_window(qtbot, ctx: DeskContext, client_id: int) -> ClientWindow:  # noqa: ANN001 - pytest-qt's bot
    window = ctx.windows.show(ClientWindow, client_id)
    qtbot.waitUntil(lambda: window.data is not None and window.isVisible(), timeout=5000)
    return window


def confirm_with_reason(window: ClientWindow, reason: str = TEST_REASON) -> None:
    """Answers every confirmation of this window with `reason` at once, as if typed and confirmed."""
    window.card.ask_reason = lambda _prompt, _ok, proceed: proceed(reason)
    window.card.ask_use = lambda uses, proceed: proceed(uses[0].id, reason)  # Reinstate: the latest use
    window.card.ask_cancel = lambda _package, _booked, _others, proceed: proceed(reason, BookedSessions.KEEP, None)


def remaining(window: ClientWindow) -> str:
    return window.findChild(QLabel, "remainingLabel").text()


def close_all(*widgets: QWidget) -> None:
    """Closes and deletes at once, so no timer of theirs fires after the desk has stopped."""
    for widget in widgets:
        if shiboken6.isValid(widget):
            widget.close()
        if shiboken6.isValid(widget):
            shiboken6.delete(widget)


def button(window: QWidget, name: str) -> QPushButton:
    return window.findChild(QPushButton, name)
