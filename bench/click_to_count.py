"""Click to count: the client window driven with QTest (offscreen). Click *Use 1 session*, time until the remaining
label shows the new number, 500 times; in the same run, the same SQL function called 500 times through a bare
psycopg connection as the same login.

    uv run python bench/click_to_count.py [--dsn ADMIN_URL] [--quick]
"""

from __future__ import annotations

import os
import time
import uuid

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import psycopg  # noqa: E402
import shiboken6  # noqa: E402
from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QPushButton  # noqa: E402

from common import Section, Target, arguments, ms, percentile, server  # noqa: E402, I001

from tutor_desktop.app import start_desk  # noqa: E402
from tutor_desktop.db.bootstrap import create_first_admin  # noqa: E402
from tutor_desktop.db.engine import make_engine  # noqa: E402
from tutor_desktop.db.repository import Repository  # noqa: E402
from tutor_desktop.gui.clients.window import ClientWindow  # noqa: E402
from tutor_desktop.gui.kit.theme import apply_theme  # noqa: E402

CLICKS = 500
WARM_UP = 5
PACKAGE_SIZE = 1000  # the largest package the app sells
FRAME = 0.016
REASON = "Benchmark"
BARE_CALL = "SELECT * FROM tutor.use_session(%s, %s, %s)"
TIMEOUT = 10.0


class PaintWatch(QObject):
    """Notes when the label is first painted showing the text it waits for."""

    def __init__(self, label: QLabel) -> None:
        super().__init__(label)
        self.label = label
        self.expected: str | None = None
        self.painted: float | None = None
        label.installEventFilter(self)

    def expect(self, text: str) -> None:
        self.expected, self.painted = text, None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (event.type() == QEvent.Type.Paint and self.painted is None and watched is self.label
                and self.label.text() == self.expected):
            self.painted = time.perf_counter()
        return False


def wait_for(condition, what: str) -> None:  # noqa: ANN001
    """Runs the event loop as app.exec() would (sleeping until the next event) until condition() holds."""
    deadline = time.perf_counter() + TIMEOUT
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"waited {TIMEOUT:g} s for {what}")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)


def settle(window, quiet: float = 0.03) -> None:  # noqa: ANN001
    """Until the window has reloaded after the change (after its own reply; the desk's bus leaves out its own
    change read back from the feed) and nothing has been in flight for `quiet` seconds: the next click starts from an idle window, as a
    person's would."""
    runner = window.ctx.runner
    idle_since = [None]

    def idle() -> bool:
        busy = runner.pending or window.reading
        if busy:
            idle_since[0] = None
            return False
        if idle_since[0] is None:
            idle_since[0] = time.perf_counter()
        return time.perf_counter() - idle_since[0] >= quiet

    wait_for(idle, "the window to settle")


def run(srv, quick: bool = False) -> Section:  # noqa: ANN001, PLR0915
    from common import APP_LOGIN

    clicks = 50 if quick else CLICKS
    app = QApplication.instance() or QApplication(["click_to_count"])
    apply_theme(app)
    admin_url, desk_url = srv.fresh_database("click")
    create_first_admin(admin_url, "Front Desk", APP_LOGIN)
    engine = make_engine(desk_url)
    repo = Repository(engine)
    client = repo.create_client("Click Client")
    clicked_package = repo.sell_package(client, "Big package", PACKAGE_SIZE)
    bare_package = repo.sell_package(repo.create_client("Bare Client"), "Big package", PACKAGE_SIZE)
    desk = start_desk(repo, desk_url)
    bare = psycopg.connect(desk_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
    wake = QTimer(interval=50)  # wakes the waiting loop now and then, so a timeout is noticed
    wake.start()
    window = watch = None
    try:
        wait_for(desk.listener.listening.is_set, "the listener")
        window = desk.ctx.windows.show(ClientWindow, client)
        wait_for(lambda: window.data is not None and window.isVisible(), "the client window")
        assert window.selected_package() is not None and window.selected_package().id == clicked_package
        # The confirmation answered at once with a reason, as the window tests do: no dialog is shown.
        window.card.ask_reason = lambda _prompt, _ok, proceed: proceed(REASON)
        button = window.findChild(QPushButton, "useSessionButton")
        label = window.card.findChild(QLabel, "remainingLabel")
        watch = PaintWatch(label)
        settle(window)

        to_text, to_paint, bare_times = [], [], []
        for i in range(WARM_UP + clicks):
            expected = str(int(label.text()) - 1)
            watch.expect(expected)
            started = time.perf_counter()
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)
            wait_for(lambda expected=expected: label.text() == expected, "the remaining label")
            shown = time.perf_counter()
            wait_for(lambda: watch.painted is not None, "the label's paint")
            painted = watch.painted
            settle(window)

            call_started = time.perf_counter()
            row = bare.execute(BARE_CALL, (bare_package, uuid.uuid4(), REASON)).fetchone()
            bare_time = time.perf_counter() - call_started
            assert row is not None
            if i >= WARM_UP:
                to_text.append(shown - started)
                to_paint.append(painted - started)
                bare_times.append(bare_time)
        final = repo.rows("SELECT sessions_used FROM tutor.packages WHERE id = :p", {"p": clicked_package})[0][0]
        assert final == WARM_UP + clicks, final
        assert label.text() == str(PACKAGE_SIZE - final)
    finally:
        wake.stop()
        if watch is not None:
            watch.label.removeEventFilter(watch)
        if window is not None:
            window.close()
            shiboken6.delete(window)  # now, not at the interpreter's exit
        bare.close()
        desk.close()

    def figures(values: list[float]) -> list[str]:
        return [ms(percentile(values, 50)), ms(percentile(values, 99)), ms(max(values))]

    rows = [["click until the label's text changes", *figures(to_text)],
            ["click until the label is painted with it", *figures(to_paint)],
            ["bare psycopg call of the same function", *figures(bare_times)]]
    for row in rows:
        print(" | ".join(row), flush=True)
    p99_paint, p99_bare = percentile(to_paint, 99), percentile(bare_times, 99)
    p50_paint, p50_bare = percentile(to_paint, 50), percentile(bare_times, 50)
    limit = 3 * p99_bare + FRAME
    met = p99_paint <= limit
    strict = 3 * p50_bare + FRAME
    return Section(
        title="Click to count",
        intro=(f"The client window, offscreen, driven with QTest: {clicks} clicks on *Use 1 session* (after "
               f"{WARM_UP} unmeasured ones) on a package of {PACKAGE_SIZE:,} sessions, the confirmation answered "
               "at once with a reason as the window tests do. Each click is timed with `time.perf_counter` from "
               "`QTest.mouseClick` until the remaining label shows the new number: first until its text changes, "
               "then until Qt paints the label with it. The event loop waits as `app.exec()` does "
               "(`processEvents(WaitForMoreEvents)`), and the next click starts once the window has settled (its "
               "reload after the change is done). After each click, in the "
               f"same run, one bare call of the same function, `tutor.use_session`, through a plain "
               "psycopg connection (autocommit, one round trip) as the same desk login, on another client's "
               "package."),
        headers=["path", "p50", "p99", "max"],
        rows=rows,
        targets=[Target("p99 of the click (to the paint) no more than 3 x the p99 of the bare call plus one frame "
                        "(16 ms)", f"{ms(p99_paint)} against {ms(limit)} (ratio p99 {p99_paint / p99_bare:.1f} x, "
                        f"p50 {p50_paint / p50_bare:.1f} x)", met)],
        notes=(
            "The target compares p99 with p99: the tail of the click against the tail of the call it wraps, both "
            "taken in the same run on the same server, so a hiccup of the machine or the server (a slow WAL "
            "flush at a commit) shows on both sides; the click is measured to the paint, the end of what a "
            "person sees. A stricter reading, the click's p99 against 3 x the bare call's *p50* plus one frame "
            f"({ms(strict)}), is {'also met' if p99_paint <= strict else '**not met**'}.\n\n"
            "What the click path includes beyond the bare call: the mouse event and the button's clicked signal; "
            "the confirmation's answer; `Mutation.run` disabling the card's buttons and the package table; the "
            "hop to the task runner's write thread; there, a pooled SQLAlchemy connection (checked out with a "
            "ping), BEGIN, the function call, COMMIT and the Balance "
            "dataclass; the hop back to the GUI thread by a queued signal; the change bus, the card patched with "
            "the returned counts, the message bar's message, the buttons enabled again; then the paint. The "
            "window's reload happens after the label has changed and is not timed; when the desk's listener reads "
            "the change back from the feed, its bus leaves it out (its request id is the Mutation's)."
            + ("" if met else MISSED.format(p99=ms(p99_paint), limit=ms(limit)))),
    )


MISSED = """

**About the missed target.** The click's p99 was {p99}, above 3 x the bare call's p99 plus one frame ({limit})."""


if __name__ == "__main__":
    args = arguments(__doc__.splitlines()[0])
    with server(args.dsn) as srv:
        run(srv, args.quick).print()
