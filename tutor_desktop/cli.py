"""The tutor-desktop command: database upkeep, the demo studio, auto-complete for timers, reconcile, and
the few front-desk actions a terminal is handy for. Expected failures are one line on stderr, exit 2."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from urllib.parse import urlsplit
from uuid import UUID

from tutor_desktop import cli_backups, cli_move, cli_portability, cli_report, cli_staff, config
from tutor_desktop.config import DatabaseChoice
from tutor_desktop.db.bootstrap import OpenDatabase, open_database
from tutor_desktop.db.demo import load_demo
from tutor_desktop.db.engine import make_engine, with_login
from tutor_desktop.db.mutations import REQUEST_WINDOW_DAYS
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import InvalidInput, PasswordRequired, SessionStatus, TutorDeskError
from tutor_desktop.zones import time_zone, wall_clock

EXIT_MISMATCH = 1
EXIT_ERROR = 2


def _uuid(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an id (expected something like 3f2c...-...)") from None


def _timestamp(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date and time (expected e.g. 2026-11-21T18:00)") from None
    return moment if moment.tzinfo else wall_clock(moment, config.desk_time_zone())


def _status(text: str) -> SessionStatus:
    try:
        return SessionStatus.from_code(text)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not the usage block
        self.exit(EXIT_ERROR, f"{self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tutor-desktop", description="Prepaid session packages that stay right.")
    parser.add_argument("--dsn", help="a shared server's postgresql:// URL instead of the embedded database")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    db = commands.add_parser("db", help="database upkeep").add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db.add_parser("upgrade", help="apply pending migrations")
    db.add_parser("url", help="print the URL of the database in use")

    commands.add_parser("overview", help="print every package; on a fresh local database, load the demo first")
    commands.add_parser("demo", help="load the demo studio (only into an empty studio)")
    auto = commands.add_parser("autocomplete", help="mark past upcoming sessions done (for a timer or cron)")
    auto.add_argument("--before", type=_timestamp, help="cut-off time (default: now)")
    commands.add_parser("prune", help=f"remove request ids older than {REQUEST_WINDOW_DAYS} days (admins)")
    commands.add_parser("reconcile", help="list packages whose count differs from their ledger; exit 1 if any")
    commands.add_parser("conflicts", help="list overlapping sessions of a tutor or client; exit 1 if any")
    commands.add_parser("packages", help="show every package and its balance")

    use = commands.add_parser("use", help="use one session of a package by hand")
    use.add_argument("package", type=_uuid)
    use.add_argument("--reason", default=None)
    reinstate = commands.add_parser("reinstate", help="give back the latest used session of a package")
    reinstate.add_argument("package", type=_uuid)
    reinstate.add_argument("--reason", default=None)
    mark = commands.add_parser("mark", help="set a session's status")
    mark.add_argument("session", type=_uuid)
    mark.add_argument("status", type=_status, help=", ".join(s.code for s in SessionStatus))
    mark.add_argument("--notes", default=None)

    staff_parsers = cli_staff.add_parsers(commands) + cli_backups.add_parsers(commands)
    more_parsers = cli_portability.add_parsers(commands) + cli_move.add_parsers(commands)
    cli_report.add_parser(commands)
    own_dsn = {commands.choices["move-to-server"]}  # its --dsn names the server to move to
    for child in {*db.choices.values(), *commands.choices.values(), *staff_parsers, *more_parsers} - own_dsn:
        child.add_argument("--dsn", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def _print_packages(repo: Repository) -> None:
    rows = repo.studio_packages()
    if not rows:
        print("No packages yet.")
        return
    print(f"{'Client':<22} {'Package':<18} {'Used':>9} {'Left':>5} {'Bookable':>9}  {'Status':<10} Package id")
    for client, package in rows:
        state = package.state.label.lower()
        print(
            f"{client.full_name[:22]:<22} {package.label[:18]:<18} {package.sessions_used:>4} / {package.sessions_total:<2}"
            f" {package.sessions_remaining:>5} {package.sessions_bookable:>9}  {state:<10} {package.id}"
        )


def _run(args: argparse.Namespace, opened: OpenDatabase) -> int:
    if args.command == "db":
        if args.db_command == "url":
            print(opened.app_url)
        else:
            print("Applied: " + ", ".join(opened.migrations_applied) if opened.migrations_applied else "Database is up to date.")
        return 0
    if args.command == "first-admin":
        return cli_staff.run_first_admin(opened.admin_url, args)
    if args.command == "move-to-server":
        return cli_move.run_move(opened, args)
    if args.command in cli_backups.COMMANDS:
        return cli_backups.run(args, opened, config.data_dir())
    engine = make_engine(opened.app_url)
    try:
        repo = Repository(engine)
        if args.command == "overview":
            return _overview(repo, embedded=opened.embedded)
        return _COMMANDS[args.command](repo, args)
    finally:
        engine.dispose()


def _overview(repo: Repository, *, embedded: bool) -> int:
    # Only the private embedded database gets the demo by itself; an empty shared server is a real studio.
    if embedded and load_demo(repo).loaded:
        print("First start: the demo studio was loaded.\n")
    return _packages(repo)


def _packages(repo: Repository, _args: argparse.Namespace | None = None) -> int:
    _print_packages(repo)
    return 0


def _demo(repo: Repository, _args: argparse.Namespace) -> int:
    result = load_demo(repo)
    if result.loaded:
        print(f"Demo studio loaded: {result.clients} clients, {result.sessions} sessions.")
    else:
        print("The studio already has data; the demo was not loaded again.")
    return 0


def _autocomplete(repo: Repository, args: argparse.Namespace) -> int:
    result = repo.auto_complete(args.before)
    print(f"completed {result.completed} sessions, used {result.deducted} package sessions, "
          f"skipped {result.skipped} held by another desk (a later run completes them)")
    return 0


def _prune(repo: Repository, _args: argparse.Namespace) -> int:
    print(f"removed {repo.prune_requests()} request ids older than {REQUEST_WINDOW_DAYS} days")
    return 0


def _reconcile(repo: Repository, _args: argparse.Namespace) -> int:
    mismatches = repo.reconcile()
    for m in mismatches:
        print(f"package {m.package_id}: counter {m.sessions_used}, ledger {m.ledger_sum}")
    print(f"{len(mismatches)} mismatches" if mismatches else "No mismatches: every counter equals its ledger.")
    return EXIT_MISMATCH if mismatches else 0


def _conflicts(repo: Repository, _args: argparse.Namespace) -> int:
    """One line per overlap, in the desk's time zone. Only sessions booked before overlaps were refused can."""
    zone = time_zone(config.desk_time_zone())
    conflicts = repo.schedule_conflicts()
    for c in conflicts:
        a, b = c.first, c.second
        start, end = a.starts_at.astimezone(zone), a.ends_at.astimezone(zone)
        other, other_end = b.starts_at.astimezone(zone), b.ends_at.astimezone(zone)
        print(f"{start:%a} {start.day} {start:%b %Y} {start:%H:%M}–{end:%H:%M} {a.tutor_name} with {a.client_name}"
              f" overlaps {other:%a} {other.day} {other:%b} {other:%H:%M}–{other_end:%H:%M} {b.tutor_name} with"
              f" {b.client_name} (sessions {a.id} and {b.id})")
    print(f"{len(conflicts)} overlaps" if conflicts else "No overlaps: no tutor or client is booked twice at once.")
    return EXIT_MISMATCH if conflicts else 0


def _counts(remaining: int | None, total: int | None, used: int | None) -> str:
    return f"{remaining} of {total} left ({used} used)." if total is not None else "No package."


def _use(repo: Repository, args: argparse.Namespace) -> int:
    b = repo.use_session(args.package, reason=args.reason)
    head = "Used one session." if b.applied else f"Not used: {b.message}"
    print(head, _counts(b.sessions_remaining, b.sessions_total, b.sessions_used))
    return 0 if b.applied else EXIT_ERROR


def _reinstate(repo: Repository, args: argparse.Namespace) -> int:
    b = repo.reinstate_session(args.package, reason=args.reason)
    head = "Reinstated one session." if b.applied else f"Not reinstated: {b.message}"
    print(head, _counts(b.sessions_remaining, b.sessions_total, b.sessions_used))
    return 0 if b.applied else EXIT_ERROR


def _mark(repo: Repository, args: argparse.Namespace) -> int:
    c = repo.set_session_status(args.session, args.status, args.notes)
    print(f"Session is now {c.session_status.label}.", c.message,
          _counts(c.sessions_remaining, c.sessions_total, c.sessions_used))
    return 0


_COMMANDS: dict[str, Callable[[Repository, argparse.Namespace], int]] = {
    "packages": _packages,
    "demo": _demo,
    "autocomplete": _autocomplete,
    "prune": _prune,
    "reconcile": _reconcile,
    "conflicts": _conflicts,
    "use": _use,
    "reinstate": _reinstate,
    "mark": _mark,
    "staff": cli_staff.run_staff,
    **cli_portability.COMMANDS,
    "report": cli_report.run_report,
}


def _open(choice: DatabaseChoice) -> OpenDatabase:
    """The database, asking for the login's password in a terminal when the server wants one."""
    try:
        return open_database(choice, config.data_dir())
    except PasswordRequired:
        if not sys.stdin.isatty():
            raise PasswordRequired("The server asks for a password for this login. Run the command in a terminal "
                                   "to be asked, or set PGPASSWORD (or use ~/.pgpass) in scripts.") from None
    login = urlsplit(choice.dsn).username or getpass.getuser()
    password = getpass.getpass(f"Password for {login}: ")
    return open_database(DatabaseChoice(with_login(choice.dsn, login, password), choice.source), config.data_dir())


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:  # no command: the desktop app
        from tutor_desktop.app import run

        return run(args.dsn)
    opened = None
    try:
        opened = _open(config.choose_database(args.dsn))
        return _run(args, opened)
    except TutorDeskError as exc:
        print(f"tutor-desktop: {exc.message}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    finally:
        if opened is not None:
            opened.close()


if __name__ == "__main__":
    sys.exit(main())
