"""Staff passwords leave the desk only as SCRAM-SHA-256 verifiers, made by libpq: the server stores the
verifier, and the password itself appears in no statement, log, audit row or request record."""

from __future__ import annotations

import psycopg

from tutor_desktop.domain import InvalidInput

MIN_LENGTH = 8
MAX_LENGTH = 200


def check_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise InvalidInput(f"A password has at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"A password has at most {MAX_LENGTH} characters.")
    if "\x00" in password:
        raise InvalidInput("A password cannot contain a NUL character.")
    return password


def scram_verifier(conn: psycopg.Connection, password: str, login: str = "") -> str:
    """The verifier PostgreSQL stores for the password (libpq salts and hashes it; nothing is sent)."""
    check_password(password)
    raw = conn.pgconn.encrypt_password(password.encode("utf-8"), login.encode("utf-8"), b"scram-sha-256")
    return raw.decode("ascii")
