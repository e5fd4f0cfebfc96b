"""Import from a spreadsheet: 2,000 clients, then 2,000 packages with sessions used before (one ledger row each),
into a studio of 200,000 sessions, timed from the CSV file on disk to the database's answer (read, sniff, map,
check every row, add all in one call). Also the dry run and the same files again (which add nothing).

    uv run python bench/import_bulk.py [--dsn ADMIN_URL] [--quick]
"""

from __future__ import annotations

import csv
import tempfile
import time
from pathlib import Path

import psycopg

from common import APP_LOGIN, Section, Target, arguments, server  # noqa: I001

from tutor_desktop.db.bootstrap import create_first_admin
from tutor_desktop.db.engine import make_engine
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import ImportKind, ImportResult
from tutor_desktop.portability.mapping import guess_mapping, rows_for_import
from tutor_desktop.portability.spreadsheet import read_sheet

ROWS = 2_000
TUTORS = 20


def seed(admin_url: str, sessions: int) -> None:
    """A studio of `sessions` past sessions: 20 tutors, one client per 20 sessions, one package each."""
    create_first_admin(admin_url, "Front Desk", APP_LOGIN)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("INSERT INTO tutor.staff (display_name, role, teaches)"
                     " SELECT 'Tutor ' || n, 'tutor', true FROM generate_series(1, %s) n", (TUTORS,))
        conn.execute("INSERT INTO tutor.clients (full_name, email) SELECT 'Client ' || n, 'client' || n ||"
                     " '@example.com' FROM generate_series(1, %s) n", (sessions // 20,))
        conn.execute("INSERT INTO tutor.packages (client_id, label, sessions_total, purchased_at)"
                     " SELECT id, 'Fifty', 50, now() - interval '3 years' FROM tutor.clients")
        conn.execute(
            "INSERT INTO tutor.sessions (client_id, tutor_id, starts_at, ends_at, status)"
            " SELECT 1 + (k %% %s), t.id, now() - (k / %s + 1) * interval '1 hour' - interval '1 hour',"
            "        now() - (k / %s + 1) * interval '1 hour', 'done'"
            "   FROM generate_series(0, %s - 1) k"
            "   JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS r FROM tutor.staff WHERE role = 'tutor') t"
            "     ON t.r = k %% %s",
            (sessions // 20, TUTORS, TUTORS, sessions, TUTORS))
        conn.execute("VACUUM ANALYZE")


def write_files(folder: Path, rows: int) -> tuple[Path, Path]:
    clients, packages = folder / "clients.csv", folder / "packages.csv"
    with clients.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f, delimiter=";")
        out.writerow(["Id", "Name", "E-mail", "Phone", "Notes"])
        out.writerows([f"S-{n}", f"Élève Núñez {n}", f"eleve{n}@example.com", f"+34 600 {n:06d}", "imported"]
                      for n in range(rows))
    with packages.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(["External id", "Client external id", "Package", "Sessions", "Used", "Purchase date", "Expires"])
        out.writerows([f"P-{n}", f"S-{n}", "Ten lessons", "10", str(n % 11), f"20{20 + n % 6}-0{1 + n % 9}-1{n % 10}",
                       "" if n % 3 else f"20{21 + n % 6}-0{1 + n % 9}-1{n % 10}"] for n in range(rows))
    return clients, packages


def from_file(repo: Repository, kind: ImportKind, path: Path, dry_run: bool) -> tuple[ImportResult, float]:
    started = time.perf_counter()
    sheet = read_sheet(path)
    rows = rows_for_import(kind, sheet, guess_mapping(kind, sheet.headers))
    result = repo.import_rows(kind, rows, dry_run=dry_run, time_zone="Europe/Madrid")
    return result, time.perf_counter() - started


def run(srv, quick: bool = False) -> Section:  # noqa: ANN001
    sessions = 20_000 if quick else 200_000
    admin_url, desk_url = srv.fresh_database("import")
    started = time.perf_counter()
    seed(admin_url, sessions)
    print(f"seeded {sessions:,} sessions in {time.perf_counter() - started:.0f} s", flush=True)
    engine = make_engine(desk_url, pool_size=1)
    repo = Repository(engine)
    rows, measured = [], {}
    try:
        with tempfile.TemporaryDirectory(prefix="tutor-import-") as folder:
            files = dict(zip((ImportKind.CLIENTS, ImportKind.PACKAGES), write_files(Path(folder), ROWS)))
            for step, dry_run in (("dry run (check only)", True), ("import", False), ("the same file again", False)):
                for kind, path in files.items():
                    if dry_run and kind is ImportKind.PACKAGES:
                        continue  # its clients are not there yet
                    result, seconds = from_file(repo, kind, path, dry_run)
                    assert not result.problems, result.problems[:3]
                    measured[(step, kind)] = seconds
                    rows.append([step, str(kind), f"{ROWS:,}", f"{result.added:,}", f"{result.existing:,}",
                                 f"{seconds:.2f} s", f"{ROWS / seconds:,.0f}"])
                    print(" | ".join(rows[-1]), flush=True)
        assert repo.reconcile() == []
        ledger = repo.rows("SELECT count(*) AS n FROM tutor.package_ledger WHERE kind = 'used_before'")[0].n
    finally:
        engine.dispose()
    both = measured[("import", ImportKind.CLIENTS)] + measured[("import", ImportKind.PACKAGES)]
    return Section(
        title="Import",
        intro=(f"A spreadsheet of {ROWS:,} clients (semicolons, a byte order mark, accented names) and one of "
               f"{ROWS:,} packages (commas; 0 to 10 sessions used before, {ledger:,} opening ledger rows in all; a "
               "third with an expiry a year after the purchase, most of them past) imported through the repository "
               f"into a studio of {sessions:,} sessions, {sessions // 20:,} clients and {TUTORS} tutors. Each time "
               "runs from the file on disk to the database's answer: read and sniff the file, map its columns from "
               "the header, send "
               "every row in one call that checks each row and then adds all of them or none. Reconcile is empty "
               "afterwards."),
        headers=["step", "file", "rows", "added", "already there", "time", "rows/s"],
        rows=rows,
        targets=[Target(f"{ROWS:,} clients and {ROWS:,} packages imported in under 2 s", f"{both:.2f} s",
                        both < 2.0)],
    )


if __name__ == "__main__":
    args = arguments(__doc__.splitlines()[0])
    with server(args.dsn) as s:
        run(s, args.quick).print()
