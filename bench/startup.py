"""Start-up: from process start to the first painted main window of the app (`python -m tutor_desktop`,
offscreen), on a fresh data folder (first run: initdb, then the demo studio) and on an existing one; the idle
memory of the app's process plus the PostgreSQL processes it runs; and, as a breakdown, how long the database
part alone takes (embedded server up, migrations checked, first query).

    uv run python bench/startup.py [--quick]

Each start is a new Python process started directly with this interpreter, so `uv run`'s own start is not
counted; times are taken from the moment the operating system created the process (psutil's create_time). The
app reports its main window's first paint through TUTOR_DESKTOP_REPORT_STARTUP, quits by itself through
TUTOR_DESKTOP_QUIT_AFTER, and on a fresh folder loads the demo studio without asking through
TUTOR_DESKTOP_FIRST_RUN=demo (tutor_desktop/gui/startup_report.py).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

EXISTING_STARTS = 5
IDLE_SECONDS = 1.5  # after the first paint, before the memory is read
QUIT_AFTER = 3.0  # the app quits by itself this long after its first paint


def child(data_dir: Path) -> None:
    created = psutil.Process().create_time()
    stages: dict[str, float] = {}

    def reached(stage: str) -> None:
        stages[stage] = time.time() - created

    from tutor_desktop.db.bootstrap import open_embedded
    from tutor_desktop.db.engine import make_engine
    from tutor_desktop.db.repository import Repository

    reached("imports")
    db = open_embedded(data_dir)
    reached("server up, migrations checked")
    engine = make_engine(db.app_url)
    Repository(engine).studio_packages()
    reached("first query")
    time.sleep(1.0)  # idle
    print(json.dumps({"stages": stages, "first_run": db.server.first_run, "memory": memory(db.server.pid)}))
    engine.dispose()
    db.close()


def memory(postmaster: int, app: psutil.Process | None = None) -> dict[str, float]:
    """MiB: the app's process, and the postmaster with its children; PSS shares shared memory out fairly."""
    processes = [app or psutil.Process()]
    server = psutil.Process(postmaster)
    servers = [server, *server.children(recursive=True)]
    mib = 2**20

    def total(procs, field: str) -> float:  # noqa: ANN001
        return sum(getattr(p.memory_full_info(), field) for p in procs) / mib

    return {"app_rss": total(processes, "rss"), "server_rss": total(servers, "rss"),
            "app_pss": total(processes, "pss"), "server_pss": total(servers, "pss"), "server_processes": len(servers)}


def app_once(folder: Path, label: str) -> dict:
    """Starts the app on folder's data and settings; the seconds from process start to its main window's first
    paint, and the memory once it has sat idle for IDLE_SECONDS."""
    report = folder / f"painted-{label}.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TUTOR_DESKTOP_")}
    env.update(QT_QPA_PLATFORM="offscreen", TUTOR_DESKTOP_DATA_DIR=str(folder / "data"),
               TUTOR_DESKTOP_CONFIG_DIR=str(folder / "config"), TUTOR_DESKTOP_REPORT_STARTUP=str(report),
               TUTOR_DESKTOP_QUIT_AFTER=str(QUIT_AFTER), TUTOR_DESKTOP_FIRST_RUN="demo")
    first_run = not (folder / "data" / "pgdata").exists()
    with (folder / f"app-{label}.log").open("w") as log:
        process = subprocess.Popen([sys.executable, "-m", "tutor_desktop"], env=env, stdout=log, stderr=log)
    try:
        created = psutil.Process(process.pid).create_time()
        deadline = time.monotonic() + 60
        while not report.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the app did not paint its main window: {(folder / f'app-{label}.log').read_text()}")
            time.sleep(0.01)
        time.sleep(0.05)  # the file is written in one call; let it land
        painted = json.loads(report.read_text())["main_window_painted"] - created
        time.sleep(IDLE_SECONDS)
        postmaster = int((folder / "data" / "pgdata" / "postmaster.pid").read_text().split()[0])
        mem = memory(postmaster, psutil.Process(process.pid))
        if process.wait(timeout=30) != 0:
            raise RuntimeError(f"the app exited with {process.returncode}")
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)
    return {"painted": painted, "first_run": first_run, "memory": mem}


def start_once(data_dir: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(data_dir)], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run(_srv=None, quick: bool = False):  # noqa: ANN001, ANN201 - a common.Section
    from common import Section, Target  # not at the top: the measured child must not pay for it

    starts = 2 if quick else EXISTING_STARTS
    with tempfile.TemporaryDirectory(prefix="tutor-startup-") as folder:
        app_first = app_once(Path(folder), "first")
        assert app_first["first_run"]
        print(f"app, first run: main window painted after {app_first['painted']:.2f} s", flush=True)
        app_existing = [app_once(Path(folder), f"again-{i}") for i in range(starts)]
        assert not any(a["first_run"] for a in app_existing)
        print("app, existing folder: " + ", ".join(f"{a['painted']:.2f} s" for a in app_existing), flush=True)
    with tempfile.TemporaryDirectory(prefix="tutor-startup-") as folder:
        data_dir = Path(folder) / "data"
        first = start_once(data_dir)
        assert first["first_run"]
        existing = [start_once(data_dir) for _ in range(starts)]
    assert not any(e["first_run"] for e in existing)

    painted = [a["painted"] for a in app_existing]
    ready_existing, worst_existing = statistics.median(painted), max(painted)
    ready_first = app_first["painted"]
    rows = [["app: process start to the main window's first paint", f"{ready_first:.2f} s",
             f"{ready_existing:.2f} s (slowest {worst_existing:.2f} s)"]]
    stages = list(first["stages"])
    rows += [[f"database part alone: {stage}", f"{first['stages'][stage]:.2f} s",
              f"{statistics.median(e['stages'][stage] for e in existing):.2f} s"] for stage in stages]
    for row in rows:
        print(" | ".join(row), flush=True)
    mem = app_existing[-1]["memory"]
    idle_pss = mem["app_pss"] + mem["server_pss"]
    first_mem = app_first["memory"]
    return Section(
        title="Start-up",
        intro=("From the moment the operating system creates the process to the first paint of the app's main "
               "window (`python -m tutor_desktop`, offscreen, its own data and settings folders): the startup "
               "window, the embedded server started (the first time: created with initdb), the migrations "
               "checked, the first week of the calendar loaded, the main window shown and painted. On the first "
               "run the app offers the demo studio or an empty one; here it loads the demo without asking "
               f"(`TUTOR_DESKTOP_FIRST_RUN=demo`). The existing folder is the first run's, with the demo studio, "
               f"started {len(app_existing)} times. The lower rows are the database part alone, in a process "
               "that only imports the database layer, opens the embedded server and answers one query (every "
               "package with its client), on a folder of its own."),
        headers=["from process start", "first run (fresh folder)", f"existing folder (median of {len(painted)})"],
        rows=rows,
        targets=[
            Target("existing database: main window painted in under 2 s (median)",
                   f"{ready_existing:.2f} s (slowest {worst_existing:.2f} s)", ready_existing < 2.0),
            Target("first run: main window painted in under 10 s (demo studio loaded)", f"{ready_first:.2f} s",
                   ready_first < 10.0),
            Target("idle memory under 200 MB (app + its PostgreSQL, PSS)", f"{idle_pss:.0f} MiB",
                   idle_pss * 2**20 < 200e6),
        ],
        notes=(f"Idle memory {IDLE_SECONDS:g} s after the main window's first paint, on the existing folder: the "
               f"app process {mem['app_pss']:.0f} MiB PSS ({mem['app_rss']:.0f} MiB RSS); the embedded server's "
               f"{mem['server_processes']} processes {mem['server_pss']:.0f} MiB PSS ({mem['server_rss']:.0f} MiB "
               "RSS, which counts the shared buffers once per process). After the first run: "
               f"{first_mem['app_pss'] + first_mem['server_pss']:.0f} MiB PSS in all. PSS divides shared pages "
               "among the processes that share them, so it adds up to what the machine actually spends. "
               "Offscreen, Qt draws into memory; on a desktop the window system's share (the window's buffers "
               "in the compositor) comes on top." + ("" if worst_existing < 2.0 else SLOW_START.format(
                   verdict=("The target is missed" if ready_existing >= 2.0 else
                            f"The target is met with a thin margin: the slowest of {len(painted)} starts took "
                            f"{worst_existing:.2f} s"), ready=ready_existing, imports=statistics.median(e["stages"]["imports"] for e in existing),
                   server=statistics.median(e["stages"][stages[1]] - e["stages"]["imports"] for e in existing)))),
    )


SLOW_START = """

**About the 2 s target.** {verdict}. The existing folder's start took {ready:.2f} s (median) to the main window's
first paint. In the database part alone, the imports take {imports:.2f} s (SQLAlchemy and psycopg about half a second
of it on this machine, PySide6 comes on top in the app) and the server's start with the migration check
{server:.2f} s; the rest is the first week's query, building the main window and its first paint, on 2 cores
that other jobs shared. What would give it room: start the embedded server first thing, before the window and
the database layer are imported (the server's start and the imports would then overlap), import SQLAlchemy's
dialect lazily, and build the calendar while the first week is read rather than after."""


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]))
    else:
        from common import arguments

        args = arguments(__doc__.splitlines()[0])
        run(None, args.quick).print()
