"""Brings a database's schema up to date: the pending numbered files of migrations/ (tables, types, roles, grants,
indexes: each applied once, recorded with a checksum so that an applied file that changed is refused), then every
file of sql/ (functions, views, row-security policies and who may call what: written as CREATE OR REPLACE and
applied again, all of them, whenever one changed or a migration ran). All in one transaction, under an advisory
lock so that two desks starting together do not race."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tutor_desktop.config import app_version
from tutor_desktop.db.errors import unavailable
from tutor_desktop.db.schema_files import (
    Migration, load_migrations, load_repeatables, migrations_dir, sql_dir,
)
from tutor_desktop.domain import DatabaseUnavailable, MigrationError, PasswordRequired

__all__ = ["apply_migrations", "connect", "migrations_dir", "sql_dir"]

MIGRATIONS_TABLE = "public.tutor_schema_migrations"
REPEATABLES_TABLE = "public.tutor_schema_repeatables"
ADVISORY_LOCK_KEY = 0x7475746F  # "tuto": one constant shared by every desk

# Before sql/ existed the functions were written in migrations 001..015 too, and redefined in later ones. Those
# files are gone (tests/db/data/migrations_before_sql keeps them); 015_baseline.sql is what they left behind apart
# from functions, views and policies. So a database that ran them is at the baseline already: it is recorded as
# applied without running (Flyway's "baseline"), and 016 drops the old functions for sql/ to create afresh.
BASELINE = "015_baseline.sql"
BEFORE_BASELINE = "015_linear_auto_complete.sql"


def connect(conninfo: str) -> psycopg.Connection:
    try:
        return psycopg.connect(conninfo, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        cls = PasswordRequired if "no password supplied" in str(exc) else DatabaseUnavailable
        raise unavailable(exc, cls) from None
    except psycopg.ProgrammingError as exc:
        raise MigrationError(f"Not a usable database URL: {exc}") from None


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def _newer_app(conn: psycopg.Connection, migrations: list[Migration], ours: str) -> str | None:
    """The version of a newer app that already brought this database further than this one can, if any: this
    desk must not put its older functions back."""
    if conn.execute("SELECT to_regclass(%s)", (REPEATABLES_TABLE,)).fetchone()[0] is not None:
        versions = [v for (v,) in conn.execute(f"SELECT DISTINCT app_version FROM {REPEATABLES_TABLE}")]
        newest = max(versions, key=_version_key, default=ours)
        if _version_key(newest) > _version_key(ours):
            return newest
    known = max(m.name for m in migrations)
    later = [name for name in _recorded(conn, MIGRATIONS_TABLE) if name > known]
    return "a later version" if later else None


def _recorded(conn: psycopg.Connection, table: str) -> dict[str, str]:
    if conn.execute("SELECT to_regclass(%s)", (table,)).fetchone()[0] is None:
        return {}
    return dict(conn.execute(f"SELECT name, checksum FROM {table}").fetchall())


@dataclass(frozen=True)
class _Plan:
    pending: list[Migration]
    baseline: Migration | None  # to record as applied without running it
    repeat: bool  # apply every file of sql/

    @property
    def work(self) -> bool:
        return bool(self.pending or self.baseline or self.repeat)


def _plan(conn: psycopg.Connection, migrations: list[Migration], repeatables: list[Migration]) -> _Plan:
    recorded = _recorded(conn, MIGRATIONS_TABLE)
    baseline = None
    if recorded and BASELINE not in recorded:
        if BEFORE_BASELINE not in recorded:
            raise MigrationError(f"This database stopped before {BEFORE_BASELINE}; upgrade it first with the "
                                 "version of Tutor Desk that made it.")
        baseline = next(m for m in migrations if m.name == BASELINE)
        recorded[BASELINE] = baseline.checksum
    pending = []
    for migration in migrations:
        if migration.name not in recorded:
            pending.append(migration)
        elif recorded[migration.name] != migration.checksum:
            raise MigrationError(
                f"Migration {migration.name} was changed after it was applied to this database. "
                "Applied migrations must never be edited; put the change in a new numbered file."
            )
    current = _recorded(conn, REPEATABLES_TABLE) == {r.name: r.checksum for r in repeatables}
    return _Plan(pending, baseline, bool(pending) or not current)


def _run(conn: psycopg.Connection, item: Migration, label: str, table: str, version: str) -> None:
    try:
        conn.execute(item.sql)
    except psycopg.Error as exc:
        raise MigrationError(f"{label} failed and was rolled back: {exc}") from None
    conn.execute("RESET ROLE")
    conn.execute("RESET search_path")
    columns = "(name, checksum)" if table == MIGRATIONS_TABLE else "(name, checksum, app_version)"
    values = (item.name, item.checksum) if table == MIGRATIONS_TABLE else (item.name, item.checksum, version)
    conn.execute(f"INSERT INTO {table} {columns} VALUES ({', '.join(['%s'] * len(values))})", values)


def apply_migrations(conninfo: str, folder: Path | None = None, sql_folder: Path | None = None,
                     version: str | None = None) -> list[str]:
    """Brings the database up to date; returns the names of the files applied now (those of sql/ as sql/NAME).
    A database that is already current is only read, so a desk connecting without rights to change the schema
    still starts. One that a newer app brought further is refused: this desk's older functions stay out."""
    migrations, repeatables = load_migrations(folder), load_repeatables(sql_folder)
    version = version or app_version()
    with connect(conninfo) as conn:
        try:
            if not _plan(conn, migrations, repeatables).work:
                return []
            newer = _newer_app(conn, migrations, version)
            if newer is not None:
                raise MigrationError(f"This studio's database was brought up to date by Tutor Desk {newer}; this "
                                     f"desk runs {version}. Update Tutor Desk on this computer to open it.")
            conn.execute("SELECT pg_advisory_lock(%s)", (ADVISORY_LOCK_KEY,))
        except psycopg.Error as exc:
            raise MigrationError(f"Cannot check the database's schema version: {exc}") from None
        try:
            for table, extra in ((MIGRATIONS_TABLE, ""), (REPEATABLES_TABLE, ", app_version text NOT NULL")):
                conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {table} ("
                    " name text PRIMARY KEY, checksum text NOT NULL,"
                    " applied_at timestamptz NOT NULL DEFAULT now(), applied_by text NOT NULL DEFAULT session_user"
                    f"{extra})"
                )
            applied_now = []
            with conn.transaction():
                plan = _plan(conn, migrations, repeatables)  # again under the lock: another desk may have been first
                if plan.baseline:
                    conn.execute(f"INSERT INTO {MIGRATIONS_TABLE} (name, checksum) VALUES (%s, %s)",
                                 (plan.baseline.name, plan.baseline.checksum))
                for migration in plan.pending:
                    _run(conn, migration, f"Migration {migration.name}", MIGRATIONS_TABLE, version)
                    applied_now.append(migration.name)
                if plan.repeat:
                    conn.execute(f"DELETE FROM {REPEATABLES_TABLE}")
                    for item in repeatables:
                        _run(conn, item, f"sql/{item.name}", REPEATABLES_TABLE, version)
                        applied_now.append(f"sql/{item.name}")
            # Desks connect without rights to change the schema; they only check that it is current.
            conn.execute(f"GRANT SELECT ON {MIGRATIONS_TABLE}, {REPEATABLES_TABLE} TO tutor_app")
        except psycopg.Error as exc:
            raise MigrationError(f"The database schema cannot be upgraded with this login: {exc}") from None
        finally:
            if not conn.closed:
                conn.execute("SELECT pg_advisory_unlock(%s)", (ADVISORY_LOCK_KEY,))
    return applied_now
