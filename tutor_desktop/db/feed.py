"""Reading the change feed (tutor.change_feed, written by the functions of sql/01_change_feed.sql): what changed
after a desk's place, as far as no running transaction can still add to it, filtered by row security to what this
login may see."""

from __future__ import annotations

import json
from dataclasses import dataclass
from uuid import UUID

import psycopg

from tutor_desktop.db.errors import DEACTIVATED_MESSAGE


@dataclass(frozen=True)
class FeedChange:
    id: int
    kind: str
    package_id: UUID | None
    session_id: UUID | None
    client_id: int | None
    request_id: UUID | None


@dataclass(frozen=True)
class FeedRead:
    place: int  # where the next read starts
    gap: bool  # the changes since the previous place can no longer all be served: read everything again
    changes: tuple[FeedChange, ...]
    staff: bool = True  # the login is an active staff member's (False: deactivated, or never one)


# One statement, so one snapshot: `upto` is the oldest transaction still running when it was taken. Every
# transaction below it has ended, so what it wrote is visible now or never will be, and nothing can appear below
# it any more: a desk that reads [its place, upto) each time, and moves its place to upto, sees every change once,
# whatever order the writers committed in. (Feed ids are handed out in start order, not commit order: reading
# "ids after the last one seen" would skip a change whose transaction began earlier and committed later.)
# Row security leaves only the rows this login may see.
_READ = """
WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS upto)
SELECT h.upto, {gap}, (SELECT tutor.viewer_scope()) <> 'none',
       c.id, c.kind, c.package_id, c.session_id, c.client_id, c.request_id
  FROM h LEFT JOIN tutor.change_feed c ON c.xid >= %(place)s::bigint AND c.xid < h.upto
 ORDER BY c.id
"""
# `gap`: what came after the place can no longer all be served: rows were pruned (a desk away for longer than the
# feed keeps them), or the place is from another history (a restored backup). Asked after a (re)connect and now
# and then, not on every poll: while a desk keeps reading, its place stays close behind the running transactions.
_GAP = """%(place)s::bigint IS NOT NULL
         AND (%(place)s::bigint > h.upto
              OR %(place)s::bigint <= coalesce((SELECT through FROM tutor.change_feed_pruned), 0))"""
_READ_WITH_GAP = _READ.format(gap=_GAP)
_READ_ONLY = _READ.format(gap="false")


def read_feed(conn: psycopg.Connection, place: int | None, *, check_gap: bool = True) -> FeedRead:
    """The changes after `place` (None: none, only the place to start from), in the order they were written."""
    rows = conn.execute(_READ_WITH_GAP if check_gap else _READ_ONLY, {"place": place}).fetchall()
    upto, gap, staff = rows[0][0], bool(rows[0][1]), bool(rows[0][2])
    changes = tuple(FeedChange(*row[3:]) for row in rows if row[3] is not None)
    return FeedRead(upto, gap, changes, staff)


def announcement(changes: tuple[FeedChange, ...], everything: bool = False, deactivated: bool = False) -> str:
    """What a desk's bus is told of one read (tutor_desktop.gui.shell.bus reads it): each change's ids and the request
    that made it, so the desk can leave out its own; or, when the login's staff account was deactivated meanwhile,
    the words the desk signs out with."""
    if deactivated:
        return json.dumps({"deactivated": DEACTIVATED_MESSAGE})
    return json.dumps({
        "changes": [{"id": c.id, "package": _text(c.package_id), "session": _text(c.session_id),
                     "client": c.client_id, "request": _text(c.request_id)} for c in changes],
        "everything": everything,
    })


def _text(value: UUID | None) -> str | None:
    return None if value is None else str(value)
