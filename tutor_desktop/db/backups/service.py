"""The backups of one embedded data folder, as the desk and the command line use them: list, back up now,
restore (and switch the desk to the restored database), the settings, and the periodic work (a daily backup,
a backup at quit when the studio changed, rotation, the weekly test restore)."""

from __future__ import annotations

import json
import secrets
import logging
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tutor_desktop.db.backups import manifest, rotation, settings
from tutor_desktop.db.backups.making import current_fingerprint, make_backup
from tutor_desktop.db.backups.restoring import (
    as_refusal, check_file, drop_database, prove, restore_into, url_for,
)
from tutor_desktop.db.current_database import current_database, previous_database, switch_database
from tutor_desktop.domain import TutorDeskError
from tutor_desktop.domain.backups import (
    SERVER_BACKUPS, Backup, BackupRefused, BackupSettings, CheckResult, DueWork, RestoreResult,
)

DAILY = timedelta(days=1)
WEEKLY = timedelta(days=7)
STATE_FILE = "backups-state.json"
SCRATCH_DATABASE = "tutor_desk_check"
log = logging.getLogger(__name__)


class EmbeddedBackups:
    """`server_url(database)`: a superuser URL of the embedded server for that database."""

    def __init__(self, data_dir: Path, server_url: Callable[[str], str], app_role: str = "tutor_local") -> None:
        self.data_dir = Path(data_dir)
        self._server_url = server_url
        self._app_role = app_role

    # settings
    def settings(self) -> BackupSettings:
        return settings.read_settings(self.data_dir)

    def save_settings(self, new: BackupSettings) -> BackupSettings:
        return settings.write_settings(new)

    def suggested_folders(self) -> list[str]:
        return settings.suggested_folders()

    def folder(self) -> Path:
        return Path(self.settings().folder)

    # listing and making
    def list(self) -> list[Backup]:
        return [backup for backup, _print in manifest.listing(self.folder())]

    def database(self) -> str:
        return current_database(self.data_dir)

    def backup_now(self, kind: str = "by hand", folder: str | None = None) -> Backup:
        target = Path(folder).expanduser() if folder else self.folder()
        backup, _print = make_backup(self._server_url(self.database()), target, kind)
        if folder is None:
            self.rotate()
        return backup

    def rotate(self, now: datetime | None = None) -> list[str]:
        """Deletes what the settings do not keep; the names deleted."""
        chosen = self.settings()
        backups = self.list()
        by_moment = {b.made_at.astimezone(): b for b in backups}  # days as this computer counts them
        doomed = rotation.to_delete(((m, b.kind) for m, b in by_moment.items()), chosen.daily, chosen.weekly,
                                    chosen.monthly, (now or datetime.now(timezone.utc)).astimezone())
        for moment in sorted(doomed):
            self._forget(by_moment[moment])
        return [by_moment[moment].name for moment in sorted(doomed)]

    # restoring
    def restore(self, path: str) -> RestoreResult:
        """Safety backup, restore into a new database, migrations, reconcile, then the switch."""
        file = Path(path).expanduser()
        expected = check_file(file)
        current = self.database()
        safety = self.backup_now("before restore")
        name = "tutor_desk_" + datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S_") + secrets.token_hex(2)
        server = self._server_url("postgres")
        try:
            url = restore_into(server, file, name)
            try:
                found = self._bring_up(url, name, expected)
            except BaseException:
                drop_database(server, name)
                raise
        except BaseException as exc:
            self._forget(safety)  # the studio stays as it was, so the copy of it is not needed
            if isinstance(exc, TutorDeskError):
                raise as_refusal(exc) from None
            raise
        older = previous_database(self.data_dir)
        switch_database(self.data_dir, name, current)
        if older and older not in (name, current):
            try:
                drop_database(server, older)
            except Exception:  # noqa: BLE001 - an old copy in use elsewhere stays; it harms nothing
                log.warning("could not drop the old database %s", older, exc_info=True)
        return RestoreResult(expected, safety, name, found)

    @staticmethod
    def _forget(backup: Backup) -> None:
        """Deletes a backup: its manifest first, so no dump is ever left without one while it has its name."""
        for path in (manifest.manifest_path(Path(backup.path)), Path(backup.path)):
            try:
                path.unlink()
            except OSError:
                pass

    def _bring_up(self, url: str, name: str, expected: Backup | None):  # noqa: ANN202 - BackupCounts
        from tutor_desktop.db.bootstrap import adopt_existing_studio, ensure_app_login
        from tutor_desktop.db.migrations import apply_migrations

        apply_migrations(url)
        ensure_app_login(url, self._app_role)
        adopt_existing_studio(url)
        return prove(url, url_for(url, name, self._app_role), expected)

    # the weekly test restore
    def check(self, backup: Backup, now: datetime | None = None) -> CheckResult:
        server = self._server_url("postgres")
        ok, message = True, "Restored into a scratch database; reconcile is empty and the counts match."
        try:
            drop_database(server, SCRATCH_DATABASE)
            expected = check_file(Path(backup.path))
            url = restore_into(server, Path(backup.path), SCRATCH_DATABASE)
            prove(url, url_for(url, SCRATCH_DATABASE, self._app_role), expected)
        except TutorDeskError as exc:
            ok, message = False, exc.message
        finally:
            try:
                drop_database(server, SCRATCH_DATABASE)
            except Exception:  # noqa: BLE001 - the next check drops it first
                log.warning("could not drop the scratch database", exc_info=True)
        result = CheckResult(now or datetime.now(timezone.utc), backup.name, ok, message)
        self._save_check(result)
        return result

    def last_check(self) -> CheckResult | None:
        try:
            data = json.loads((self.data_dir / STATE_FILE).read_text(encoding="utf-8"))["last_check"]
            return CheckResult(datetime.fromisoformat(data["checked_at"]), data["backup"], bool(data["ok"]),
                               data["message"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _save_check(self, result: CheckResult) -> None:
        manifest.write_atomically(self.data_dir / STATE_FILE, json.dumps({"last_check": {
            "checked_at": result.checked_at.isoformat(), "backup": result.backup, "ok": result.ok,
            "message": result.message}}) + "\n")

    # periodic work
    def run_due(self, now: datetime | None = None) -> DueWork:
        """At most one backup a day, and the weekly test restore; the problem to show, if any."""
        now = now or datetime.now(timezone.utc)
        made, check, problems = None, None, []
        backups = self.list()
        if not backups or now - backups[0].made_at >= DAILY:
            try:
                made = self.backup_now("daily")
                backups = [made, *backups]
            except TutorDeskError as exc:
                problems.append(f"The daily backup failed: {exc.message}")
        last = self.last_check()
        failed_before = last is not None and not last.ok and backups and backups[0].name != last.backup
        if backups and (last is None or now - last.checked_at >= WEEKLY or failed_before):
            check = last = self.check(backups[0], now)  # after a failure, each newer backup until one passes
        if last is not None and not last.ok:
            problems.append(f"The weekly test restore of {last.backup} failed: {last.message}")
        return DueWork(made, check, " ".join(problems) or None)

    def at_quit(self) -> Backup | None:
        """A backup when the studio changed since the newest one."""
        entries = manifest.listing(self.folder())
        if entries and entries[0][1] == current_fingerprint(self._server_url(self.database())):
            return None
        return self.backup_now("at quit")


def refuse_on_server() -> BackupRefused:
    return BackupRefused(SERVER_BACKUPS)
