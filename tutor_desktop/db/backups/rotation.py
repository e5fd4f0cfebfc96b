"""Which backups to keep: the newest of each of the last `daily` days that have a backup, of the last `weekly`
ISO weeks, and of the last `monthly` months (grandfather-father-son), plus the newest of all. Backups someone asked
for (by hand) and safety backups (before a restore or an upgrade) are kept for SAFETY_DAYS whatever the counts.
Pure logic on dates."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import date, datetime, timedelta

SAFETY_KINDS = frozenset({"by hand", "before restore", "before upgrade"})
SAFETY_DAYS = 30


def _newest_per(moments: list[datetime], period: Callable[[date], Hashable], count: int) -> set[datetime]:
    chosen: dict[Hashable, datetime] = {}
    for moment in sorted(moments, reverse=True):
        key = period(moment.date())
        if key not in chosen:
            if len(chosen) == count:
                break
            chosen[key] = moment
    return set(chosen.values())


def to_keep(moments: Iterable[datetime], daily: int, weekly: int, monthly: int) -> set[datetime]:
    """The moments (backup times, in the time zone whose days count) that the counts keep."""
    moments = list(moments)
    if not moments:
        return set()
    keep = {max(moments)}
    keep |= _newest_per(moments, lambda d: d, daily)
    keep |= _newest_per(moments, lambda d: d.isocalendar()[:2], weekly)
    keep |= _newest_per(moments, lambda d: (d.year, d.month), monthly)
    return keep


def to_delete(backups: Iterable[tuple[datetime, str]], daily: int, weekly: int, monthly: int,
              now: datetime) -> set[datetime]:
    """(moment, kind) pairs -> the moments to delete. Safety and by-hand backups younger than SAFETY_DAYS stay
    and do not take a place in the counts."""
    backups = list(backups)
    young_safety = {m for m, kind in backups if kind in SAFETY_KINDS and now - m < timedelta(days=SAFETY_DAYS)}
    rotating = [m for m, _kind in backups if m not in young_safety]
    keep = to_keep(rotating, daily, weekly, monthly)
    return {m for m in rotating if m not in keep}
