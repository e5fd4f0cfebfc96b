"""The clients tab: instant search, a new client through its dialog, and opening a client's window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from tests.gui.client_helpers import close_all
from tutor_desktop.gui.clients.window import ClientWindow
from tutor_desktop.gui.clients.list_page import ClientListPage


@pytest.fixture
def page(qtbot, desk, repo, studio):
    repo.create_client("Alice Smith", "alice@example.com", "+44 20 7946 0001")
    repo.create_client("Bob Jones", "bob@example.org", "+44 20 7946 0002")
    page = ClientListPage(desk.ctx)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=5000)
    yield page
    close_all(*page.ctx.windows.open_windows(), page)


def names(page) -> list[str]:
    """As the table shows them, in its order."""
    return [page.sorted.index(r, 0).data() for r in range(page.sorted.rowCount())]


def test_search_filters_as_you_type(qtbot, page):
    search = page.findChild(QLineEdit, "clientSearch")
    assert search.accessibleName() == "clientSearch"
    assert search.placeholderText() == "Search clients by name, email or phone"
    qtbot.keyClicks(search, "bob")
    qtbot.waitUntil(lambda: names(page) == ["Bob Jones"], timeout=2000)
    search.clear()
    qtbot.keyClicks(search, "example.com")
    qtbot.waitUntil(lambda: names(page) == ["Alice Smith"], timeout=2000)
    search.clear()
    qtbot.keyClicks(search, "0002")
    qtbot.waitUntil(lambda: names(page) == ["Bob Jones"], timeout=2000)
    search.clear()
    page.ctx.studio.create_client("Rosa Jiménez")
    qtbot.keyClicks(search, "jimenez")  # accents and case do not stand in the way
    qtbot.waitUntil(lambda: names(page) == ["Rosa Jiménez"], timeout=2000)
    search.clear()
    qtbot.keyClicks(search, "nobody at all")
    qtbot.waitUntil(lambda: names(page) == [] and page.empty_label.isVisible(), timeout=2000)


def test_sessions_left_come_from_the_packages(qtbot, page, repo, studio):
    repo.sell_package(studio.client, "10 sessions", 10)
    row = lambda: names(page).index("Test Client")  # noqa: E731
    qtbot.waitUntil(lambda: page.model.index(row(), 3).data() == "10 of 10", timeout=2000)
    assert page.model.index(names(page).index("Alice Smith"), 3).data() == "No active package"


def test_focus_search_puts_the_cursor_in_the_search(qtbot, page):
    page.table.setFocus()
    page.focus_search()
    qtbot.waitUntil(lambda: page.search.hasFocus(), timeout=1000)


def test_new_client_through_the_dialog(qtbot, page, repo):
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.client_dialog
    assert dialog.dialog.isVisible()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.text() == "Please enter the client's name."
    assert dialog.dialog.isVisible()
    qtbot.keyClicks(dialog.name_edit, "Carla Diaz")
    qtbot.keyClicks(dialog.email_edit, "carla@example.com")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Carla Diaz" in names(page), timeout=5000)
    assert "Carla Diaz" in [c.full_name for c in repo.list_clients("carla")]
    assert page.current_client_id() == repo.list_clients("carla")[0].id
    assert page.message_bar.text() == "The client was added."


def test_enter_opens_the_client_window(qtbot, page, studio):
    page.table.setFocus()
    page.table.selectRow(names(page).index("Test Client"))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: (window := page.ctx.windows.find(ClientWindow, studio.client)) is not None
                    and window.isVisible(), timeout=5000)


def test_columns_sort_and_low_balances_stand_out(qtbot, page, repo):
    clients = {c.full_name: c.id for c in repo.list_clients()}
    repo.sell_package(clients["Alice Smith"], "Ten", 10)
    low = repo.sell_package(clients["Bob Jones"], "Five", 5)
    for _ in range(3):
        repo.use_session(low)
    page.reload_packages()
    qtbot.waitUntil(lambda: "2 of 5" in [page.sorted.index(r, 3).data() for r in range(3)], timeout=5000)
    assert names(page) == ["Alice Smith", "Bob Jones", "Test Client"]
    page.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    assert names(page) == ["Test Client", "Bob Jones", "Alice Smith"]  # none, 2 left, 10 left
    page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert names(page) == ["Test Client", "Bob Jones", "Alice Smith"]
    bob = page.sorted.index(1, 3)
    assert bob.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#d9822b"
    assert bob.data(Qt.ItemDataRole.FontRole).bold() and "Only 2 left" in bob.data(Qt.ItemDataRole.ToolTipRole)
    assert page.sorted.index(2, 3).data(Qt.ItemDataRole.FontRole) is None  # ten left: nothing to say
    test_client = page.sorted.index(0, 3)
    assert test_client.data(Qt.ItemDataRole.ToolTipRole) is None  # never had a package: muted, nothing to offer yet
    for _ in range(2):
        repo.use_session(low)  # Bob's package used up: he stands out as much as a low balance
    page.reload_packages()
    qtbot.waitUntil(lambda: page.sorted.index(1, 3).data().startswith("No active package"), timeout=5000)
    bob = page.sorted.index(1, 3)
    assert bob.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#d9822b"
    assert "Nothing left to use" in bob.data(Qt.ItemDataRole.ToolTipRole)
    qtbot.keyClick(page.search, Qt.Key.Key_Return)  # Enter opens the first client as the table shows it
    qtbot.waitUntil(lambda: page.ctx.windows.find(ClientWindow, clients["Test Client"]) is not None, timeout=5000)


def test_a_client_is_archived_hidden_from_the_list_and_restored(qtbot, page, repo):
    bob = next(c.id for c in repo.list_clients("Bob"))
    page.open_client(bob)
    window = page.ctx.windows.find(ClientWindow, bob)
    qtbot.waitUntil(window.isVisible, timeout=5000)
    archive = window.header.archive_button
    assert archive.text() == "Archive"
    archive.click()
    box = window.header.confirm_box
    qtbot.waitUntil(box.isVisible)
    assert sorted(b.text() for b in box.buttons()) == ["Archive", "Keep in the list"]
    next(b for b in box.buttons() if b.text() == "Archive").click()
    qtbot.waitUntil(lambda: "Bob Jones" not in names(page), timeout=5000)  # the Change reached the list
    assert repo.get_client(bob).archived
    page.show_archived.setChecked(True)
    qtbot.waitUntil(lambda: "Bob Jones  (archived)" in names(page), timeout=5000)
    qtbot.waitUntil(lambda: archive.text() == "Restore", timeout=5000)
    archive.click()  # restoring needs no confirmation: nothing is hidden by it
    qtbot.waitUntil(lambda: "Bob Jones" in names(page), timeout=5000)
    assert not repo.get_client(bob).archived
    window.close()


def test_a_name_another_client_has_warns_before_a_second_is_added(qtbot, page, repo):
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.client_dialog
    dialog.name_edit.setText("bob jónes")  # the same name as a person reads it
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "already a client named Bob Jones" in dialog.error_label.text(), timeout=5000)
    assert "bob@example.org" in dialog.error_label.text() and dialog.ok_button.text() == "Add anyway"
    assert dialog.dialog.isVisible() and len(repo.list_clients("jones")) == 1
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(repo.list_clients("jones")) == 2, timeout=5000)
