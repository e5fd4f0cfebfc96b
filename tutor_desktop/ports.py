"""The port between the windows and the studio's database: what the windows may ask, typed with the domain's
records. The database layer implements it; a fake implements it for tests without a database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class Studio(Protocol):
    def close(self) -> None: ...


class Listening(Protocol):
    """A running listener for other desks' changes."""

    listening: object  # a threading.Event, set while connected

    def stop(self) -> None: ...


class OpenedStudio(Protocol):
    """The studio a desk opened: the port itself, where it lives, and how to hear other desks."""

    studio: Studio

    @property
    def embedded(self) -> bool: ...

    def listen(self, on_change: Callable[[str], None], on_state: Callable[[bool, str], None]) -> Listening: ...

    def load_demo(self) -> None: ...

    def close(self) -> None: ...
