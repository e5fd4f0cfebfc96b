"""The one registry of this desk's open windows: a client's window, the staff window. Asking for a window that
is open brings it to the front; one still loading shows itself when its records arrive. Areas open each other's
windows through the main window, never by importing each other."""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from tutor_desktop.gui.shell.context import DeskContext
    from tutor_desktop.gui.shell.loaded_window import LoadedWindow

W = TypeVar("W", bound="LoadedWindow")


class WindowRegistry(QObject):
    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self._ctx = ctx
        self._open: dict[tuple[type, Hashable], LoadedWindow] = {}

    def show(self, kind: type[W], key: Hashable = None, parent: QWidget | None = None) -> W:
        """The window of `kind` for `key` (a client's id; None for a window a desk has once)."""
        window = self._open.get((kind, key))
        if window is not None:
            window.present()
            return window
        window = kind(self._ctx, key, parent)
        self._open[(kind, key)] = window
        window.load()
        return window

    def find(self, kind: type[W], key: Hashable = None) -> W | None:
        return self._open.get((kind, key))

    def open_windows(self) -> list[LoadedWindow]:
        return list(self._open.values())

    def forget(self, window: LoadedWindow) -> None:
        if self._open.get((type(window), window.key)) is window:
            del self._open[(type(window), window.key)]
