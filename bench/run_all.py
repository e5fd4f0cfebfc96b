"""Runs every benchmark on one embedded server (or --dsn) and writes docs/benchmarks.md.

    uv run python bench/run_all.py [--dsn ADMIN_URL] [--quick] [--only NAME ...]

--only re-runs the named benchmarks and replaces just their sections in the existing docs/benchmarks.md.
A benchmark is a module in bench/ with run(server, quick) -> common.Section; those listed in BENCHMARKS whose
file does not exist yet are listed as not measured.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
import time
from pathlib import Path

from common import ROOT, machine_and_versions, server

BENCHMARKS = {
    "contention": "Contention",
    "click_to_count": "Click to count",
    "auto_complete": "Auto-complete",
    "calendar_week": "Calendar",
    "startup": "Start-up",
    "import_bulk": "Import",
    "backup_restore": "Backup and restore",
    "reports": "Reports",
    "feed_scale": "Scale",
}
NOT_YET = {
    "click_to_count": ("Not measured yet: the client window does not exist. `bench/click_to_count.py`, with "
                       "`run(server, quick)` returning a `Section` (QTest, offscreen: click *Use 1 session* 500 "
                       "times, time until the remaining label shows the new count, against a bare psycopg call of "
                       "the same function; target: p99 no more than 3 x the bare call plus one frame, 16 ms), is "
                       "picked up by this script; `--only click_to_count` adds its section to this page."),
}
DOC = ROOT / "docs" / "benchmarks.md"


def block(name: str, body: str) -> str:
    return f"<!-- bench:{name} -->\n{body.rstrip()}\n<!-- /bench:{name} -->\n"


def measure(name: str, srv, quick: bool) -> str:  # noqa: ANN001
    if not (Path(__file__).parent / f"{name}.py").exists():
        return f"## {BENCHMARKS[name]}\n\n{NOT_YET.get(name, 'Not measured yet.')}\n"
    print(f"--- {name}", flush=True)
    started = time.perf_counter()
    section = importlib.import_module(name).run(srv, quick)
    print(f"--- {name} took {time.perf_counter() - started:.0f} s", flush=True)
    return section.markdown()


def header(server_version: str, quick: bool) -> str:
    lines = ["# Benchmarks", "",
             "Measured by `uv run python bench/run_all.py` on the machine below, each benchmark on a fresh database of "
             "an embedded PostgreSQL in a temporary folder. Ratios compare figures taken in the same run, so a busy "
             "machine moves both sides.", ""]
    if quick:
        lines += ["**Quick run (--quick): smaller sizes and shorter runs; not the figures the targets are about.**", ""]
    lines += ["| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in machine_and_versions(server_version)]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", help="admin URL of a PostgreSQL server to run on (default: an embedded one)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes and shorter runs, to try the scripts")
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), help="re-run these and merge their sections")
    args = parser.parse_args()
    with server(args.dsn) as srv:
        if args.only and DOC.exists():
            text = DOC.read_text()
            for name in args.only:
                new = block(name, measure(name, srv, args.quick))
                pattern = re.compile(rf"<!-- bench:{name} -->.*?<!-- /bench:{name} -->\n", re.S)
                text = pattern.sub(lambda _m, new=new: new, text) if pattern.search(text) else text + "\n" + new
        else:
            parts = [header(srv.version(), args.quick)]
            parts += [block(name, measure(name, srv, args.quick)) for name in args.only or BENCHMARKS]
            text = "\n".join(parts)
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text)
    print(f"wrote {DOC}")


if __name__ == "__main__":
    sys.exit(main())
