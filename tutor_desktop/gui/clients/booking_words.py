"""What the booking dialog tells a person before and after it sends: a start that has passed, more sessions than
the packages have bookable, the session in the way (in the desk's time zone), and the client's usual tutor."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from uuid import UUID

from tutor_desktop.domain import BookingConflict, Package, PackageState, Session, SessionStatus
from tutor_desktop.gui.kit.formatting import amount, desk_time

PAST = ("That time has passed. To record a session that already happened, tick “Record a past session”; "
        "otherwise choose a later time.")


def bookable(packages: Sequence[Package], package_id: UUID | None) -> int:
    """What the chosen package (or, for any usable package, all active ones) has bookable."""
    usable = [p for p in packages if p.state == PackageState.ACTIVE and (package_id is None or p.id == package_id)]
    return sum(max(0, p.sessions_bookable) for p in usable)


def too_many(count: int, packages: Sequence[Package], package_id: UUID | None) -> str:
    """A warning when `count` sessions would leave some with no session to use ("" when they all have one)."""
    room = bookable(packages, package_id)
    if count <= room:
        return ""
    short, sessions = count - room, amount(count, "session")
    if package_id is not None:
        head = f"{sessions} on a package with {room} bookable: {short} would have none to use."
    elif room:
        head = f"{sessions} with {room} bookable on this client's packages: {short} would have none to use."
    else:
        head = f"This client has no package with a session to book: {sessions} would have none to use."
    return f"{head} Book fewer, or press Book again to book anyway."


def conflict(error: BookingConflict) -> str:
    """"Maya Okafor already has Ben Carter on Tue 1 Dec 10:00–11:00", on this desk's clock."""
    if error.starts_at is None or error.ends_at is None or not error.tutor_name:
        return error.message
    start, end = desk_time(error.starts_at), desk_time(error.ends_at)
    return (f"{error.tutor_name} already has {error.client_name} on {start:%a} {start.day} {start:%b} "
            f"{start:%H:%M}–{end:%H:%M}. Choose another time or tutor.")


def usual_tutor(sessions: Sequence[Session]) -> int | None:
    """The tutor of the client's most recent session that took place or is booked (cancelled ones aside)."""
    now = datetime.now(timezone.utc)
    kept = [s for s in sessions if s.status not in (SessionStatus.CANCELLED, SessionStatus.RESCHEDULED)]
    past = [s for s in kept if s.starts_at <= now]
    recent = max(past or kept, key=lambda s: s.starts_at, default=None)
    return recent.tutor_id if recent else None
