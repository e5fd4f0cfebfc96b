"""Where backups go and how many are kept: `backups.toml` in the configuration folder. The default folder is in
the data folder; a folder that a cloud drive syncs is suggested, because a backup on the same disk does not
survive the disk."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from tutor_desktop import config
from tutor_desktop.domain import InvalidInput
from tutor_desktop.domain.backups import BackupSettings

FILE_NAME = "backups.toml"
SUBFOLDER = "Tutor Desk backups"
CLOUD_FOLDERS = ("Dropbox", "OneDrive", "Google Drive", "My Drive", "Nextcloud", "ownCloud", "pCloudDrive",
                 "Library/Mobile Documents/com~apple~CloudDocs", "Library/CloudStorage")
MAX_COUNT = 1000


def settings_file() -> Path:
    return config.config_dir() / FILE_NAME


def default_folder(data_dir: Path | None = None) -> Path:
    return (data_dir or config.data_dir()) / "backups"


def suggested_folders(home: Path | None = None) -> list[str]:
    """Folders that a cloud drive syncs, found in the home folder, each with a subfolder for the backups."""
    home = home or Path.home()
    found = []
    for name in CLOUD_FOLDERS:
        base = home / name
        if not base.is_dir():
            continue
        if name == "Library/CloudStorage":  # macOS: one folder per provider
            found += [str(p / SUBFOLDER) for p in sorted(base.iterdir()) if p.is_dir()]
        else:
            found.append(str(base / SUBFOLDER))
    return found


def read_settings(data_dir: Path | None = None, path: Path | None = None) -> BackupSettings:
    path = path or settings_file()
    data: dict = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8")).get("backups", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
            raise InvalidInput(f"The backup settings file {path} cannot be read: {exc}.") from None
    defaults = BackupSettings(str(default_folder(data_dir)))
    return checked(BackupSettings(
        folder=str(data.get("folder") or defaults.folder),
        daily=data.get("daily", defaults.daily), weekly=data.get("weekly", defaults.weekly),
        monthly=data.get("monthly", defaults.monthly)))


def checked(settings: BackupSettings) -> BackupSettings:
    for label, value in (("daily", settings.daily), ("weekly", settings.weekly), ("monthly", settings.monthly)):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_COUNT:
            raise InvalidInput(f"The number of {label} backups to keep must be a whole number from 0 to {MAX_COUNT}.")
    folder = Path(settings.folder.strip()).expanduser() if settings.folder.strip() else None
    if folder is None or not folder.is_absolute():
        raise InvalidInput("Choose a full folder path for the backups (for example in your cloud drive).")
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"{folder} is a file, not a folder.")
    return BackupSettings(str(folder), settings.daily, settings.weekly, settings.monthly)


def write_settings(settings: BackupSettings, path: Path | None = None) -> BackupSettings:
    settings = checked(settings)
    path = path or settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"[backups]\nfolder = {json.dumps(settings.folder)}\ndaily = {settings.daily}\n"
                    f"weekly = {settings.weekly}\nmonthly = {settings.monthly}\n", encoding="utf-8")
    return settings
