"""What a desk opens: the database the configuration names (started and upgraded if it is the embedded one), the
studio over it, and on request the listener that hears other desks. The windows get it through the port."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tutor_desktop.config import DatabaseChoice
from tutor_desktop.db.backups.service import EmbeddedBackups
from tutor_desktop.db.bootstrap import EMBEDDED_APP_ROLE, OpenDatabase, open_database
from tutor_desktop.db.demo import load_demo
from tutor_desktop.db.engine import make_engine, with_login
from tutor_desktop.db.listener import ChangeListener, listen
from tutor_desktop.db.migrations import connect
from tutor_desktop.db.moving import move_to_server, moved_to
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import InvalidInput, MoveOutcome


@dataclass
class OpenStudio:
    database: OpenDatabase
    studio: Repository
    backups: EmbeddedBackups | None = None  # the embedded database's; a studio server backs itself up

    @property
    def embedded(self) -> bool:
        return self.database.embedded

    @property
    def notes(self) -> list[str]:
        """What happened while opening that a person should hear (an upgraded data folder)."""
        return self.database.notes

    def listen(self, on_change: Callable[[str], None], on_state: Callable[[bool, str], None]) -> ChangeListener:
        """Starts following the change feed on a connection of its own."""
        return listen(self.database.app_url, on_change, on_state)

    def load_demo(self) -> None:
        load_demo(self.studio)

    def moved_to(self) -> str | None:
        """Where this computer's studio was moved to, if it was (a server's studio: None)."""
        if not self.embedded:
            return None
        with connect(self.database.admin_url) as conn:
            return moved_to(conn)

    def move_to_server(self, server_url: str, login: str, password: str) -> MoveOutcome:
        if not self.embedded:
            raise InvalidInput("This desk already uses a studio server; only the studio on this computer can move.")
        return move_to_server(self.database.admin_url, server_url, EMBEDDED_APP_ROLE, login, password)

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
    backups = EmbeddedBackups(data_dir, database.server.superuser_url) if database.embedded else None
    return OpenStudio(database, studio, backups)
