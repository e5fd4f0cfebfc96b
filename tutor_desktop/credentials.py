"""A shared server's password in the operating system's keyring, when this machine has one; never in a file."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)
SERVICE = "Tutor Desk"


def _keyring():  # noqa: ANN202 - the keyring module, or None
    try:
        import keyring
        from keyring.backends import fail
    except Exception:  # noqa: BLE001 - no usable keyring package
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - a broken backend is no backend
        return None
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
        return None
    return keyring


def keyring_available() -> bool:
    return _keyring() is not None


def _account(server: str, login: str) -> str:
    return f"{login}@{server}"


def saved_password(server: str, login: str) -> str | None:
    ring = _keyring()
    if ring is None or not login:
        return None
    try:
        return ring.get_password(SERVICE, _account(server, login))
    except Exception as error:  # noqa: BLE001 - a locked or absent keyring: ask instead
        log.info("keyring unavailable: %s", error)
        return None


def save_password(server: str, login: str, password: str) -> bool:
    ring = _keyring()
    if ring is None:
        return False
    try:
        ring.set_password(SERVICE, _account(server, login), password)
    except Exception as error:  # noqa: BLE001
        log.info("keyring refused the password: %s", error)
        return False
    return True


def forget_password(server: str, login: str) -> None:
    ring = _keyring()
    if ring is None:
        return
    try:
        ring.delete_password(SERVICE, _account(server, login))
    except Exception:  # noqa: BLE001 - nothing saved is fine
        pass
