"""Dates and times as the desk shows them, in this computer's time zone."""

from __future__ import annotations

from datetime import datetime


def day(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone()
    return f"{local:%a} {local.day} {local:%b %Y}"  # %-d is not portable


def clock(moment: datetime) -> str:
    return moment.astimezone().strftime("%H:%M")


def when(moment: datetime) -> str:
    local = moment.astimezone()
    return f"{local.day} {local:%b %Y, %H:%M}"


def amount(n: int, noun: str, plural: str | None = None) -> str:
    """"1 past session", "3 past sessions"."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
