"""Making one backup: pg_dump (custom format) inside a read-only snapshot whose counts and data fingerprint go
into the manifest, written under a hidden temporary name, synced, its table of contents read back, the manifest
written, and only then renamed to its final name. A process killed on the way leaves a `.partial` file that no
listing shows and the next backup removes."""

from __future__ import annotations

import os
import threading
from datetime import datetime, timezone
from pathlib import Path

import fasteners
import psycopg
from psycopg import sql

from tutor_desktop.config import app_version
from tutor_desktop.db.backups import manifest, tools
from tutor_desktop.domain.backups import Backup, BackupCounts, BackupRefused

COUNTED = ("clients", "packages", "sessions", "package_ledger")
LOCK_NAME = ".tutor-desk-backup.lock"
_in_this_process = threading.Lock()


def counts(conn: psycopg.Connection) -> BackupCounts:
    row = conn.execute("SELECT " + ", ".join(f"(SELECT count(*) FROM tutor.{t})" for t in COUNTED)).fetchone()
    return BackupCounts(*(int(n) for n in row))


def fingerprint(conn: psycopg.Connection) -> str:
    """Changes whenever a row of the studio is added, changed or removed: each table's row count and the newest
    transaction that wrote one of its rows."""
    tables = [t for (t,) in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'tutor' ORDER BY tablename")]
    if not tables:
        return "empty"
    query = sql.SQL(" UNION ALL ").join(
        sql.SQL("SELECT {}, count(*), coalesce(max(xmin::text::bigint), 0) FROM tutor.{}").format(
            sql.Literal(t), sql.Identifier(t)) for t in tables)
    rows = conn.execute(sql.SQL("SELECT md5(string_agg(concat_ws(':', n, c, x), ',' ORDER BY n)) FROM ({}) AS t(n, c, x)")
                        .format(query)).fetchone()
    return rows[0]


def server_major(conn: psycopg.Connection) -> int:
    return conn.info.server_version // 10000


def current_fingerprint(url: str) -> str:
    with psycopg.connect(url, connect_timeout=10) as conn:
        return fingerprint(conn)


def verify(path: Path, major: int | None = None) -> str:
    """Reads the file's table of contents back; BackupRefused if it is not a readable Tutor Desk backup."""
    try:
        toc = tools.run("pg_restore", ["--list", str(path)], major)
    except tools.ToolFailed as exc:
        raise BackupRefused(f"{path.name} is not a readable backup, or it is damaged: {exc.message} Nothing was changed.") from None
    missing = [t for t in COUNTED if f"TABLE DATA tutor {t} " not in toc]
    if missing:
        raise BackupRefused(f"{path.name} is not a Tutor Desk backup (it holds no {', '.join(missing)}).")
    return toc


def remove_leftovers(folder: Path) -> None:
    for path in manifest.leftovers(folder):
        try:
            path.unlink()
        except OSError:
            pass


def make_backup(url: str, folder: Path, kind: str) -> tuple[Backup, str]:
    """Backs up the database at `url` (a superuser's) into folder; (the backup, its data fingerprint)."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupRefused(f"The backup folder {folder} cannot be made: {exc.strerror or exc}.") from None
    # One backup at a time per folder: threads of this process take turns, then processes (a killed one lets go
    # of the file lock with its life).
    with _in_this_process, fasteners.InterProcessLock(str(folder / LOCK_NAME)):
        remove_leftovers(folder)
        made_at = datetime.now(timezone.utc)
        final = folder / (manifest.stem_for(made_at, folder) + manifest.DUMP)
        partial = folder / f".{final.name}{manifest.PARTIAL}"
        try:
            backup, data_print = _dump(url, final, partial, made_at, kind)
        finally:
            if partial.exists():
                partial.unlink()
        return backup, data_print


def _dump(url: str, final: Path, partial: Path, made_at: datetime, kind: str) -> tuple[Backup, str]:
    with psycopg.connect(url, connect_timeout=10) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        studio_counts = counts(conn)
        data_print = fingerprint(conn)
        version = conn.execute("SHOW server_version").fetchone()[0].split()[0]
        major = server_major(conn)
        tools.run("pg_dump", ["--format=custom", f"--snapshot={snapshot}", f"--file={partial}", f"--dbname={url}"],
                  major if major in tools.shipped_majors() else None)
    with partial.open("rb") as f:
        os.fsync(f.fileno())
    verify(partial, major if major in tools.shipped_majors() else None)
    backup = Backup(path=str(final), made_at=made_at, kind=kind, app_version=app_version(),
                    postgres_version=version, counts=studio_counts, size=partial.stat().st_size,
                    sha256=manifest.sha256_of(partial))
    manifest.write_atomically(manifest.manifest_path(final), manifest.to_json(backup, data_print))
    os.replace(partial, final)
    manifest.sync_folder(final.parent)
    return backup, data_print
