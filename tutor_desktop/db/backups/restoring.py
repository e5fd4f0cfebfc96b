"""Restoring a backup: the file is checked (its manifest's size and checksum, the app version that made it, its
table of contents), restored into a new database in one transaction, brought up to this app's schema, and
reconciled; only a restore that passed all of that is returned for the caller to switch to. Whatever fails on
the way drops the new database and leaves everything else as it was."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

from tutor_desktop.config import app_version
from tutor_desktop.db.backups import manifest, tools
from tutor_desktop.db.backups.making import counts, verify
from tutor_desktop.domain import TutorDeskError
from tutor_desktop.domain.backups import Backup, BackupCounts, BackupRefused


RESTORE_JOBS = 2


def url_for(url: str, database: str, user: str | None = None) -> str:
    """The same server's URL for another database (and login)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if user is not None:
        netloc = quote(user, safe="") + "@" + netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, netloc, "/" + quote(database, safe=""), parts.query, parts.fragment))


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def check_file(path: Path) -> Backup | None:
    """The file's manifest if it has one; BackupRefused for a missing, damaged or truncated file, for a backup
    made by a newer Tutor Desk, and for a file that is no Tutor Desk backup."""
    path = Path(path)
    if not path.is_file():
        raise BackupRefused(f"There is no backup file {path}.")
    entry = manifest.read(path)
    backup = entry[0] if entry else None
    if backup is not None:
        if path.stat().st_size != backup.size or manifest.sha256_of(path) != backup.sha256:
            raise BackupRefused(f"{path.name} is damaged or incomplete: it is not the file its manifest describes "
                                f"({backup.size:,} bytes made {backup.made_at:%Y-%m-%d %H:%M}). Nothing was changed.")
        if _version_key(backup.app_version) > _version_key(app_version()):
            raise BackupRefused(f"{path.name} was made by Tutor Desk {backup.app_version}; this is {app_version()}. "
                                "Update Tutor Desk to restore it. Nothing was changed.")
    verify(path)
    return backup


def drop_database(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def restore_into(server_url: str, path: Path, name: str) -> str:
    """Restores the file into a new database `name` on the server of `server_url` (a superuser's); the new
    database's superuser URL. The database is dropped again if the file does not restore whole."""
    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = url_for(server_url, name)
    try:
        # In parallel: the schedule's two exclusion constraints (GiST) are most of the time and build side by side.
        # Not in one transaction then, but a restore that fails drops the whole new database all the same.
        tools.run("pg_restore", ["--exit-on-error", f"--jobs={RESTORE_JOBS}", "--no-password", f"--dbname={url}",
                                 str(path)])
    except tools.ToolFailed as exc:
        drop_database(server_url, name)
        raise BackupRefused(f"{path.name} could not be restored; it is damaged or incomplete ({exc.message}). "
                            "Nothing was changed.") from None
    except BaseException:
        drop_database(server_url, name)
        raise
    return url


def reconcile_as(url: str) -> list[tuple]:
    """tutor.reconcile() as the given login (a staff account: the function asks who is calling)."""
    with psycopg.connect(url, connect_timeout=10) as conn:
        return conn.execute("SELECT package_id, sessions_used, ledger_sum FROM tutor.reconcile()").fetchall()


def counts_of(url: str) -> BackupCounts:
    with psycopg.connect(url, connect_timeout=10) as conn:
        return counts(conn)


def prove(url: str, app_url: str, expected: Backup | None) -> BackupCounts:
    """Reconcile is empty and the counts are the manifest's, or BackupRefused."""
    try:
        mismatches = reconcile_as(app_url)
    except psycopg.Error as exc:
        raise BackupRefused(f"The restored studio could not be reconciled: {' '.join(str(exc).split())}.") from None
    if mismatches:
        raise BackupRefused(f"The restored studio does not reconcile: {len(mismatches)} packages' counters differ "
                            "from their ledger.")
    found = counts_of(url)
    if expected is not None and found != expected.counts:
        raise BackupRefused(f"The restored studio holds {found.describe()}; its manifest says "
                            f"{expected.counts.describe()}.")
    return found


def as_refusal(exc: TutorDeskError) -> BackupRefused:
    return exc if isinstance(exc, BackupRefused) else BackupRefused(f"{exc.message} Nothing was changed.")
