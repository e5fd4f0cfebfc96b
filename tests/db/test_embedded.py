"""Tests for tutor_desktop.db.embedded against real PostgreSQL servers (no mocks).

One cluster is initialised per module and reused; every test leaves it stopped.
Run with -s to see the measured start / attach times.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import psycopg
import pytest

from tutor_desktop.db.embedded import EmbeddedServer, EmbeddedServerError

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# A second app process: start the server, report the postmaster pid, then act on the mode.
CHILD_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tutor_desktop.db.embedded import EmbeddedServer

    data_dir, mode = Path(sys.argv[1]), sys.argv[2]
    server = EmbeddedServer(data_dir)
    server.start()
    print(server.pid, flush=True)
    if mode == "stop-then-exit":
        server.stop()
        print("stopped", flush=True)
    sys.stdin.readline()  # hold until the test says go (or SIGKILLs us)
    """
)


def spawn_child(data_dir: Path, mode: str) -> tuple[subprocess.Popen[str], int]:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD_SCRIPT, str(data_dir), mode],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = child.stdout.readline()
    if not line.strip().isdigit():
        child.kill()
        child.wait()
        pytest.fail(f"child did not start the server (got {line!r})")
    return child, int(line)


def end_child(child: subprocess.Popen[str]) -> None:
    if child.poll() is None:
        child.kill()
    child.wait(timeout=30)


def is_alive(pid: int) -> bool:
    # Postmasters are re-parented to PID 1, which may never reap them: count zombies as gone.
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def wait_gone(pid: int, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while is_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def handle_pids(data_dir: Path) -> list[int]:
    path = data_dir / "pgdata" / ".handle_pids.json"
    return json.loads(path.read_text() or "[]") if path.exists() else []


def select_one(server: EmbeddedServer, database: str = "postgres") -> str:
    with psycopg.connect(server.superuser_url(database), connect_timeout=10) as conn:
        row = conn.execute("SELECT current_database()").fetchone()
    assert row is not None
    return row[0]


def timed_start(server: EmbeddedServer, label: str) -> None:
    began = time.perf_counter()
    server.start()
    print(f"\n[embedded] {label}: {time.perf_counter() - began:.3f} s")


@pytest.fixture(scope="module")
def cluster_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An initialised, stopped cluster. The space in the name is deliberate (macOS "Application Support")."""
    data_dir = tmp_path_factory.mktemp("tutor desk")
    server = EmbeddedServer(data_dir)
    try:
        timed_start(server, "first run (initdb + start)")
        assert server.first_run
        pid = server.pid
        assert pid is not None and select_one(server) == "postgres"
    finally:
        server.stop()
    assert wait_gone(pid)
    return data_dir


def test_restart_on_existing_cluster(cluster_dir: Path) -> None:
    server = EmbeddedServer(cluster_dir)
    try:
        timed_start(server, "restart of a stopped cluster")
        assert not server.first_run
        pid = server.pid
        assert pid is not None and is_alive(pid)
        server.start()  # idempotent
        assert server.pid == pid
        assert select_one(server) == "postgres"
        assert select_one(server, "template1") == "template1"
        assert handle_pids(cluster_dir) == [os.getpid()]
        assert (cluster_dir / "pgserver.lock").is_file()
        assert server.socket_dir.is_dir()
    finally:
        server.stop()
    assert wait_gone(pid)
    assert server.pid is None
    assert handle_pids(cluster_dir) == []
    server.stop()  # idempotent


def test_context_manager_starts_and_stops(cluster_dir: Path) -> None:
    with EmbeddedServer(cluster_dir) as server:
        pid = server.pid
        assert server.superuser_url().startswith("postgresql://postgres@/postgres?host=")
        assert select_one(server) == "postgres"
    assert pid is not None and wait_gone(pid)


def test_not_started_server_has_no_url(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path)
    assert server.pid is None
    with pytest.raises(EmbeddedServerError):
        server.superuser_url()


@pytest.mark.skipif(os.geteuid() != 0, reason="the root path only runs as root")
def test_root_warning_logged_once_per_start(cluster_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="tutor_desktop.embedded")
    server = EmbeddedServer(cluster_dir)

    def root_warnings() -> list[logging.LogRecord]:
        return [r for r in caplog.records if r.name == "tutor_desktop.embedded" and "root" in r.getMessage()]

    try:
        server.start()
        server.start()
        assert len(root_warnings()) == 1
        assert "chmod o+rx" in root_warnings()[0].getMessage()
        server.stop()
        server.start()
        assert len(root_warnings()) == 2
    finally:
        server.stop()


def test_second_instance_in_process_attaches_and_last_stop_stops(cluster_dir: Path) -> None:
    first, second = EmbeddedServer(cluster_dir), EmbeddedServer(cluster_dir)
    try:
        first.start()
        timed_start(second, "attach, second instance in the same process")
        pid = first.pid
        assert pid is not None and second.pid == pid
        assert not second.first_run
        first.stop()
        assert is_alive(pid), "the first stop must not stop a server another instance still uses"
        assert select_one(second) == "postgres"
        second.stop()
        assert wait_gone(pid)
        # Starting again after both stopped gives a fresh server, not the stale state.
        first.start()
        assert first.pid not in (None, pid)
        assert select_one(first) == "postgres"
    finally:
        first.stop()
        second.stop()
    assert handle_pids(cluster_dir) == []


def test_pid_of_killed_process_is_pruned_on_start(cluster_dir: Path) -> None:
    child, pid = spawn_child(cluster_dir, "hold")
    server = EmbeddedServer(cluster_dir)
    try:
        assert handle_pids(cluster_dir) == [child.pid]
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        assert is_alive(pid), "the postmaster outlives the app that started it"
        assert handle_pids(cluster_dir) == [child.pid], "the package leaves the dead pid behind"

        timed_start(server, "attach, server started by another (killed) process")
        assert server.pid == pid
        assert not server.first_run
        assert select_one(server) == "postgres"
        assert handle_pids(cluster_dir) == [os.getpid()]
    finally:
        end_child(child)
        server.stop()
    assert wait_gone(pid), "stop() must stop a server whose other handle died"
    assert handle_pids(cluster_dir) == []


def test_dead_pid_is_pruned_on_stop(cluster_dir: Path) -> None:
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    dead_pid = finished.pid
    assert not psutil.pid_exists(dead_pid)
    server = EmbeddedServer(cluster_dir)
    try:
        server.start()
        pid = server.pid
        list_path = cluster_dir / "pgdata" / ".handle_pids.json"
        list_path.write_text(json.dumps([dead_pid, os.getpid()]))
    finally:
        server.stop()
    assert pid is not None and wait_gone(pid)
    assert handle_pids(cluster_dir) == []


def test_package_atexit_is_harmless_after_stop(cluster_dir: Path) -> None:
    child, _ = spawn_child(cluster_dir, "stop-then-exit")
    server = EmbeddedServer(cluster_dir)
    try:
        assert child.stdout.readline().strip() == "stopped"
        server.start()  # a server the child never saw
        pid = server.pid
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.wait(timeout=30) == 0  # runs the child's atexit handlers
        assert server.pid == pid and is_alive(pid)
        assert select_one(server) == "postgres"
        assert handle_pids(cluster_dir) == [os.getpid()]
    finally:
        end_child(child)
        server.stop()
    assert pid is not None and wait_gone(pid)


def test_exit_without_stop_still_stops_the_server(cluster_dir: Path) -> None:
    child, pid = spawn_child(cluster_dir, "hold")
    try:
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.wait(timeout=30) == 0
    finally:
        end_child(child)
    assert wait_gone(pid)
    assert handle_pids(cluster_dir) == []


def test_data_dir_that_is_a_file(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "not-a-folder"
    not_a_folder.write_text("x")
    server = EmbeddedServer(not_a_folder)
    with pytest.raises(EmbeddedServerError) as caught:
        server.start()
    message = str(caught.value)
    assert str(not_a_folder) in message and "\n" not in message
    assert server.pid is None
    server.stop()  # nothing to stop, no error


def test_cluster_from_another_major_version(tmp_path: Path) -> None:
    pgdata = tmp_path / "pgdata"
    pgdata.mkdir()
    (pgdata / "PG_VERSION").write_text("15\n")
    with pytest.raises(EmbeddedServerError, match="PostgreSQL 15") as caught:
        EmbeddedServer(tmp_path).start()
    assert str(pgdata) in str(caught.value)


def test_failed_start_points_at_server_log(cluster_dir: Path) -> None:
    config = cluster_dir / "pgdata" / "postgresql.conf"
    original = config.read_text()
    server = EmbeddedServer(cluster_dir)
    try:
        with config.open("a") as f:  # appending keeps the file's owner (the pgserver user when root)
            f.write("\nno_such_setting_for_tests = 1\n")
        with pytest.raises(EmbeddedServerError) as caught:
            server.start()
        message = str(caught.value)
        assert "\n" not in message
        assert f"See the server log: {cluster_dir / 'pgdata' / 'log'}" in message
        assert server.pid is None
    finally:
        with config.open("r+") as f:
            f.write(original)
            f.truncate()
    try:
        server.start()  # the failure left nothing behind that blocks the next start
        pid = server.pid
        assert select_one(server) == "postgres"
    finally:
        server.stop()
    assert pid is not None and wait_gone(pid)
