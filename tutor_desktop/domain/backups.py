"""The words of backups: what one backup holds (its manifest), the settings that say where and how many are
kept, and what a restore or a weekly check found. Plain Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tutor_desktop.domain.errors import TutorDeskError


@dataclass(frozen=True)
class BackupCounts:
    clients: int
    packages: int
    sessions: int
    ledger_rows: int

    def describe(self) -> str:
        return (f"{self.clients} clients, {self.packages} packages, {self.sessions} sessions, "
                f"{self.ledger_rows} ledger rows")


@dataclass(frozen=True)
class Backup:
    """One finished backup file and its manifest."""

    path: str
    made_at: datetime
    kind: str  # "daily", "at quit", "by hand", "before restore", "before upgrade"
    app_version: str
    postgres_version: str
    counts: BackupCounts
    size: int
    sha256: str

    @property
    def name(self) -> str:
        return self.path.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class BackupSettings:
    folder: str
    daily: int = 7
    weekly: int = 4
    monthly: int = 12


@dataclass(frozen=True)
class RestoreResult:
    restored: Backup | None  # the manifest of the file, when it had one
    safety_backup: Backup | None
    database: str  # the database the desk uses from now on
    counts: BackupCounts


@dataclass(frozen=True)
class CheckResult:
    """The weekly test restore of one backup into a scratch database."""

    checked_at: datetime
    backup: str
    ok: bool
    message: str


@dataclass(frozen=True)
class DueWork:
    """What a periodic look found to do and did: the backup it made, the check it ran, the problem to show."""

    made: Backup | None = None
    check: CheckResult | None = None
    problem: str | None = None


SERVER_BACKUPS = (
    "This desk uses a studio server: its backups are the server's job (pg_dump of the studio database, or base "
    "backups), see the README. Tutor Desk backs up only the database on this computer.")


class BackupRefused(TutorDeskError):
    """Why a backup, a restore or an upgrade did not happen, in a person's words; nothing was changed."""
