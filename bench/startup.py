"""Start-up: from process start to the embedded server up, migrations checked and the first query answered,
on a fresh data folder (first run: initdb) and on an existing one; and the idle memory of the process plus the
PostgreSQL processes it runs.

    uv run python bench/startup.py [--quick]

Each start is a new Python process (started directly with this interpreter, so `uv run`'s own start is not
counted) that reports how long each stage took since the operating system created it. The desktop main window
does not exist yet: when it does, its first paint becomes the last stage of `child()`, and the targets below
then apply to it as written.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

EXISTING_STARTS = 5


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
    # The main window's first paint goes here once the desktop window exists.
    time.sleep(1.0)  # idle
    print(json.dumps({"stages": stages, "first_run": db.server.first_run, "memory": memory(db.server.pid)}))
    engine.dispose()
    db.close()


def memory(postmaster: int) -> dict[str, float]:
    """MiB: this process, and the postmaster with its children; PSS shares shared memory out fairly."""
    processes = [psutil.Process()]
    server = psutil.Process(postmaster)
    servers = [server, *server.children(recursive=True)]
    mib = 2**20

    def total(procs, field: str) -> float:  # noqa: ANN001
        return sum(getattr(p.memory_full_info(), field) for p in procs) / mib

    return {"app_rss": total(processes, "rss"), "server_rss": total(servers, "rss"),
            "app_pss": total(processes, "pss"), "server_pss": total(servers, "pss"), "server_processes": len(servers)}


def start_once(data_dir: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(data_dir)], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run(_srv=None, quick: bool = False):  # noqa: ANN001, ANN201 - a common.Section
    from common import Section, Target  # not at the top: the measured child must not pay for it

    with tempfile.TemporaryDirectory(prefix="tutor-startup-") as folder:
        data_dir = Path(folder) / "data"
        first = start_once(data_dir)
        assert first["first_run"]
        existing = [start_once(data_dir) for _ in range(2 if quick else EXISTING_STARTS)]
    assert not any(e["first_run"] for e in existing)
    stages = list(first["stages"])
    rows = [["first run (fresh folder)", *(f"{first['stages'][s]:.2f} s" for s in stages)],
            [f"existing folder (median of {len(existing)})",
             *(f"{statistics.median(e['stages'][s] for e in existing):.2f} s" for s in stages)]]
    for row in rows:
        print(" | ".join(row), flush=True)
    ready_existing = statistics.median(e["stages"][stages[-1]] for e in existing)
    ready_first = first["stages"][stages[-1]]
    mem = existing[-1]["memory"]
    idle_pss = mem["app_pss"] + mem["server_pss"]
    return Section(
        title="Start-up",
        intro=("From the moment the operating system creates the app's process to each stage: Python imports, the "
               "embedded server up with migrations checked and the desk login ensured, the first query answered "
               "(every package with its client). The main window does not exist yet; its first paint will be "
               "the last stage."),
        headers=["start", *stages],
        rows=rows,
        targets=[
            Target("existing database: under 2 s (to the first query; the window's paint comes later)",
                   f"{ready_existing:.2f} s", ready_existing < 2.0),
            Target("first run: under 10 s", f"{ready_first:.2f} s", ready_first < 10.0),
            Target("idle memory under 200 MB (app + server, PSS)", f"{idle_pss:.0f} MiB", idle_pss * 2**20 < 200e6),
        ],
        notes=(f"Idle memory after the first query: the app process {mem['app_pss']:.0f} MiB PSS "
               f"({mem['app_rss']:.0f} MiB RSS); the embedded server's {mem['server_processes']} processes "
               f"{mem['server_pss']:.0f} MiB PSS ({mem['server_rss']:.0f} MiB RSS, which counts the shared buffers "
               "once per process). PSS divides shared pages among the processes that share them, so it adds up "
               "to what the machine actually spends."),
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]))
    else:
        from common import arguments

        args = arguments(__doc__.splitlines()[0])
        run(None, args.quick).print()
