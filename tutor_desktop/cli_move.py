"""`tutor-desktop move-to-server`: this computer's studio moved to a studio server, and this desk pointed at it."""

from __future__ import annotations

import argparse
import sys

from tutor_desktop import config, credentials
from tutor_desktop.cli_staff import read_password
from tutor_desktop.db.bootstrap import EMBEDDED_APP_ROLE, OpenDatabase
from tutor_desktop.db.moving import move_to_server, server_label
from tutor_desktop.domain import InvalidInput


def add_parsers(commands: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    move = commands.add_parser("move-to-server", help="copy this computer's studio to an empty studio server and "
                                                      "use the server from now on")
    move.add_argument("--dsn", dest="target_dsn", required=True, metavar="URL",
                      help="a superuser URL of the server's (empty) database, e.g. postgresql://postgres@host/studio")
    move.add_argument("--login", help="your login on the server, as the studio's admin (asked for if not given)")
    return []  # its --dsn is the target's, not the shared option that chooses this desk's database


def _ask_login() -> str:
    if not sys.stdin.isatty():
        raise InvalidInput("Name your login on the server with --login.")
    return input("Your login on the server (lower-case letters, digits, _): ").strip()


def run_move(opened: OpenDatabase, args: argparse.Namespace) -> int:
    if not opened.embedded:
        raise InvalidInput("This desk already uses a studio server; only the studio on this computer can be moved.")
    target = config.validate_dsn(args.target_dsn)
    login = args.login or _ask_login()
    password = read_password(f"Password for {login} on the server: ")
    result = move_to_server(opened.admin_url, target, EMBEDDED_APP_ROLE, login, password)
    counts = result.counts
    print(f"Moved {counts['clients']} clients, {counts['packages']} packages, {counts['sessions']} sessions, "
          f"{counts['package_ledger']} ledger rows and {counts['audit_log']} audit rows to {server_label(target)}; "
          "every count matches there and reconcile found nothing.")
    for name in result.logins_waiting:
        print(f"{name} keeps their login; set its password before they sign in (tutor-desktop staff reset-password).")
    for name in result.logins_dropped:
        print(f"The server already uses {name}'s login name; add them an account of their own (tutor-desktop staff add).")
    config.write_config_dsn(result.desk_url)
    config.remember_login(login)
    saved = credentials.save_password(result.desk_url, login, password)
    print(f"This desk now uses the server as {login}" + (" (password kept in the keyring)." if saved else "."))
    print("The studio on this computer is kept as it was, marked as moved.")
    return 0
