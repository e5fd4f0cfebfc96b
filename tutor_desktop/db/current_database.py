"""Which database of the embedded server holds the studio: `tutor_desk` until a restore switches to the
database it restored into; the switch is one small file in the data folder, replaced atomically."""

from __future__ import annotations

import json
from pathlib import Path

from tutor_desktop.db.backups.manifest import write_atomically

DEFAULT_DATABASE = "tutor_desk"
FILE_NAME = "database.json"


def current_database(data_dir: Path) -> str:
    try:
        name = json.loads((Path(data_dir) / FILE_NAME).read_text(encoding="utf-8")).get("name")
    except (OSError, ValueError, AttributeError):
        return DEFAULT_DATABASE
    return name if isinstance(name, str) and name else DEFAULT_DATABASE


def previous_database(data_dir: Path) -> str | None:
    try:
        return json.loads((Path(data_dir) / FILE_NAME).read_text(encoding="utf-8")).get("previous")
    except (OSError, ValueError, AttributeError):
        return None


def switch_database(data_dir: Path, name: str, previous: str | None) -> None:
    """From now on the desk opens `name`; `previous` is kept, for a person who wants to look back."""
    write_atomically(Path(data_dir) / FILE_NAME, json.dumps({"name": name, "previous": previous}) + "\n")
