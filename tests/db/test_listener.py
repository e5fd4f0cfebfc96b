"""The listener hears every change the functions announce, and a receiver that fails once does not make it
deaf for good."""

from __future__ import annotations

import threading

from tutor_desktop.db.listener import ChangeListener


def test_a_failing_receiver_does_not_stop_the_listener(database, repo, studio):
    heard: list[str] = []
    got_two = threading.Event()

    def receive(payload: str) -> None:
        heard.append(payload)
        if len(heard) >= 2:
            got_two.set()
        if len(heard) == 1:
            raise ValueError("a receiver's bug")

    listener = ChangeListener(database.app_url, on_change=receive)
    listener.start()
    try:
        assert listener.listening.wait(5)
        package = repo.sell_package(studio.client, "10 sessions", 10)
        repo.use_session(package, reason="one")
        assert got_two.wait(5), heard
        assert str(package) in heard[0] and str(package) in heard[1]
        assert listener._thread.is_alive()
    finally:
        listener.stop()
