"""What a desk opens: the database the configuration names (started and upgraded if it is the embedded one), the
studio over it, and on request the listener that hears other desks. The windows get it through the port."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tutor_desktop.config import DatabaseChoice
from tutor_desktop.db.bootstrap import OpenDatabase, open_database
from tutor_desktop.db.demo import load_demo
from tutor_desktop.db.engine import make_engine, with_login
from tutor_desktop.db.listener import ChangeListener, listen
from tutor_desktop.db.repository import Repository


@dataclass
class OpenStudio:
    database: OpenDatabase
    studio: Repository

    @property
    def embedded(self) -> bool:
        return self.database.embedded

    def listen(self, on_change: Callable[[str], None], on_state: Callable[[bool, str], None]) -> ChangeListener:
        """Starts following the change feed on a connection of its own."""
        return listen(self.database.app_url, on_change, on_state)

    def load_demo(self) -> None:
        load_demo(self.studio)

    def close(self) -> None:
        self.studio.engine.dispose()
        self.database.close()


def open_studio(choice: DatabaseChoice, data_dir: Path, login: tuple[str, str] | None = None) -> OpenStudio:
    """Opens and checks the studio; `login` (name, password) signs in to a server that asks for one."""
    if login is not None:
        choice = DatabaseChoice(with_login(choice.dsn, *login), choice.source)
    database = open_database(choice, data_dir)
    try:
        studio = Repository(make_engine(database.app_url))
        studio.ping()
    except BaseException:
        database.close()
        raise
    return OpenStudio(database, studio)
