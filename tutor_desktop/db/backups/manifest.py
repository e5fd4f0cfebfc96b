"""A backup on disk: `tutor-desk-<time>.dump` (pg_dump's custom format) and `tutor-desk-<time>.json` (its
manifest) side by side. The manifest is written before the dump gets its final name, so a `.dump` that has a
name is complete and verified; one still being written is a hidden `.partial` file that no listing shows."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timezone
from pathlib import Path

from tutor_desktop.domain.backups import Backup, BackupCounts

PREFIX = "tutor-desk-"
DUMP = ".dump"
MANIFEST = ".json"
PARTIAL = ".partial"
FORMAT = 1


def stem_for(made_at: datetime, folder: Path) -> str:
    """A free file stem in folder for a backup made at made_at (UTC in the name, so names sort by time)."""
    base = PREFIX + made_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
    stem, n = base, 1
    while (folder / (stem + DUMP)).exists() or (folder / (stem + MANIFEST)).exists():
        n += 1
        stem = f"{base}-{n}"
    return stem


def manifest_path(dump: Path) -> Path:
    return dump.with_suffix(MANIFEST)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def to_json(backup: Backup, fingerprint: str) -> str:
    return json.dumps({
        "format": FORMAT,
        "file": backup.name,
        "made_at": backup.made_at.isoformat(),
        "kind": backup.kind,
        "app_version": backup.app_version,
        "postgres_version": backup.postgres_version,
        "counts": {"clients": backup.counts.clients, "packages": backup.counts.packages,
                   "sessions": backup.counts.sessions, "ledger_rows": backup.counts.ledger_rows},
        "size": backup.size,
        "sha256": backup.sha256,
        "fingerprint": fingerprint,
    }, indent=2) + "\n"


def read(dump: Path) -> tuple[Backup, str] | None:
    """The backup and the data fingerprint its manifest records; None without a readable manifest."""
    try:
        data = json.loads(manifest_path(dump).read_text(encoding="utf-8"))
        counts = data["counts"]
        return Backup(
            path=str(dump), made_at=datetime.fromisoformat(data["made_at"]), kind=str(data["kind"]),
            app_version=str(data["app_version"]), postgres_version=str(data["postgres_version"]),
            counts=BackupCounts(int(counts["clients"]), int(counts["packages"]), int(counts["sessions"]),
                                int(counts["ledger_rows"])),
            size=int(data["size"]), sha256=str(data["sha256"]),
        ), str(data.get("fingerprint", ""))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_atomically(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}{PARTIAL}")
    with temp.open("w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temp, path)
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # not every file system syncs folders (e.g. some network drives)
    finally:
        os.close(fd)


def listing(folder: Path) -> list[tuple[Backup, str]]:
    """Every complete backup in folder with its fingerprint, newest first."""
    if not folder.is_dir():
        return []
    found = []
    for dump in folder.glob(f"{PREFIX}*{DUMP}"):
        entry = read(dump)
        if entry is not None:
            found.append(entry)
    return sorted(found, key=lambda e: e[0].made_at, reverse=True)


def leftovers(folder: Path) -> list[Path]:
    """Files an interrupted backup left: partial files, and manifests whose dump never got its name."""
    if not folder.is_dir():
        return []
    partial = list(folder.glob(f".{PREFIX}*{PARTIAL}"))
    orphans = [m for m in folder.glob(f"{PREFIX}*{MANIFEST}") if not m.with_suffix(DUMP).exists()]
    return partial + orphans
