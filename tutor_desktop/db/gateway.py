"""One place where SQL is sent: a transaction per call (or one shared unit of work), errors translated to
domain errors, and a retry when PostgreSQL rolled the transaction back for a deadlock or a lost connection."""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Engine, Row, text
from sqlalchemy import exc as sa_exc

from tutor_desktop.db.errors import RETRYABLE_SQLSTATES, sqlstate_of, translate
from tutor_desktop.domain import Busy

MAX_ATTEMPTS = 4


def new_request_id() -> UUID:
    """One per user action; reuse it when the same action is retried."""
    return uuid.uuid4()


class Gateway:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._local = threading.local()

    @contextlib.contextmanager
    def unit_of_work(self) -> Iterator[None]:
        """Every call inside shares one transaction on this thread: all of it is applied, or none."""
        if getattr(self._local, "conn", None) is not None:
            yield
            return
        try:
            with self.engine.begin() as conn:
                self._local.conn = conn
                try:
                    yield
                finally:
                    self._local.conn = None
        except sa_exc.DBAPIError as error:
            raise (translate(error) or error) from None

    def rows(self, sql: str, params: Mapping[str, Any] | None = None, *, retry: bool = True) -> Sequence[Row]:
        """Runs one statement in its own transaction (or the current unit of work) and returns its rows.

        A retry is safe for our functions: a deadlock or a dropped connection means the transaction was not
        committed, or, for a reply lost after the commit, the call's request id makes the replay a no-op. A pooled
        connection that turns out dead (the server went away while it sat in the pool) is a dropped connection
        too: the pool then replaces it and every connection older than it, and the retry gets a fresh one.
        """
        shared: Connection | None = getattr(self._local, "conn", None)
        if shared is not None:
            return self._execute(shared, sql, params)
        attempts = MAX_ATTEMPTS if retry else 1
        for attempt in range(1, attempts + 1):
            try:
                with self.engine.begin() as conn:
                    return self._execute(conn, sql, params)
            except sa_exc.DBAPIError as error:
                if attempt < attempts and self._worth_retrying(error):
                    continue
                raise (translate(error) or error) from None
            except sa_exc.TimeoutError:
                raise Busy("Every connection to the database is in use; please try again.") from None
        raise AssertionError("unreachable")

    @staticmethod
    def _execute(conn: Connection, sql: str, params: Mapping[str, Any] | None) -> Sequence[Row]:
        result = conn.execute(text(sql), dict(params or {}))
        return result.all() if result.returns_rows else []

    @staticmethod
    def _worth_retrying(error: sa_exc.DBAPIError) -> bool:
        return sqlstate_of(error) in RETRYABLE_SQLSTATES or error.connection_invalidated

    def ping(self) -> None:
        """Raises DatabaseUnavailable when the server cannot be reached."""
        self.rows("SELECT 1", retry=False)

    def close(self) -> None:
        """Closes every pooled connection; the next call opens new ones."""
        self.engine.dispose()
