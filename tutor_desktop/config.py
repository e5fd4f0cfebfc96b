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

from tutor_desktop.domain import InvalidInput

APP_NAME = "tutor-desktop"
DSN_ENV = "TUTOR_DESKTOP_DSN"
DATA_DIR_ENV = "TUTOR_DESKTOP_DATA_DIR"
CONFIG_DIR_ENV = "TUTOR_DESKTOP_CONFIG_DIR"
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


def read_config_dsn(path: Path | None = None) -> str | None:
    path = path or config_file()
    if not path.exists():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"The settings file {path} cannot be read: {exc}.") from None
    dsn = data.get("database", {}).get("url")
    return dsn or None


def write_config_dsn(dsn: str | None, path: Path | None = None) -> Path:
    """Saves the shared server's URL (without a password), or clears it to use the embedded database."""
    path = path or config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    if dsn is None:
        path.write_text("[database]\n", encoding="utf-8")
    else:
        validate_dsn(dsn)
        if urlsplit(dsn).password:
            raise InvalidInput("Do not save a password in the settings file; the app asks for it at login.")
        path.write_text(f"[database]\nurl = {json.dumps(dsn)}\n", encoding="utf-8")  # a JSON string is a TOML string
    return path


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
