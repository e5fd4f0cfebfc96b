"""Builds the SQLAlchemy engine the repository runs on. Called from the composition root, never at import."""

from __future__ import annotations

import time
from urllib.parse import quote, urlsplit, urlunsplit

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from tutor_desktop.domain import InvalidInput

# A connection that sat in the pool longer than this is pinged before use (one round trip); one used more
# recently is not: if it died all the same, the call fails as a dropped connection and is retried (gateway).
PING_AFTER_IDLE_S = 1.0


def sqlalchemy_url(dsn: str) -> str:
    """postgresql://... -> postgresql+psycopg://... (psycopg 3)."""
    if dsn.startswith("postgres://"):
        dsn = "postgresql://" + dsn.removeprefix("postgres://")
    try:
        url = make_url(dsn)
    except Exception as exc:  # ArgumentError and friends: the URL does not parse
        raise InvalidInput(f"Not a PostgreSQL URL: {dsn!r} ({exc}).") from None
    if url.get_backend_name() != "postgresql":
        raise InvalidInput(f"Not a PostgreSQL URL: {dsn!r}.")
    return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def make_engine(
    dsn: str,
    *,
    pool_size: int = 5,
    lock_timeout_ms: int = 5000,
    idle_in_transaction_timeout_ms: int = 15000,
    application_name: str = "tutor-desktop",
) -> Engine:
    engine = create_engine(
        sqlalchemy_url(dsn),
        pool_size=pool_size,
        max_overflow=pool_size,
        connect_args={
            "connect_timeout": 5,
            "application_name": application_name,
            # Notice a server (or a network path) that went away without a word.
            "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3,
        },
    )

    @event.listens_for(engine, "connect")
    def _session_settings(dbapi_connection, _record) -> None:  # noqa: ANN001 - driver connection
        # A desk must not hang on a row another desk holds, and a desk that vanishes mid-transaction must not
        # hold its locks for long: the server ends such a session and, by keepalive, notices a dead peer.
        with dbapi_connection.cursor() as cur:
            cur.execute(f"SET lock_timeout = {int(lock_timeout_ms)}")
            cur.execute(f"SET idle_in_transaction_session_timeout = {int(idle_in_transaction_timeout_ms)}")
            cur.execute("SET tcp_keepalives_idle = 10")
            cur.execute("SET tcp_keepalives_interval = 5")
            cur.execute("SET tcp_keepalives_count = 3")
        dbapi_connection.commit()

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record) -> None:  # noqa: ANN001
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy) -> None:  # noqa: ANN001
        # Pinged only after a pause, so a unit of work or a call that is not retried does not start on a
        # connection the server dropped while the desk sat idle; a busy desk skips the round trip.
        returned_at = record.info.get("returned_at")
        if returned_at is None or time.monotonic() - returned_at < PING_AFTER_IDLE_S:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # noqa: BLE001 - any failure: the pool opens a fresh connection instead
            raise sa_exc.DisconnectionError(str(exc)) from exc

    return engine


def with_login(dsn: str, user: str, password: str | None) -> str:
    """The server's URL with a staff login and password added (in memory only; never saved). Both are
    percent-encoded, so any character a person may put in a password survives libpq's URL parser."""
    parts = urlsplit(dsn)
    host = parts.netloc.rpartition("@")[2]
    login = quote(user, safe="") + (":" + quote(password, safe="") if password else "")
    return urlunsplit(parts._replace(netloc=f"{login}@{host}"))
