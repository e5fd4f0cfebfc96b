"""`tutor-desktop report tutors|revenue|unused|attendance|attention`: the reports as a table in the terminal, or as
CSV for a spreadsheet or an accountant (--csv FILE, or - for standard output). Figures come from the same SQL
functions as the Reports tab."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path

from tutor_desktop import config
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import ExportTable, InvalidInput, Period
from tutor_desktop.portability.csv_export import write_rows, write_table
from tutor_desktop.zones import time_zone, wall_clock

REPORTS = ("tutors", "revenue", "unused", "attendance", "attention")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (expected e.g. 2026-11-01)") from None


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    report = commands.add_parser("report", help="print a report (tutors, revenue, unused, attendance, attention)")
    report.add_argument("report", choices=REPORTS, metavar="REPORT", help=", ".join(REPORTS))
    report.add_argument("--from", dest="first", type=_date, help="first day (default: the first of this month)")
    report.add_argument("--to", dest="last", type=_date,
                        help="last day (default: the end of this month; for unused: the day to value, default now)")
    report.add_argument("--csv", metavar="FILE", help="write CSV to FILE (- for standard output) instead of a table")
    report.add_argument("--low", type=int, default=2, help="attention: a low balance is at most this many left")
    report.add_argument("--days", type=int, default=14, help="attention: expiring within this many days")
    return report


def _period(args: argparse.Namespace, today: date) -> Period:
    month = Period.this_month(today)
    return Period(args.first or month.first, args.last or month.last)


def table(repo: Repository, args: argparse.Namespace, zone: str, today: date) -> tuple[list[str], list[list[str]]]:
    """The report as a header and rows of text (money as plain numbers, the currency in the header)."""
    currency = repo.currency()
    if args.report == "unused":
        moment = None if args.last is None else end_of_day(args.last, zone)
        rows = repo.report_unused_prepaid(moment)
        body = [[r.client_name, r.label, str(r.sessions_remaining), str(r.sessions_total), _n(r.price), _n(r.value)]
                for r in rows]
        body.append(["Total", "", str(sum(r.sessions_remaining for r in rows)), "", "",
                     _n(sum((r.value for r in rows if r.value is not None), start=0))])
        return ["client", "package", "left", "of", f"price ({currency})", f"value ({currency})"], body
    if args.report == "attention":
        items = repo.report_needs_attention(args.low, args.days)
        return ["finding", "client", "package", "detail", f"amount ({currency})"], [
            [i.kind.label, i.client_name, i.label or "", i.describe(), _n(i.amount)] for i in items]
    period = _period(args, today)
    if args.report == "tutors":
        head = ["tutor", "done", "done h", "student no-show", "tutor no-show", "cancelled", "rescheduled",
                "upcoming", "delivered h", "rate", f"pay ({currency})"]
        return head, [[r.tutor_name, str(r.done.sessions), str(r.done.hours), str(r.no_show_student.sessions),
                       str(r.no_show_tutor.sessions), str(r.cancelled.sessions), str(r.rescheduled.sessions),
                       str(r.upcoming.sessions), str(r.delivered.hours),
                       f"{r.pay_rate}/{r.pay_per}" if r.pay_rate is not None else "", _n(r.pay)]
                      for r in repo.report_tutor_activity(period, zone)]
    if args.report == "revenue":
        return ["kind", "method", "count", f"amount ({currency})"], [
            [str(r.kind), (r.method or "").replace("_", " "), str(r.count), _n(r.amount)]
            for r in repo.report_revenue(period, zone)]
    return ["who", "name", "sessions", "student no-shows", "tutor no-shows", "student %", "tutor %"], [
        [r.kind, r.name, str(r.sessions), str(r.student_no_shows), str(r.tutor_no_shows),
         str(r.student_no_show_rate), str(r.tutor_no_show_rate)] for r in repo.report_attendance(period, zone)]


def end_of_day(day: date, zone: str) -> datetime:
    """Midnight after `day` in `zone`: a report "on" a day counts everything of that day."""
    return wall_clock(datetime.combine(day + timedelta(days=1), time()), zone)


def _n(amount: object) -> str:
    return "" if amount is None else f"{amount:.2f}"


def _print(head: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(x) for x in column) for column in zip(head, *rows)]
    numeric = [all(_looks_numeric(row[i]) for row in rows) and rows for i in range(len(head))]
    for row in (head, *rows):
        print("  ".join(cell.rjust(w) if numeric[i] else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths)))
              .rstrip())


def _looks_numeric(text: str) -> bool:
    return text == "" or text.replace(".", "", 1).replace("-", "", 1).isdigit()


def run_report(repo: Repository, args: argparse.Namespace) -> int:
    zone = config.desk_time_zone()
    today = datetime.now(time_zone(zone)).date()
    if args.report == "unused" and args.first is not None:
        raise InvalidInput("The unused report is for one moment; give --to DATE (or nothing for now).")
    if args.report == "attention" and (args.first or args.last):
        raise InvalidInput("The attention report is about now; it takes no --from or --to.")
    head, rows = table(repo, args, zone, today)
    if args.csv:  # as the studio's export writes CSV (text that would run as a formula written as text)
        if args.csv == "-":
            write_rows(sys.stdout, head, rows, time_zone(zone))
        else:
            write_table(ExportTable("report", tuple(head), tuple(tuple(r) for r in rows)), Path(args.csv),
                        time_zone(zone))
            print(f"Wrote {len(rows)} rows to {args.csv}.")
        return 0
    if args.report not in ("unused", "attention"):
        print(f"{_period(args, today).describe()} ({zone})")
    if not rows:
        print("Nothing in this report.")
        return 0
    _print(head, rows)
    return 0



