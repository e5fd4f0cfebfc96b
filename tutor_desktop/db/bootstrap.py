"""Opens the database the configuration names: a shared server's URL as given, or the embedded server in the
data folder, started (and on first run created) here, with migrations applied and the app's login role."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

from tutor_desktop.config import DatabaseChoice
from tutor_desktop.db.migrations import apply_migrations, connect
from tutor_desktop.domain import DatabaseUnavailable

EMBEDDED_DATABASE = "tutor_desk"
EMBEDDED_APP_ROLE = "tutor_local"


def ensure_database(admin_conninfo: str, name: str) -> None:
    """Creates the database if it is missing."""
    with connect(admin_conninfo) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return
        try:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except psycopg.errors.DuplicateDatabase:  # another desk created it a moment ago
            pass


def ensure_app_login(admin_conninfo: str, role: str) -> None:
    """A login role in the app's group role, so the embedded desk runs under the same grants as a studio's."""
    with connect(admin_conninfo) as conn:
        conn.execute(
            sql.SQL(
                "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {lit}) THEN "
                "CREATE ROLE {ident} LOGIN IN ROLE tutor_app; END IF; END $$"
            ).format(lit=sql.Literal(role), ident=sql.Identifier(role))
        )


@dataclass
class OpenDatabase:
    """What the composition root needs: the URL the repository connects with, and the embedded server to stop."""

    app_url: str
    admin_url: str
    server: object | None = None
    migrations_applied: list[str] = field(default_factory=list)

    @property
    def embedded(self) -> bool:
        return self.server is not None

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


def open_embedded(data_dir: Path) -> OpenDatabase:
    from tutor_desktop.db.embedded import EmbeddedServer, EmbeddedServerError

    server = EmbeddedServer(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        server.start()
    except (EmbeddedServerError, OSError) as exc:
        raise DatabaseUnavailable(f"The local database could not start: {exc}") from None
    try:
        ensure_database(server.superuser_url(), EMBEDDED_DATABASE)
        admin_url = server.superuser_url(EMBEDDED_DATABASE)
        applied = apply_migrations(admin_url)
        ensure_app_login(admin_url, EMBEDDED_APP_ROLE)
    except BaseException:
        server.stop()
        raise
    app_url = admin_url.replace("postgresql://postgres@", f"postgresql://{EMBEDDED_APP_ROLE}@", 1)
    return OpenDatabase(app_url, admin_url, server, migrations_applied=applied)


def open_database(choice: DatabaseChoice, data_dir: Path, *, upgrade: bool = True) -> OpenDatabase:
    if choice.embedded:
        return open_embedded(data_dir)
    applied = apply_migrations(choice.dsn) if upgrade else []
    return OpenDatabase(choice.dsn, choice.dsn, None, migrations_applied=applied)

