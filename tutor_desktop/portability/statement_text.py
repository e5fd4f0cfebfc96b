"""A client's statement in words: as plain text to paste into an e-mail, and as the HTML the PDF is printed from.
Times on the desk's clock."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from html import escape
from uuid import UUID
from zoneinfo import ZoneInfo

from tutor_desktop.domain import Package, PackageState, Statement, StatementLine


def _day(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d") if moment else "never"


def _when(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _count(n: int) -> str:
    return f"{n} session" if n == 1 else f"{n} sessions"


def package_names(statement: Statement, zone: ZoneInfo) -> dict[UUID, str]:
    """Each package's label; two packages with one label are told apart by the day each was bought."""
    shared = Counter(p.label for p in statement.packages)
    return {p.id: f"{p.label} (bought {_day(p.purchased_at, zone)})" if shared[p.label] > 1 else p.label
            for p in statement.packages}


def _line_when(line: StatementLine, zone: ZoneInfo) -> str:
    return line.at.strftime("%Y-%m-%d") if line.whole_day else _when(line.at, zone)  # a payment's day as it was


def _line_package(line: StatementLine, names: dict[UUID, str]) -> str:
    return names.get(line.package_id, line.package_label) if line.package_id else line.package_label


def package_summary(p: Package, zone: ZoneInfo, name: str | None = None) -> str:
    expiry = f"expires {_day(p.expires_at, zone)}" if p.expires_at else "does not expire"
    if p.state is PackageState.EXPIRED:
        expiry = f"expired {_day(p.expires_at, zone)}"
    return (f"{name or p.label}: {p.sessions_used} of {p.sessions_total} used, {_count(p.sessions_remaining)} left"
            f" ({p.state.label.lower()}; bought {_day(p.purchased_at, zone)}, {expiry})")


def _change(n: int) -> str:
    return {-1: "1 used", 1: "1 back"}.get(n, "")


def statement_text(statement: Statement, zone: ZoneInfo) -> str:
    c = statement.client
    lines = [f"Statement for {c.full_name}", f"As of {_when(statement.made_at, zone)}", ""]
    lines.append(f"Sessions left to use: {statement.sessions_remaining}")
    lines.append("")
    lines.append("Packages")
    names = package_names(statement, zone)
    lines += [f"  {package_summary(p, zone, names[p.id])}" for p in statement.packages] or ["  No packages."]
    lines.append("")
    lines.append("History")
    for line in statement.lines:
        who = f" with {line.tutor}" if line.tutor else ""
        change = f"  ({_change(line.change)})" if _change(line.change) else ""
        when = _line_when(line, zone).ljust(16)
        lines.append(f"  {when}  {_line_package(line, names)}: {line.what}{who}{change}")
    if not statement.lines:
        lines.append("  Nothing yet.")
    return "\n".join(lines) + "\n"


def _head(*names: str) -> str:
    return "<tr>" + "".join(f"<th align='left'>{n}</th>" for n in names) + "</tr>"


def statement_html(statement: Statement, zone: ZoneInfo) -> str:
    """The same statement as simple HTML that QTextDocument lays out on a printed page."""
    c = statement.client
    contact = " · ".join(escape(x) for x in (c.email, c.phone) if x)
    names = package_names(statement, zone)
    packages = "".join(
        f"<tr><td>{escape(names[p.id])}</td><td align='right'>{p.sessions_used}</td>"
        f"<td align='right'>{p.sessions_total}</td>"
        f"<td align='right'><b>{p.sessions_remaining}</b></td><td>{escape(p.state.label)}</td>"
        f"<td>{_day(p.purchased_at, zone)}</td><td>{_day(p.expires_at, zone) if p.expires_at else '—'}</td></tr>"
        for p in statement.packages) or "<tr><td colspan='7'>No packages.</td></tr>"
    history = "".join(
        f"<tr><td>{_line_when(line, zone)}</td><td>{escape(_line_package(line, names))}</td><td>{escape(line.what)}</td>"
        f"<td>{escape(line.tutor)}</td><td align='right'>{_change(line.change)}</td></tr>"
        for line in statement.lines) or "<tr><td colspan='5'>Nothing yet.</td></tr>"
    table = ("<table cellspacing='0' cellpadding='4' border='1' width='99%'"
             " style='border-collapse: collapse; border-color: #9aa3ad'>")
    return (
        f"<h2>Statement for {escape(c.full_name)}</h2>"
        + (f"<p>{contact}</p>" if contact else "")
        + f"<p>As of {_when(statement.made_at, zone)}. Sessions left to use: <b>{statement.sessions_remaining}</b></p>"
        f"<h3>Packages</h3>{table}"
        f"{_head('Package', 'Used', 'Total', 'Left', 'State', 'Bought', 'Expires')}{packages}</table>"
        f"<h3>History</h3>{table}"
        f"{_head('When', 'Package', 'What', 'Tutor', 'Sessions')}{history}</table>"
    )
