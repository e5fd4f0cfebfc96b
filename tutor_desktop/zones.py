"""IANA time zones and wall-clock times, by the database's rules (sql/06_schedule.sql). Standard library only."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tutor_desktop.domain import InvalidInput


def time_zone(name: str) -> ZoneInfo:
    """The IANA time zone of that name (Europe/London, America/New_York, UTC), or InvalidInput."""
    try:
        if not name or name != name.strip() or name.startswith(("/", ".")) or ".." in name:
            raise ValueError(name)
        return ZoneInfo(name)
    except (ValueError, ZoneInfoNotFoundError, OSError):
        raise InvalidInput(f'"{name}" is not a time zone; use an IANA name such as Europe/London.') from None


def wall_clock(local: datetime, zone: str) -> datetime:
    """The moment a wall-clock time (naive) names in an IANA zone, by the database's rule (sql/06_schedule.sql
    _wall_clock): a time the clocks skip in spring is refused; a time that happens twice in autumn is the earlier
    of the two (still on summer time). Returned in UTC."""
    tz = time_zone(zone)
    moment = local.replace(tzinfo=tz, fold=0)
    if moment.astimezone(timezone.utc).astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise InvalidInput(f"{local:%H:%M on %a} {local.day} {local:%b %Y} does not exist in {zone}: the clocks go "
                           "forward then. Choose another time.")
    return moment.astimezone(timezone.utc)  # (an ambiguous local moment would compare unequal to everything)
