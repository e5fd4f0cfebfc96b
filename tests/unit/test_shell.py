"""The GUI shell on the fake studio, no database: the task runner, operations, the change bus, LatestRead, the
window registry, and one client window, so window logic is checked in milliseconds."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QPushButton, QWidget

from tests.unit.fake_studio import FakeStudio
from tutor_desktop.domain import AutoCompleteResult, Balance, Change, DatabaseUnavailable, SessionStatus, StatusChange
from tutor_desktop.gui.kit.message_bar import MessageBar
from tutor_desktop.gui.shell.bus import ChangeBus, announced_change
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.latest_read import LatestRead
from tutor_desktop.gui.shell.operations import Mutation
from tutor_desktop.gui.shell.tasks import TaskRunner
from tutor_desktop.gui.shell.loaded_window import LoadedWindow


@pytest.fixture
def fake() -> FakeStudio:
    return FakeStudio()


@pytest.fixture
def ctx(qtbot, fake) -> Iterator[DeskContext]:  # noqa: ANN001 - fixtures
    context = DeskContext(TaskRunner(), ChangeBus(), fake, staff=fake.current_staff())
    yield context
    context.runner.shutdown()


@pytest.fixture
def changes(ctx) -> list[tuple[Change, object]]:  # noqa: ANN001
    heard: list[tuple[Change, object]] = []
    ctx.bus.changed.connect(lambda change, origin: heard.append((change, origin)))
    return heard


class Host(QWidget):
    """A window with a message bar, as the operations expect."""

    def __init__(self) -> None:
        super().__init__()
        self.message_bar = MessageBar(self)
        self.button = QPushButton("Use", self)


def test_a_mutation_holds_its_widgets_and_publishes_one_change_with_its_origin(qtbot, ctx, fake, changes):
    package = fake.sell_package(fake.create_client("Ada"), "10 sessions", 10)
    host = Host()
    qtbot.addWidget(host)
    op = Mutation(ctx, host, lambda request_id: fake.use_session(package, request_id=request_id), busy=[host.button])
    op.run()
    assert not host.button.isEnabled()
    assert op.run() is False  # a second click while in flight sends nothing
    qtbot.waitUntil(lambda: not op.running)
    assert host.button.isEnabled()
    assert len(changes) == 1
    change, origin = changes[0]
    assert origin is host and change.package_ids == {package}
    assert change.balance.sessions_remaining == 9
    assert len(fake.ledger_for_packages([package])[package]) == 1


def test_a_lost_reply_offers_retry_with_the_same_request_id_and_applies_once(qtbot, ctx, fake, changes):
    client = fake.create_client("Ada")
    package = fake.sell_package(client, "10 sessions", 10)
    host = Host()
    qtbot.addWidget(host)
    sent: list[uuid.UUID] = []

    def use(request_id: uuid.UUID) -> Balance:
        sent.append(request_id)
        return fake.use_session(package, request_id=request_id)

    fake.fail_next(DatabaseUnavailable("The database cannot be reached."))
    op = Mutation(ctx, host, use, busy=[host.button])
    op.run()
    qtbot.waitUntil(lambda: not op.running)
    assert changes == [] and not ctx.bus.online
    assert "cannot be reached" in host.message_bar.text()
    host.message_bar._action.click()  # Retry
    qtbot.waitUntil(lambda: not op.running and len(changes) == 1)
    assert len(sent) == 2 and sent[0] == sent[1]
    assert ctx.bus.online and len(changes) == 1  # back online: what changed meanwhile comes from the change feed
    assert changes[0][0].balance.sessions_remaining == 9 and changes[0][1] is host
    op.run()  # the same action once more: its request id makes it a replay
    qtbot.waitUntil(lambda: not op.running and len(changes) == 2)
    assert fake.packages_for_client(client)[0].sessions_remaining == 9


def test_what_the_feed_found_becomes_one_change_and_what_is_not_understood_is_everything():
    package, session, request = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    heard = announced_change(json.dumps({"changes": [
        {"id": 1, "package": str(package), "session": None, "client": 7, "request": str(request)},
        {"id": 2, "package": None, "session": str(session), "client": 7, "request": None}], "everything": False}))
    assert heard == Change(package_ids=frozenset({package}), session_ids=frozenset({session}),
                           client_ids=frozenset({7}))
    assert announced_change('{"changes": [], "everything": true}').everything
    assert announced_change('{"changes": [], "everything": false}') is None
    assert announced_change("not json").everything
    assert announced_change('{"changes": [{"package": "not a uuid"}]}').everything
    assert announced_change('{"changes": [{"client": "x"}]}').everything
    nameless = {"id": 3, "package": None, "session": None, "client": None, "request": None}  # an import, the catalogue
    assert announced_change(json.dumps({"changes": [nameless], "everything": False})).everything


def test_this_desks_own_changes_read_back_from_the_feed_are_not_published_again(qtbot, ctx, fake, changes):
    client = fake.create_client("Ada")
    package = fake.sell_package(client, "10 sessions", 10)
    host = Host()
    qtbot.addWidget(host)
    op = Mutation(ctx, host, lambda request_id: fake.use_session(package, request_id=request_id))
    op.run()
    qtbot.waitUntil(lambda: not op.running)
    assert len(changes) == 1 and changes[0][1] is host

    def feed(*requests: uuid.UUID) -> str:
        return json.dumps({"changes": [{"id": n, "package": str(package), "session": None, "client": client,
                                        "request": str(r)} for n, r in enumerate(requests)], "everything": False})

    with qtbot.waitSignal(ctx.bus.changed, timeout=1000) as other:
        ctx.bus.hear(feed(op.request_id))  # its own echo alone: nothing
        ctx.bus.hear(feed(op.request_id, uuid.uuid4()))  # with another desk's change: that one
    assert other.args == [Change(package_ids=frozenset({package}), client_ids=frozenset({client})), None]
    assert len(changes) == 2


def test_coming_back_online_says_so(qtbot, ctx, changes):
    restored: list[bool] = []
    ctx.bus.connection_restored.connect(lambda: restored.append(True))
    ctx.bus.report_reachable()
    assert restored == [] and changes == []  # it never went away
    ctx.bus.report_unreachable("gone")
    ctx.bus.report_reachable()
    assert restored == [True] and changes == []  # the listener reads what changed meanwhile from the feed


def test_change_of_says_what_each_result_touched():
    package, session, moved = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    balance = Balance(package, True, 1, 10, 9, "consumed")
    assert Change.of(balance) == Change(package_ids=frozenset({package}), balance=balance)
    status = StatusChange(session, SessionStatus.RESCHEDULED, package, True, 1, 10, 9, "unchanged", moved)
    change = Change.of(status)
    assert change.session_ids == {session, moved} and change.balance == Balance(package, True, 1, 10, 9, "unchanged")
    assert Change.of(AutoCompleteResult(3, 2)).everything and not Change.of(AutoCompleteResult(0, 0)).everything
    with pytest.raises(TypeError):
        Change.of(42)
    assert change.touches(sessions=[moved]) and not change.touches(clients=[1])


def test_a_read_that_left_before_a_newer_request_is_never_shown(qtbot, ctx):
    host = Host()
    qtbot.addWidget(host)
    gate, value, shown = threading.Event(), [1], []

    def make():  # noqa: ANN202
        current = value[0]
        return lambda: (gate.wait(5), current)[1], shown.append

    reads = LatestRead(ctx, host, make)
    reads.request()
    value[0] = 2
    reads.request()  # while the first is out: it may predate what prompted this one
    gate.set()
    qtbot.waitUntil(lambda: not reads.running and bool(shown))
    assert shown == [2]


def test_a_superseded_read_is_dropped_without_another(qtbot, ctx):
    host = Host()
    qtbot.addWidget(host)
    gate, shown, sent = threading.Event(), [], []

    def make():  # noqa: ANN202
        sent.append(1)
        return lambda: gate.wait(5), shown.append

    reads = LatestRead(ctx, host, make)
    reads.request()
    reads.supersede()  # an answer newer than this read was shown meanwhile
    gate.set()
    qtbot.waitUntil(lambda: not reads.running)
    qtbot.wait(50)
    assert shown == [] and sent == [1]


class Loading(LoadedWindow):
    def load(self) -> None:
        self.loads = getattr(self, "loads", 0) + 1


def test_the_registry_keeps_one_window_per_key_and_forgets_a_closed_one(qtbot, ctx):
    first = ctx.windows.show(Loading, 1)
    assert ctx.windows.show(Loading, 1) is first and first.loads == 1
    assert not first.isVisible()  # still loading: it shows itself once its records are in
    first.loaded_once()
    assert first.isVisible()
    other = ctx.windows.show(Loading, 2)
    assert other is not first
    first.close()
    assert ctx.windows.find(Loading, 1) is None and ctx.windows.find(Loading, 2) is other
    other.close()


def test_the_client_window_paints_a_use_once_from_its_change(qtbot, ctx, fake, changes):
    from tutor_desktop.gui.clients.window import ClientWindow

    client = fake.create_client("Ada Lovelace")
    package = fake.sell_package(client, "10 sessions", 10)
    window = ctx.windows.show(ClientWindow, client)
    qtbot.addWidget(window)
    qtbot.waitUntil(window.isVisible)
    painted: list[str] = []
    window.card.remaining_label.setText = lambda text, set_text=window.card.remaining_label.setText: (
        painted.append(text), set_text(text))
    window.card.ask_reason = lambda _prompt, _ok, proceed: proceed("by hand")
    window.card.use_button.click()
    qtbot.waitUntil(lambda: len(changes) == 1 and not window.reading)
    assert painted[0] == "9" and set(painted) == {"9"}
    assert window.packages.find(package).sessions_remaining == 9
    assert [entry.reason for entry in window.history.rows] == ["by hand", ""]  # newest first: the use, the sale
    assert "One session used. 9 remaining." in window.message_bar.text()
