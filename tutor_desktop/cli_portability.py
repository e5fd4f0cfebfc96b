"""The export, import and statement commands of tutor-desktop."""

from __future__ import annotations

import argparse
from pathlib import Path

from tutor_desktop import config
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import FIELD_LABELS, ImportKind, ImportResult, InvalidInput
from tutor_desktop.portability.csv_export import write_export
from tutor_desktop.portability.mapping import guess_mapping, rows_for_import
from tutor_desktop.portability.spreadsheet import read_sheet
from tutor_desktop.portability.statement_text import statement_text
from tutor_desktop.zones import time_zone

EXIT_PROBLEMS = 1


def add_parsers(commands: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    export = commands.add_parser("export", help="write clients, packages, sessions, the ledger (and, for admins, "
                                                "the audit log) as CSV files")
    export.add_argument("--to", required=True, type=Path, metavar="DIR", help="the folder to write them to")
    load = commands.add_parser("import", help="add clients or packages from a spreadsheet saved as CSV")
    load.add_argument("kind", choices=[k.value for k in ImportKind])
    load.add_argument("file", type=Path, metavar="FILE.csv")
    load.add_argument("--dry-run", action="store_true", help="list every row's problems and change nothing")
    statement = commands.add_parser("statement", help="a client's packages, balances and history")
    statement.add_argument("client_id", type=int, metavar="CLIENT_ID")
    statement.add_argument("--pdf", type=Path, metavar="FILE", help="write it as a PDF (otherwise printed as text)")
    return [export, load, statement]


def run_export(repo: Repository, args: argparse.Namespace) -> int:
    paths = write_export(repo.export_tables(), args.to, time_zone(config.desk_time_zone()))
    for path in paths:
        print(path)
    return 0


def _describe(result: ImportResult, kind: ImportKind, dry_run: bool) -> str:
    if result.problems:
        n = len(result.problems)
        return f"{n} problem{'' if n == 1 else 's'}; nothing was imported. Fix the rows above and import the file again."
    if dry_run:
        return f"No problems: {result.added} {kind} would be added, {result.existing} are here already."
    return f"Imported {result.added} {kind}; {result.existing} were here already and were left as they are."


def run_import(repo: Repository, args: argparse.Namespace) -> int:
    kind = ImportKind(args.kind)
    sheet = read_sheet(args.file)
    mapping = guess_mapping(kind, sheet.headers)
    used = ", ".join(f"{FIELD_LABELS[f]} <- {sheet.headers[i]!r}" for f, i in mapping.items() if i is not None)
    print(f"Columns: {used}")
    result = repo.import_rows(kind, rows_for_import(kind, sheet, mapping), dry_run=args.dry_run,
                              time_zone=config.desk_time_zone())
    for problem in result.problems:
        print(f"row {problem.row}: {problem.message}")
    print(_describe(result, kind, args.dry_run))
    return EXIT_PROBLEMS if result.problems else 0


def run_statement(repo: Repository, args: argparse.Namespace) -> int:
    statement = repo.client_statement(args.client_id)
    zone = time_zone(config.desk_time_zone())
    if args.pdf is None:
        print(statement_text(statement, zone), end="")
        return 0
    if args.pdf.is_dir():
        raise InvalidInput(f"{args.pdf} is a folder; name the PDF file to write.")
    from tutor_desktop.portability.statement_pdf import write_statement_pdf  # Qt only when a PDF is asked for

    print(write_statement_pdf(statement, args.pdf, zone))
    return 0


COMMANDS = {"export": run_export, "import": run_import, "statement": run_statement}
