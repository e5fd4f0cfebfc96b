"""A desk that goes silent in the middle of a transaction, holding a package's row lock.

The other desks get "busy, try again" within the 5 s lock timeout instead of hanging, and the server ends the
silent session by itself (idle_in_transaction_session_timeout), which frees the lock. The silent desk here uses
7 s instead of the app's 15 s to keep the test short; it still outlasts the lock timeout, as in the app, so the
waiting desk first sees "busy". (TCP keepalives cover the same case for a desk whose network vanished in the
middle of a statement; on loopback that cannot happen.) Without these settings the other desk waits for ever."""

from __future__ import annotations

import threading
import time

import pytest

from tutor_desktop.db.engine import make_engine
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import Busy, DatabaseUnavailable

SILENT_DESK_IDLE_MS = 7000
PATIENCE_S = 6.0  # the lock timeout plus room for a busy machine


class SilentDesk:
    """Uses a session inside a unit of work, then goes quiet until woken, the transaction still open."""

    def __init__(self, repo: Repository, package) -> None:  # noqa: ANN001 - package id
        self.holding = threading.Event()
        self.wake = threading.Event()
        self.error: Exception | None = None
        self._thread = threading.Thread(target=self._run, args=(repo, package), daemon=True)
        self._thread.start()
        assert self.holding.wait(10), "the silent desk never got the row lock"

    def _run(self, repo: Repository, package) -> None:  # noqa: ANN001
        try:
            with repo.unit_of_work():
                repo.use_session(package)
                self.holding.set()
                self.wake.wait(60)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            self.error = exc

    def finish(self) -> None:
        self.wake.set()
        self._thread.join(30)


def call_within(seconds: float, call):  # noqa: ANN001, ANN201
    """(outcome or exception, elapsed s), or pytest.fail when the call is still waiting after `seconds`."""
    outcome: list = []
    started = time.perf_counter()

    def run() -> None:
        try:
            outcome.append(call())
        except Exception as exc:  # noqa: BLE001
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        pytest.fail(f"the other desk is still waiting after {seconds:.0f} s: it hangs on the silent desk's lock",
                    pytrace=False)
    return outcome[0], time.perf_counter() - started


@pytest.mark.parametrize("timeouts", [True, pytest.param(False, marks=pytest.mark.xfail(
    strict=True, reason="with no lock timeout and no idle timeout the other desk hangs"))])
def test_other_desks_get_busy_within_5_s_and_the_server_frees_the_lock(repo, database, timeouts, report_figure):
    package = repo.sell_package(repo.create_client("Waiting Room"), "Ten", 10)
    silent_engine = make_engine(database.app_url, pool_size=1, application_name="silent-desk",
                                idle_in_transaction_timeout_ms=SILENT_DESK_IDLE_MS if timeouts else 0)
    other_engine = make_engine(database.app_url, pool_size=1, **({} if timeouts else {"lock_timeout_ms": 0}))
    other = Repository(other_engine)
    silent = SilentDesk(Repository(silent_engine), package)
    try:
        answer, waited = call_within(PATIENCE_S, lambda: other.use_session(package))
        assert isinstance(answer, Busy), f"expected Busy, got {answer!r}"
        assert "try again" in str(answer)

        freed_at = time.perf_counter()
        balance, _ = call_within(SILENT_DESK_IDLE_MS / 1000 + 5, lambda: _use_when_free(other, package))
        freed_after = time.perf_counter() - freed_at + waited
        report_figure(f"dead desk: busy after {waited:.2f} s, lock freed by the server after {freed_after:.1f} s")
        assert balance.applied and balance.sessions_used == 1
    finally:
        silent.finish()
        other_engine.dispose()
        silent_engine.dispose()
    assert isinstance(silent.error, DatabaseUnavailable), "the server should have ended the silent session"
    assert repo.get_package(package).sessions_used == 1, "the silent desk's use must have been rolled back"
    assert repo.reconcile() == []


def _use_when_free(repo: Repository, package):  # noqa: ANN001, ANN202
    while True:
        try:
            return repo.use_session(package)
        except Busy:
            continue
