"""The backup commands of tutor-desktop: `backup [--to DIR]` (prints the file it wrote), `backups` (lists them)
and `restore FILE` (asks first unless --yes). Only the database on this computer is backed up by the app."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tutor_desktop.db.backups.service import EmbeddedBackups, refuse_on_server
from tutor_desktop.db.bootstrap import OpenDatabase
from tutor_desktop.domain.backups import Backup

COMMANDS = ("backup", "backups", "restore")


def add_parsers(commands: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    backup = commands.add_parser("backup", help="back up the local database now; prints the file written")
    backup.add_argument("--to", metavar="DIR", help="write it into this folder (default: the backup folder, "
                                                    "where rotation keeps 7 daily, 4 weekly, 12 monthly)")
    listing = commands.add_parser("backups", help="list the backups in the backup folder, newest first")
    restore = commands.add_parser("restore", help="restore a backup (a safety backup of the current state first)")
    restore.add_argument("file", help="a tutor-desk-*.dump file")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    return [backup, listing, restore]


def describe(backup: Backup) -> str:
    made = backup.made_at.astimezone()
    return (f"{made:%Y-%m-%d %H:%M}  {backup.kind:<14} {backup.counts.clients:>6} clients {backup.counts.packages:>7} "
            f"packages {backup.counts.sessions:>8} sessions {backup.size / 2**20:>8.1f} MB  {backup.path}")


def run(args: argparse.Namespace, opened: OpenDatabase, data_dir: Path) -> int:
    if not opened.embedded:
        raise refuse_on_server()
    backups = EmbeddedBackups(data_dir, opened.server.superuser_url)
    if args.command == "backup":
        print(backups.backup_now("by hand", args.to).path)
    elif args.command == "backups":
        found = backups.list()
        for backup in found:
            print(describe(backup))
        print(f"{len(found)} backups in {backups.folder()}" if found else f"No backups yet in {backups.folder()}.")
    else:
        return _restore(backups, args)
    return 0


def _restore(backups: EmbeddedBackups, args: argparse.Namespace) -> int:
    if not args.yes:
        if not sys.stdin.isatty():
            print("tutor-desktop: restore replaces the studio on this computer; add --yes to confirm.", file=sys.stderr)
            return 2
        answer = input(f"Replace the studio on this computer with {args.file}? A backup of the current state is "
                       "made first. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was changed.")
            return 1
    result = backups.restore(args.file)
    print(f"Restored {args.file}: {result.counts.describe()}; reconcile is empty.")
    if result.safety_backup is not None:
        print(f"The studio as it was before is in {result.safety_backup.path}")
    print("A desk that is open now keeps the old studio until it is started again.")
    return 0
