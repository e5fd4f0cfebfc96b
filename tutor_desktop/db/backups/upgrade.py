"""A data folder made by another PostgreSQL major version than the one this app runs (the embedded server's
package moved 15 -> 16 -> 18 before) is not started blindly: a backup is made with the old version's server,
every database is copied by dump and restore into a new cluster of the app's version beside the old one, the
studio there is migrated and reconciled, and only then do the folders change places. The old folder is kept,
renamed `pgdata-pg<old>-<time>`, for the person to delete once they are happy."""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import psycopg
from psycopg import sql

from tutor_desktop.config import app_version
from tutor_desktop.db.backups import manifest, tools
from tutor_desktop.db.backups.making import current_fingerprint, make_backup
from tutor_desktop.db.backups.restoring import check_file, prove, url_for
from tutor_desktop.db.backups.settings import read_settings
from tutor_desktop.db.current_database import current_database
from tutor_desktop.domain import DatabaseUnavailable, TutorDeskError
from tutor_desktop.domain.backups import Backup

RECORD = "postgres.json"
UPGRADING = "pgdata-upgrading"
SCRATCH = "tutor_desk_check"
log = logging.getLogger("tutor_desktop.upgrade")


@dataclass(frozen=True)
class Upgraded:
    old_major: int
    new_major: int
    backup: Backup | None
    kept_folder: Path

    def describe(self) -> str:
        return (f"The local database was made by PostgreSQL {self.old_major}; this Tutor Desk runs PostgreSQL "
                f"{self.new_major}. It was upgraded and reconciled. The old folder is kept at {self.kept_folder} "
                "(delete it once you are happy)" + (f"; a backup from before is {self.backup.path}." if self.backup
                                                   else "."))


def folder_major(data_dir: Path) -> int | None:
    """The major version that made the data folder's cluster (PG_VERSION in it), None before the first start."""
    try:
        return int((Path(data_dir) / "pgdata" / "PG_VERSION").read_text().strip())
    except (OSError, ValueError):
        return None


def record_major(data_dir: Path, major: int) -> None:
    """Notes, beside the cluster, which major version made it and which app last opened it."""
    path = Path(data_dir) / RECORD
    try:
        known = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    if known.get("postgres_major") == major and known.get("app_version") == app_version():
        return
    manifest.write_atomically(path, json.dumps({"postgres_major": major, "app_version": app_version(),
                                                "recorded_at": datetime.now(timezone.utc).isoformat()}) + "\n")


def upgrade_ahead(data_dir: Path) -> str | None:
    """What opening the data folder will do first, in a person's words, when its cluster needs an upgrade."""
    found, target = folder_major(data_dir), tools.target_major()
    if found is None or found >= target or found not in tools.shipped_majors():
        return None
    return (f"The database was made by PostgreSQL {found}; Tutor Desk now runs PostgreSQL {target}, so it is upgraded "
            "first: a backup, then a copy that is checked before it is used. This takes a while, once.")


def upgrade_if_needed(data_dir: Path, app_role: str = "tutor_local") -> Upgraded | None:
    """Called before the embedded server starts. Raises DatabaseUnavailable (data folder unchanged) when the
    folder cannot be opened by this app's version nor upgraded."""
    data_dir = Path(data_dir)
    found, target = folder_major(data_dir), tools.target_major()
    if found is None or found == target:
        return None
    if found > target:
        raise DatabaseUnavailable(
            f"The local database was made by PostgreSQL {found}, newer than this Tutor Desk's PostgreSQL {target}. "
            "Update Tutor Desk to open it; nothing was changed.")
    if found not in tools.shipped_majors():
        raise DatabaseUnavailable(
            f"The local database was made by PostgreSQL {found}, which this Tutor Desk no longer ships, so it cannot "
            "be upgraded here. Restore your newest backup (tutor-desktop restore FILE) after moving the folder "
            f"{data_dir / 'pgdata'} aside; nothing was changed.")
    log.warning("The local database was made by PostgreSQL %s; this Tutor Desk runs PostgreSQL %s. Upgrading it: "
                "a backup first, then a copy into a new folder; the old folder is kept.", found, target)
    try:
        return _upgrade(data_dir, found, target, app_role)
    except (TutorDeskError, psycopg.Error, OSError) as exc:
        said = exc.message if isinstance(exc, TutorDeskError) else " ".join(str(exc).split())
        raise DatabaseUnavailable(
            f"The local database was made by PostgreSQL {found} and could not be upgraded to PostgreSQL {target}: "
            f"{said} The data folder is as it was.") from None


def _upgrade(data_dir: Path, found: int, target: int, app_role: str) -> Upgraded:
    from tutor_desktop.db.embedded import EmbeddedServer, EmbeddedServerError

    new_folder = data_dir / UPGRADING
    shutil.rmtree(new_folder, ignore_errors=True)  # what an interrupted attempt left
    old = EmbeddedServer(data_dir, major=found)
    new = EmbeddedServer(data_dir, folder=UPGRADING, major=target)
    database = current_database(data_dir)
    try:
        old.start()
        new.start()
        backup = _take_or_find_backup(old.superuser_url(database), Path(read_settings(data_dir).folder))
        _copy_roles(old.superuser_url(), new.superuser_url())
        with tempfile.TemporaryDirectory(prefix="tutor-upgrade-") as work:
            for name in _databases(old.superuser_url()):
                dump = Path(backup.path) if name == database else Path(work) / f"{name}.dump"
                if name != database:
                    tools.run("pg_dump", ["--format=custom", f"--file={dump}", f"--dbname={old.superuser_url(name)}"])
                _create(new.superuser_url(), name)
                tools.run("pg_restore", ["--exit-on-error", "--single-transaction", "--no-password",
                                         f"--dbname={new.superuser_url(name)}", str(dump)])
        _prove(new.superuser_url(database), database, app_role, backup)
    except EmbeddedServerError as exc:
        _give_up(old, new, new_folder)
        raise TutorDeskError(str(exc)) from None
    except BaseException:
        _give_up(old, new, new_folder)
        raise
    new.stop()
    old.stop()
    if (data_dir / "pgdata" / "postmaster.pid").exists():
        shutil.rmtree(new_folder, ignore_errors=True)
        raise TutorDeskError("another program still uses the local database; close every Tutor Desk window and "
                             "start again.")
    kept = data_dir / f"pgdata-pg{found}-{datetime.now(timezone.utc):%Y%m%d%H%M%S}"
    (data_dir / "pgdata").rename(kept)
    try:
        new_folder.rename(data_dir / "pgdata")
    except OSError:
        kept.rename(data_dir / "pgdata")  # back as it was; the next start tries again
        shutil.rmtree(new_folder, ignore_errors=True)
        raise
    manifest.sync_folder(data_dir)
    (data_dir / f"pgserver-{UPGRADING}.lock").unlink(missing_ok=True)
    record_major(data_dir, target)
    done = Upgraded(found, target, backup, kept)
    log.warning("%s", done.describe())
    return done


def _take_or_find_backup(url: str, folder: Path) -> Backup:
    """A backup of the studio as it is now: one already in the folder (an earlier attempt's, or today's), or a
    new one."""
    now = current_fingerprint(url)
    for backup, data_print in manifest.listing(folder):
        if data_print == now and check_file(Path(backup.path)) is not None:
            log.warning("Backup from before the upgrade: %s (already made)", backup.path)
            return backup
    return make_backup(url, folder, "before upgrade")[0]


def _give_up(old, new, new_folder: Path) -> None:  # noqa: ANN001 - EmbeddedServer
    for server in (new, old):
        try:
            server.stop()
        except Exception:  # noqa: BLE001 - stopping is best effort here; the error that matters is raised
            log.warning("could not stop a server after a failed upgrade", exc_info=True)
    shutil.rmtree(new_folder, ignore_errors=True)


def _databases(server_url: str) -> list[str]:
    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as conn:
        return [n for (n,) in conn.execute(
            "SELECT datname FROM pg_database WHERE NOT datistemplate AND datname NOT IN ('postgres', %s)"
            " ORDER BY datname", (SCRATCH,))]


def _copy_roles(old_url: str, new_url: str) -> None:
    """The roles (the app's groups and owner, the desk's and staff members' logins with their passwords)."""
    text = tools.run("pg_dumpall", ["--globals-only", "--quote-all-identifiers", f"--dbname={old_url}"])
    lines = [line for line in text.splitlines() if not line.startswith(("\\", "--"))]  # psql's own commands
    with psycopg.connect(new_url, autocommit=True, connect_timeout=10) as conn:
        for statement in "\n".join(lines).split(";\n"):
            if not statement.strip():
                continue
            try:
                conn.execute(statement)
            except psycopg.errors.DuplicateObject:
                pass  # postgres itself, which every cluster has


def _create(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _prove(url: str, database: str, app_role: str, backup: Backup) -> None:
    from tutor_desktop.db.bootstrap import adopt_existing_studio, ensure_app_login
    from tutor_desktop.db.migrations import apply_migrations

    apply_migrations(url)
    ensure_app_login(url, app_role)
    adopt_existing_studio(url)
    prove(url, url_for(url, database, app_role), backup)
