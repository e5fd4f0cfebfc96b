"""Where Tutor Desk keeps its things and which database it talks to. No Qt, no database access."""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs
import tzlocal

from tutor_desktop.domain import InvalidInput
from tutor_desktop.zones import time_zone

APP_NAME = "tutor-desktop"
DSN_ENV = "TUTOR_DESKTOP_DSN"
DATA_DIR_ENV = "TUTOR_DESKTOP_DATA_DIR"
CONFIG_DIR_ENV = "TUTOR_DESKTOP_CONFIG_DIR"
TIME_ZONE_ENV = "TUTOR_DESKTOP_TIME_ZONE"
CONFIG_FILE_NAME = "config.toml"


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    override = os.environ.get(CONFIG_DIR_ENV)
    return Path(override) if override else platformdirs.user_config_path(APP_NAME, appauthor=False)


def config_file() -> Path:
    return config_dir() / CONFIG_FILE_NAME


def app_version() -> str:
    """This installed app's version ("0" in a source tree that was never installed)."""
    try:
        return metadata.version(APP_NAME)
    except metadata.PackageNotFoundError:
        return "0"


def validate_dsn(url: str) -> str:
    """A postgresql:// URL, or a clear InvalidInput."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise InvalidInput(f"Not a PostgreSQL URL: {url!r}. Expected postgresql://user@host:port/database.")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as exc:
        raise InvalidInput(f"Not a PostgreSQL URL: {url!r} ({exc}).") from None
    if not parts.path.strip("/"):
        raise InvalidInput(f"The URL {url!r} names no database; add /database_name.")
    return url


@dataclass(frozen=True)
class DatabaseChoice:
    """Either a shared server's URL, or None for the embedded database in the data folder."""

    dsn: str | None
    source: str

    @property
    def embedded(self) -> bool:
        return self.dsn is None


def _read_config(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"The settings file {path} cannot be read: {exc}.") from None


def read_config_dsn(path: Path | None = None) -> str | None:
    dsn = _read_config(path or config_file()).get("database", {}).get("url")
    return dsn or None


def read_config_time_zone(path: Path | None = None) -> str | None:
    zone = _read_config(path or config_file()).get("desk", {}).get("time_zone")
    return zone or None


def _write_config(path: Path, dsn: str | None, zone: str | None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "[database]\n" + (f"url = {json.dumps(dsn)}\n" if dsn else "")  # a JSON string is a TOML string
    if zone:
        text += f"\n[desk]\ntime_zone = {json.dumps(zone)}\n"
    path.write_text(text, encoding="utf-8")
    return path


def write_config_dsn(dsn: str | None, path: Path | None = None) -> Path:
    """Saves the shared server's URL (without a password), or clears it to use the embedded database."""
    path = path or config_file()
    if dsn is not None:
        validate_dsn(dsn)
        if urlsplit(dsn).password:
            raise InvalidInput("Do not save a password in the settings file; the app asks for it at login.")
    return _write_config(path, dsn, read_config_time_zone(path))


def write_config_time_zone(zone: str | None, path: Path | None = None) -> Path:
    """Saves the desk's time zone (an IANA name), or clears it to follow the computer's."""
    path = path or config_file()
    if zone is not None:
        time_zone(zone)
    return _write_config(path, read_config_dsn(path), zone)


def computer_time_zone() -> str:
    """This computer's IANA time zone (tzlocal reads it on Windows, macOS and Linux alike); UTC if it has none."""
    try:
        name = tzlocal.get_localzone_name()
        time_zone(name or "")
        return name
    except (InvalidInput, LookupError, ValueError, OSError):
        return "UTC"


def desk_time_zone() -> str:
    """The IANA time zone this desk books in and shows times in: TUTOR_DESKTOP_TIME_ZONE, then `[desk] time_zone`
    in the settings file, then the computer's own. A name that is no IANA zone is an InvalidInput."""
    env = os.environ.get(TIME_ZONE_ENV)
    if env:
        time_zone(env)
        return env
    from_file = read_config_time_zone()
    if from_file:
        time_zone(from_file)
        return from_file
    return computer_time_zone()


def choose_database(cli_dsn: str | None = None) -> DatabaseChoice:
    """--dsn, then TUTOR_DESKTOP_DSN, then the settings file; otherwise the embedded database."""
    if cli_dsn:
        return DatabaseChoice(validate_dsn(cli_dsn), "--dsn")
    env = os.environ.get(DSN_ENV)
    if env:
        return DatabaseChoice(validate_dsn(env), DSN_ENV)
    from_file = read_config_dsn()
    if from_file:
        return DatabaseChoice(validate_dsn(from_file), str(config_file()))
    return DatabaseChoice(None, "embedded")


LOGIN_FILE_NAME = "login.toml"


def remembered_login(path: Path | None = None) -> str:
    """The staff login name last used at this desk ('' if none): the login dialog fills it in."""
    path = path or config_dir() / LOGIN_FILE_NAME
    try:
        return str(tomllib.loads(path.read_text(encoding="utf-8")).get("login", {}).get("name", ""))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return ""


def remember_login(name: str, path: Path | None = None) -> None:
    path = path or config_dir() / LOGIN_FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"[login]\nname = {json.dumps(name)}\n", encoding="utf-8")
