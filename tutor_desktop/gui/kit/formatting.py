"""Dates and times as the desk shows them, in the desk's time zone (config.desk_time_zone(): the settings, else
this computer's)."""

from __future__ import annotations

import functools
from datetime import datetime
from zoneinfo import ZoneInfo

from tutor_desktop import config
from tutor_desktop.zones import wall_clock


@functools.cache
def desk_zone() -> ZoneInfo:
    """Read once per run; desk_zone.cache_clear() after the setting changes."""
    return ZoneInfo(config.desk_time_zone())


def desk_time(moment: datetime) -> datetime:
    """The moment on the desk's clock (a naive moment is taken as the desk's wall-clock time)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=desk_zone())
    return moment.astimezone(desk_zone())


def desk_moments(*moments: datetime) -> list[datetime]:
    """Aware moments as they are; naive ones read as the desk's wall-clock time (zones.wall_clock: refused when
    the clocks skip it, the earlier when it happens twice)."""
    zone = desk_zone().key
    return [m if m.tzinfo is not None else wall_clock(m, zone) for m in moments]


def day(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = desk_time(moment)
    return f"{local:%a} {local.day} {local:%b %Y}"  # %-d is not portable


def clock(moment: datetime) -> str:
    return desk_time(moment).strftime("%H:%M")


def when(moment: datetime) -> str:
    local = desk_time(moment)
    return f"{local.day} {local:%b %Y, %H:%M}"


def amount(n: int, noun: str, plural: str | None = None) -> str:
    """"1 past session", "3 past sessions"."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
