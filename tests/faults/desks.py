"""What a careful desk does when the answer does not come: ask again (with the same request id) until it comes."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from tutor_desktop.domain import Busy, DatabaseUnavailable

T = TypeVar("T")


def until_answered(call: Callable[[], T], within_s: float = 60.0) -> T:
    deadline = time.monotonic() + within_s
    while True:
        try:
            return call()
        except (DatabaseUnavailable, Busy):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def new_ids(n: int) -> list[UUID]:
    return [uuid.uuid4() for _ in range(n)]
