"""The SQL files the schema is made of, as the runner reads them: migrations/ (numbered, applied once each) and
sql/ (one file per area of functions, views and policies, applied in the order of their numbers, again whenever
one of them changed)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from tutor_desktop.domain import MigrationError


def _shipped(folder: str) -> Path:
    """Inside the installed package, or the source tree's top-level folder when run from a checkout."""
    packaged = Path(str(resources.files("tutor_desktop"))) / folder
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / folder


def migrations_dir() -> Path:
    return _shipped("migrations")


def sql_dir() -> Path:
    return _shipped("sql")


@dataclass(frozen=True)
class Migration:
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


def _load(folder: Path, pattern: str) -> list[Migration]:
    files = sorted(folder.glob(pattern))
    if not files:
        raise MigrationError(f"No SQL files found in {folder}.")
    return [Migration(f.name, f.read_text(encoding="utf-8")) for f in files]


def load_migrations(folder: Path | None = None) -> list[Migration]:
    return _load(folder or migrations_dir(), "[0-9][0-9][0-9]_*.sql")


def load_repeatables(folder: Path | None = None) -> list[Migration]:
    return _load(folder or sql_dir(), "[0-9][0-9]_*.sql")
