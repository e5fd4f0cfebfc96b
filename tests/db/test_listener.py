"""The listener follows the change feed: it passes on what changed and which request changed it, a receiver that
fails once does not make it deaf, a desk cut off while others make 1,000 changes reads each of them
exactly once when it is back, and a desk whose gap was pruned is told to read everything again."""

from __future__ import annotations

import json
import threading
import time
import uuid

import psycopg

from tutor_desktop.db.listener import ChangeListener
from tutor_desktop.domain import StaffRole


class Heard:
    """What a listener passed on, from its thread."""

    def __init__(self) -> None:
        self.payloads: list[dict] = []
        self.states: list[bool] = []
        self.changed = threading.Condition()

    def change(self, payload: str) -> None:
        with self.changed:
            self.payloads.append(json.loads(payload))
            self.changed.notify_all()

    def state(self, online: bool, _message: str) -> None:
        self.states.append(online)

    def ids(self) -> list[int]:
        return [c["id"] for p in self.payloads for c in p["changes"]]

    def wait_for(self, condition, timeout: float = 10) -> bool:  # noqa: ANN001
        with self.changed:
            return self.changed.wait_for(condition, timeout)


def test_a_failing_receiver_does_not_stop_the_listener(database, repo, studio, login_as):
    other = login_as(StaffRole.FRONT_DESK)
    heard: list[str] = []
    got_two = threading.Event()

    def receive(payload: str) -> None:
        heard.append(payload)
        if len(heard) >= 2:
            got_two.set()
        if len(heard) == 1:
            raise ValueError("a receiver's bug")

    listener = ChangeListener(database.app_url, on_change=receive, poll_seconds=0.05)
    listener.start()
    try:
        assert listener.listening.wait(5)
        package = other.repo.sell_package(studio.client, "10 sessions", 10)
        time.sleep(0.3)  # the sale is read on its own, before the use
        other.repo.use_session(package, reason="one")
        assert got_two.wait(5), heard
        assert str(package) in heard[0] and str(package) in heard[1]
        assert listener._thread.is_alive()
    finally:
        listener.stop()


def test_what_a_read_found_names_each_change_and_its_request(database, repo, studio, login_as):
    other = login_as(StaffRole.FRONT_DESK)
    package = repo.sell_package(studio.client, "Ten", 10)
    heard = Heard()
    listener = ChangeListener(database.app_url, heard.change, heard.state, poll_seconds=0.05)
    listener.start()
    try:
        assert listener.listening.wait(5)
        request = uuid.uuid4()
        other.repo.use_session(package, request_id=request)
        assert heard.wait_for(lambda: heard.ids())
        [change] = heard.payloads[0]["changes"]
        assert (change["package"], change["client"], change["request"]) == (str(package), studio.client,
                                                                            str(request))
        assert change["session"] is None and heard.payloads[0]["everything"] is False
    finally:
        listener.stop()


def test_a_desk_cut_off_while_others_make_1000_changes_reads_each_once(database, repo, studio, login_as):
    follower = login_as(StaffRole.FRONT_DESK, "Follower")
    packages = [repo.sell_package(studio.client, f"P{i}", 300) for i in range(4)]
    heard = Heard()
    listener = ChangeListener(follower.url, heard.change, heard.state, poll_seconds=0.05, retry_seconds=0.2)
    listener.start()
    try:
        assert listener.listening.wait(5)
        with database.admin() as admin:
            admin.execute(f"ALTER ROLE {follower.login} NOLOGIN")  # it cannot come back until allowed again
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                          (follower.login,))
        deadline = time.monotonic() + 10
        while listener.listening.is_set() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not listener.listening.is_set() and heard.states[-1] is False
        start = database.scalar("SELECT coalesce(max(id), 0) FROM tutor.change_feed")

        errors: list[BaseException] = []

        def work(n: int) -> None:
            try:
                for i in range(250):
                    repo.use_session(packages[n], reason=f"{n}/{i}")
            except BaseException as error:  # noqa: BLE001
                errors.append(error)

        workers = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join()
        assert errors == []
        with database.admin() as conn:
            made = [r[0] for r in conn.execute(
                "SELECT id FROM tutor.change_feed WHERE id > %s AND NOT for_others ORDER BY id", (start,))]
        assert len(made) == 1000 and heard.ids() == []

        with database.admin() as admin:
            admin.execute(f"ALTER ROLE {follower.login} LOGIN")
        assert heard.wait_for(lambda: len(heard.ids()) >= 1000, timeout=15)
        time.sleep(0.3)  # nothing more comes
        assert sorted(heard.ids()) == made and len(heard.ids()) == len(set(heard.ids()))
        assert heard.states == [True, False, True]
        assert not any(p["everything"] for p in heard.payloads)
    finally:
        listener.stop()


def test_a_desk_whose_gap_was_pruned_reads_everything_again(database, repo, studio):
    package = repo.sell_package(studio.client, "Ten", 10)
    heard = Heard()
    behind = ChangeListener(database.app_url, heard.change, poll_seconds=0.05)
    behind.start()
    try:
        assert behind.listening.wait(5)
        behind.stop()  # away: its place stays where it was
        repo.use_session(package)
        with database.admin() as admin:  # the change is older than the feed's window, and upkeep prunes it
            admin.execute("UPDATE tutor.change_feed SET created_at = now() - interval '3 days'")
        assert repo.prune_requests() == 0  # request ids are younger than theirs
        assert database.scalar("SELECT count(*) FROM tutor.change_feed") == 0
        with psycopg.connect(database.app_url, autocommit=True) as conn:
            from tutor_desktop.db.feed import read_feed

            assert read_feed(conn, behind.place).gap
            assert not read_feed(conn, read_feed(conn, None).place).gap  # a desk that was not away: no gap
        back = ChangeListener(database.app_url, heard.change, poll_seconds=0.05)
        back.place = behind.place
        back.start()
        try:
            assert heard.wait_for(lambda: any(p["everything"] for p in heard.payloads), timeout=5)
        finally:
            back.stop()
    finally:
        behind.stop()
