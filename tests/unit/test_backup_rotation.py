"""Rotation keeps exactly the configured set: the newest backup of each of the last N days, ISO weeks and months
that have one, the newest of all, and young safety backups; every other backup goes."""

from datetime import date, datetime, timedelta, timezone

from tutor_desktop.db.backups.rotation import to_delete, to_keep


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_a_year_of_daily_backups_keeps_7_days_4_weeks_12_months():
    made = [at(d) for d in days(date(2025, 10, 28), date(2026, 12, 1))]  # 2026-12-01 is a Tuesday
    kept = {m.date() for m in to_keep(made, daily=7, weekly=4, monthly=12)}
    expected_days = set(days(date(2026, 11, 25), date(2026, 12, 1)))
    expected_weeks = {date(2026, 12, 1), date(2026, 11, 29), date(2026, 11, 22), date(2026, 11, 15)}  # Sundays
    expected_months = {date(2026, 12, 1), date(2026, 11, 30), date(2026, 10, 31), date(2026, 9, 30),
                       date(2026, 8, 31), date(2026, 7, 31), date(2026, 6, 30), date(2026, 5, 31), date(2026, 4, 30),
                       date(2026, 3, 31), date(2026, 2, 28), date(2026, 1, 31)}
    assert kept == expected_days | expected_weeks | expected_months
    assert len(kept) == 19


def test_the_newest_of_a_day_is_the_one_kept():
    day = date(2026, 12, 1)
    made = [at(day, 9), at(day, 13), at(day, 18), at(day - timedelta(days=1), 23)]
    assert to_keep(made, daily=7, weekly=0, monthly=0) == {at(day, 18), at(day - timedelta(days=1), 23)}
    assert to_keep(made, daily=1, weekly=0, monthly=0) == {at(day, 18)}


def test_days_without_a_backup_do_not_use_up_the_count():
    made = [at(date(2026, 12, 1)), at(date(2026, 11, 20)), at(date(2026, 11, 2)), at(date(2026, 10, 1))]
    assert to_keep(made, daily=3, weekly=0, monthly=0) == set(made[:3])


def test_counts_of_nothing_keep_only_the_newest():
    made = [at(d) for d in days(date(2026, 11, 1), date(2026, 12, 1))]
    assert to_keep(made, 0, 0, 0) == {at(date(2026, 12, 1))}
    assert to_keep([], 7, 4, 12) == set()


def test_other_counts_are_honoured():
    made = [at(d) for d in days(date(2024, 1, 1), date(2026, 12, 1))]
    kept = to_keep(made, daily=2, weekly=1, monthly=24)
    months = {(m.year, m.month) for m in kept}
    assert len(months) == 24 and min(months) == (2025, 1)
    # Dec 1 is the newest of its day, week and month; Nov 30 of its day and month
    assert len(kept) == 24 and {date(2026, 12, 1), date(2026, 11, 30)} <= {m.date() for m in kept}


def test_young_safety_and_by_hand_backups_stay_outside_the_counts_old_ones_rotate():
    now = at(date(2026, 12, 1), 20)
    daily = [(at(d), "daily") for d in days(date(2026, 9, 1), date(2026, 12, 1))]
    young = [(at(date(2026, 11, 30), 15), "before restore"), (at(date(2026, 12, 1), 9), "by hand")]
    old = [(at(date(2026, 10, 10), 15), "before upgrade"), (at(date(2026, 10, 11), 15), "by hand")]
    doomed = to_delete([*daily, *young, *old], daily=1, weekly=0, monthly=0, now=now)
    assert not {m for m, _ in young} & doomed
    assert {m for m, _ in old} <= doomed
    assert {m for m, _ in daily} - doomed == {at(date(2026, 12, 1))}
