"""The calendar's arithmetic: which days a week shows, their bounds in the desk's time zone, and how
overlapping sessions share a column."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from tutor_desktop.domain import Session
from tutor_desktop.gui.kit.formatting import desk_zone
from tutor_desktop.zones import wall_clock


def week_of(day: date) -> list[date]:
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=i) for i in range(7)]


def day_bounds(days: list[date]) -> tuple[datetime, datetime]:
    start = wall_clock(datetime.combine(days[0], time()), desk_zone().key)
    end = wall_clock(datetime.combine(days[-1] + timedelta(days=1), time()), desk_zone().key)
    return start, end


def lanes(sessions: list[Session]) -> list[tuple[Session, int, int]]:
    """Side by side when sessions overlap: (session, lane, lanes in its cluster)."""
    placed: list[tuple[Session, int, int]] = []
    cluster: list[tuple[Session, int]] = []
    cluster_end: datetime | None = None
    lane_ends: list[datetime] = []

    def flush() -> None:
        lanes = max((lane for _, lane in cluster), default=-1) + 1
        placed.extend((s, lane, lanes) for s, lane in cluster)

    for session in sessions:
        if cluster_end is not None and session.starts_at >= cluster_end:
            flush()
            cluster, lane_ends = [], []
        lane = next((i for i, end in enumerate(lane_ends) if end <= session.starts_at), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(session.ends_at)
        else:
            lane_ends[lane] = session.ends_at
        cluster.append((session, lane))
        cluster_end = max(cluster_end or session.ends_at, session.ends_at)
    flush()
    return placed


def range_text(days: list[date]) -> str:
    """"Tuesday 1 December 2026", "30 November – 6 December 2026" or "28 Dec – 3 Jan 2027"."""
    first, last = days[0], days[-1]
    if len(days) == 1:
        return f"{first:%A} {first.day} {first:%B %Y}"
    if first.month == last.month:
        return f"{first.day} – {last.day} {last:%B %Y}"
    return f"{first.day} {first:%b} – {last.day} {last:%b %Y}"
