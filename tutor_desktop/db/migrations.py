"""Applies migrations/*.sql: each file once, in its own transaction, under an advisory lock so that two desks
starting together do not race, recorded with a checksum so that an applied file that changed is refused."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import psycopg

from tutor_desktop.db.errors import connection_message
from tutor_desktop.domain import DatabaseUnavailable, MigrationError

MIGRATIONS_TABLE = "public.tutor_schema_migrations"
ADVISORY_LOCK_KEY = 0x7475746F  # "tuto": one constant shared by every desk


def migrations_dir() -> Path:
    """Inside the installed package, or the source tree's top-level migrations/ when run from a checkout."""
    packaged = Path(str(resources.files("tutor_desktop"))) / "migrations"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "migrations"


@dataclass(frozen=True)
class Migration:
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


def load_migrations(folder: Path | None = None) -> list[Migration]:
    folder = folder or migrations_dir()
    files = sorted(folder.glob("[0-9][0-9][0-9]_*.sql"))
    if not files:
        raise MigrationError(f"No migration files found in {folder}.")
    return [Migration(f.name, f.read_text(encoding="utf-8")) for f in files]


def connect(conninfo: str) -> psycopg.Connection:
    try:
        return psycopg.connect(conninfo, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        raise DatabaseUnavailable(connection_message(exc)) from None
    except psycopg.ProgrammingError as exc:
        raise MigrationError(f"Not a usable database URL: {exc}") from None


def _recorded(conn: psycopg.Connection) -> dict[str, str]:
    if conn.execute("SELECT to_regclass(%s)", (MIGRATIONS_TABLE,)).fetchone()[0] is None:
        return {}
    return dict(conn.execute(f"SELECT name, checksum FROM {MIGRATIONS_TABLE}").fetchall())


def _pending(migrations: list[Migration], recorded: dict[str, str]) -> list[Migration]:
    pending = []
    for migration in migrations:
        if migration.name not in recorded:
            pending.append(migration)
        elif recorded[migration.name] != migration.checksum:
            raise MigrationError(
                f"Migration {migration.name} was changed after it was applied to this database. "
                "Applied migrations must never be edited; put the change in a new numbered file."
            )
    return pending


def apply_migrations(conninfo: str, folder: Path | None = None) -> list[str]:
    """Brings the database up to date; returns the names of the files applied now. A database that is
    already current is only read, so a desk connecting without rights to change the schema still starts."""
    migrations = load_migrations(folder)
    with connect(conninfo) as conn:
        try:
            if not _pending(migrations, _recorded(conn)):
                return []
            conn.execute("SELECT pg_advisory_lock(%s)", (ADVISORY_LOCK_KEY,))
        except psycopg.Error as exc:
            raise MigrationError(f"Cannot check the database's schema version: {exc}") from None
        try:
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} ("
                " name text PRIMARY KEY, checksum text NOT NULL,"
                " applied_at timestamptz NOT NULL DEFAULT now(), applied_by text NOT NULL DEFAULT session_user)"
            )
            applied_now = []
            # Read again under the lock: another desk may have applied some meanwhile.
            for migration in _pending(migrations, _recorded(conn)):
                try:
                    with conn.transaction():
                        conn.execute(migration.sql)
                        conn.execute("RESET ROLE")
                        conn.execute(
                            f"INSERT INTO {MIGRATIONS_TABLE} (name, checksum) VALUES (%s, %s)",
                            (migration.name, migration.checksum),
                        )
                except psycopg.Error as exc:
                    raise MigrationError(f"Migration {migration.name} failed and was rolled back: {exc}") from None
                applied_now.append(migration.name)
            # Desks connect without rights to change the schema; they only check that it is current.
            conn.execute(f"GRANT SELECT ON {MIGRATIONS_TABLE} TO tutor_app")
        except psycopg.Error as exc:
            raise MigrationError(f"The database schema cannot be upgraded with this login: {exc}") from None
        finally:
            if not conn.closed:
                conn.execute("SELECT pg_advisory_unlock(%s)", (ADVISORY_LOCK_KEY,))
    return applied_now
