"""The staff commands of tutor-desktop: a studio's admin (or the server's superuser) creates staff logins,
lists, deactivates and re-keys them, and names the first admin of a fresh shared server."""

from __future__ import annotations

import argparse
import getpass
import os

from tutor_desktop.db.bootstrap import create_first_admin
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import InvalidInput, NotFound, StaffRole

PASSWORD_ENV = "TUTOR_DESKTOP_PASSWORD"


def add_parsers(commands: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    """Adds `staff ...` and `first-admin`; returns every parser made, for the shared --dsn option."""
    staff = commands.add_parser("staff", help="staff accounts (admins only)")
    actions = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help=f"create a staff member with their own login (password: prompted or ${PASSWORD_ENV})")
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, choices=[r.value for r in StaffRole])
    add.add_argument("--login", required=True, help="the PostgreSQL login name, e.g. maya")
    add.add_argument("--teaches", action=argparse.BooleanOptionalAction, default=None,
                     help="may be booked as a session's tutor (default: tutors yes, others no)")
    listing = actions.add_parser("list", help="every staff member, their role, login and whether they teach")
    listing.add_argument("--all", action="store_true", help="include deactivated staff")
    deactivate = actions.add_parser("deactivate", help="disable a staff member's login and account")
    deactivate.add_argument("staff_id", type=int)
    reset = actions.add_parser("reset-password", help="set a new password for a staff member's login")
    reset.add_argument("staff_id", type=int)
    teaches = actions.add_parser("teaches", help="whether a staff member may be booked as a session's tutor")
    teaches.add_argument("staff_id", type=int)
    teaches.add_argument("answer", choices=["yes", "no"])
    first = commands.add_parser("first-admin", help="make a login the first admin of a studio (superuser URL)")
    first.add_argument("--name", required=True)
    first.add_argument("--login", required=True, help="an existing login, or a new one (asks for its password)")
    return [staff, first, *actions.choices.values()]


def read_password(prompt: str) -> str:
    if (from_env := os.environ.get(PASSWORD_ENV)) is not None:
        return from_env
    try:
        first = getpass.getpass(prompt)
        again = getpass.getpass("Once more: ")
    except EOFError:
        raise InvalidInput(f"No password given (type it, or set {PASSWORD_ENV}).") from None
    if first != again:
        raise InvalidInput("The two passwords differ; nothing was changed.")
    return first


def run_staff(repo: Repository, args: argparse.Namespace) -> int:
    if args.staff_command == "add":
        staff_id = repo.create_staff_account(
            args.name, StaffRole(args.role), args.login, read_password(f"Password for {args.login}: "),
            teaches=args.teaches)
        print(f"Created {args.name} ({args.role}), staff id {staff_id}, login {args.login}.")
    elif args.staff_command == "list":
        print(f"{'Id':>4}  {'Name':<24} {'Role':<11} {'Login':<20} {'Teaches':<8} Active")
        for s in repo.list_staff(include_inactive=args.all):
            print(f"{s.id:>4}  {s.display_name[:24]:<24} {s.role.value:<11} {s.login_role or '-':<20}"
                  f" {'yes' if s.teaches else 'no':<8} {'yes' if s.active else 'no'}")
    elif args.staff_command == "teaches":
        repo.set_staff_teaches(args.staff_id, args.answer == "yes")
        print(f"Staff member {args.staff_id} {'teaches' if args.answer == 'yes' else 'does not teach'} now.")
    elif args.staff_command == "deactivate":
        repo.deactivate_staff(args.staff_id)
        print(f"Staff member {args.staff_id} is deactivated and can no longer log in.")
    else:
        repo.reset_staff_password(args.staff_id, read_password("New password: "))
        print(f"The password of staff member {args.staff_id} was changed.")
    return 0


def run_first_admin(admin_url: str, args: argparse.Namespace) -> int:
    try:
        staff_id = create_first_admin(admin_url, args.name, args.login)
    except NotFound:  # a fresh server: make the login too
        staff_id = create_first_admin(admin_url, args.name, args.login,
                                      password=read_password(f"Password for the new login {args.login}: "))
    print(f"{args.name} (login {args.login}) is the studio's admin, staff id {staff_id}.")
    return 0
