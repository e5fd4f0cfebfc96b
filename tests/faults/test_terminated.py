"""The operating system ends the app (logout, shutdown, `kill -TERM`, Ctrl+C): it closes as a normal close does
and stops the embedded PostgreSQL it started, instead of leaving it running for ever."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .postmaster import is_running, pg_ctl, postmaster_pid, wait_gone

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def start_app(folder: Path) -> tuple[subprocess.Popen, Path]:
    """The app on a fresh data folder, the demo studio loaded without asking; returns it once its main window
    has painted."""
    painted = folder / "painted.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TUTOR_DESKTOP_DATA_DIR": str(folder / "data"),
           "TUTOR_DESKTOP_CONFIG_DIR": str(folder / "config"), "TUTOR_DESKTOP_FIRST_RUN": "demo",
           "TUTOR_DESKTOP_REPORT_STARTUP": str(painted)}
    env.pop("TUTOR_DESKTOP_DSN", None)
    child = subprocess.Popen([sys.executable, "-m", "tutor_desktop"], cwd=PROJECT_ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not painted.exists():
        if child.poll() is not None:
            pytest.fail(f"the app ended before its window showed: {child.stderr.read()[-2000:]}", pytrace=False)
        if time.monotonic() > deadline:
            child.kill()
            pytest.fail("the main window did not show within 120 s", pytrace=False)
        time.sleep(0.1)
    return child, folder / "data" / "pgdata"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_terminated_app_stops_the_embedded_server_it_started(tmp_path, sig):
    if os.environ.get("TUTOR_DESKTOP_TEST_DSN"):
        pytest.skip("the embedded server is what is checked")
    child, pgdata = start_app(tmp_path)
    server = postmaster_pid(pgdata)
    assert server is not None and is_running(server), "the app runs its own server"
    child.send_signal(sig)
    try:
        code = child.wait(60)
        assert code == 0, f"the app did not close as a normal close does: {child.stderr.read()[-2000:]}"
        assert wait_gone(server, 30), "the embedded server is still running after the app ended"
        assert postmaster_pid(pgdata) is None
    finally:
        if child.poll() is None:
            child.kill()
        if postmaster_pid(pgdata) is not None:  # do not leave a server behind when the check fails
            pg_ctl(pgdata, "-m", "fast", "-w", "stop")
