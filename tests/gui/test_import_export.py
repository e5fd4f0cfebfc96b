"""The Import window and File > Export on the real database: the columns guessed from the header and changeable,
the preview, Check listing every row's problems and changing nothing, Import adding all at once and the client
list hearing of it, the same file again adding nothing; Export writing the CSV files where asked."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtWidgets import QMenu

from tests.gui.client_helpers import close_all, open_window
from tutor_desktop.domain import ImportKind, StaffRole
from tutor_desktop.gui.main_window import MainWindow
from tutor_desktop.gui.portability.export_flow import ExportFlow
from tutor_desktop.gui.portability.import_window import ImportWindow

CLIENTS = "Client;E-mail;Phone;Notes\nZoë Jiménez;zoe@example.com;600;likes mornings\n;nobody@example.com;;\n" \
          "Łukasz Żółw;;601;\nzoë jiménez;ZOE@example.com;;\n"


@pytest.fixture
def window(qtbot, desk):
    window = ImportWindow(desk.ctx)
    qtbot.addWidget(window)
    window.show()
    yield window
    close_all(window)


def _file(tmp_path, text: str, name: str = "clients.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8-sig"))
    return path


def _problems(window: ImportWindow) -> list[tuple[str, str]]:
    model = window.problems_model
    return [(model.item(r, 0).text(), model.item(r, 1).text()) for r in range(model.rowCount())]


def test_columns_are_guessed_and_the_preview_shows_the_rows_as_they_will_be_imported(window, tmp_path):
    assert not window.check_button.isEnabled() and not window.import_button.isEnabled()
    assert window.load_file(_file(tmp_path, CLIENTS))
    assert window.mapping.mapping() == {"external_id": None, "name": 0, "email": 1, "phone": 2, "notes": 3}
    assert "4 rows, 4 columns, separated by semicolons" in window.file_info.text()
    model = window.preview_model
    assert [model.horizontalHeaderItem(c).text() for c in range(model.columnCount())] == [
        "Row", "Name", "E-mail", "Phone", "Notes"]
    assert [model.item(0, c).text() for c in range(3)] == ["2", "Zoë Jiménez", "zoe@example.com"]
    window.mapping.choose("name", None)  # without a name column nothing can be imported
    assert not window.import_button.isEnabled() and "Name" in window.import_button.toolTip()
    window.mapping.choose("name", 0)
    assert window.import_button.isEnabled()


def test_check_lists_every_problem_and_changes_nothing_then_a_fixed_file_imports_once(qtbot, window, repo, tmp_path):
    window.load_file(_file(tmp_path, CLIENTS))
    window.check_button.click()
    qtbot.waitUntil(lambda: window.problems_model.rowCount() > 0, timeout=5000)
    problems = _problems(window)
    assert [row for row, _ in problems] == ["3", "5"]
    assert "empty" in problems[0][1] and "row 2" in problems[1][1]
    assert window.message_bar.kind == "warning" and repo.list_clients() == []
    assert window.message_bar.text().startswith("2 problems;") and window.problems_label.text() == "Problems: 2 in 2 rows"
    window.import_button.click()  # a real run with problems: nothing either
    qtbot.waitUntil(lambda: "nothing was imported" in window.message_bar.text(), timeout=5000)
    assert repo.list_clients() == []

    fixed = "\n".join(line for line in CLIENTS.splitlines() if not line.startswith((";", "zoë")))
    window.load_file(_file(tmp_path, fixed + "\n", "fixed.csv"))
    window.check_button.click()
    qtbot.waitUntil(lambda: "would be added" in window.message_bar.text(), timeout=5000)
    assert "2 clients would be added" in window.message_bar.text() and repo.list_clients() == []
    window.import_button.click()
    qtbot.waitUntil(lambda: "Imported" in window.message_bar.text(), timeout=5000)
    assert "Imported 2 clients; 0 were here already" in window.message_bar.text()
    assert sorted(c.full_name for c in repo.list_clients()) == ["Zoë Jiménez", "Łukasz Żółw"]
    window.import_button.click()
    qtbot.waitUntil(lambda: "Imported 0 clients; 2 were here already" in window.message_bar.text(), timeout=5000)
    assert len(repo.list_clients()) == 2


def test_packages_import_with_a_column_chosen_by_hand_and_the_client_list_hears_of_it(qtbot, desk, repo, tmp_path):
    main = MainWindow(desk.ctx)
    client = repo.create_client("Renée Côté", email="renee@example.com")
    window = ImportWindow(desk.ctx, main)
    window.kind_combo.setCurrentIndex(window.kind_combo.findData(ImportKind.PACKAGES))
    window.load_file(_file(tmp_path, "Who,What,Lessons,Used,Bought on\nRenée Côté,Ten,10,4,2025-03-01\n", "p.csv"))
    assert window.mapping.mapping()["client_name"] is None  # "Who" is no word it knows
    window.mapping.choose("client_name", 0)
    window.mapping.choose("label", 1)
    window.mapping.choose("sessions_total", 2)
    window.mapping.choose("sessions_used", 3)
    window.mapping.choose("purchased", 4)
    window.import_button.click()
    qtbot.waitUntil(lambda: "Imported 1 package;" in window.message_bar.text(), timeout=5000)
    [package] = repo.packages_for_client(client)
    assert (package.sessions_used, package.sessions_remaining) == (4, 6)
    model = main.clients.model
    qtbot.waitUntil(lambda: [model.index(r, 3).data() for r in range(model.rowCount())] == ["6 of 10"], timeout=5000)
    client_window = open_window(qtbot, desk.ctx, client)
    history = client_window.history
    qtbot.waitUntil(lambda: history.rowCount() == 5, timeout=5000)
    whats = [history.index(r, 2).data() for r in range(history.rowCount())]
    assert sorted(whats) == ["Imported from a spreadsheet: 10 sessions, 4 used before"] + [
        "Used before Tutor Desk"] * 4
    close_all(client_window, window, main)


def test_a_file_that_cannot_be_read_is_said_in_the_window(window, tmp_path):
    (tmp_path / "empty.csv").write_text("")
    assert not window.load_file(tmp_path / "empty.csv")
    assert window.message_bar.kind == "error" and "empty" in window.message_bar.text()


def test_export_writes_the_files_and_says_where(qtbot, desk, repo, studio, tmp_path):
    main = MainWindow(desk.ctx)
    repo.sell_package(studio.client, "Cinq séances", 5)
    file_menu = main.menuBar().findChildren(QMenu)[0]
    assert {"importAction", "exportAction"} <= {a.objectName() for a in file_menu.actions()}
    flow = ExportFlow(desk.ctx, main)
    flow.export_to(tmp_path / "export")
    qtbot.waitUntil(lambda: bool(flow.written), timeout=5000)
    assert main.message_bar.kind == "success" and str(tmp_path / "export") in main.message_bar.text()
    with (tmp_path / "export" / "packages.csv").open(encoding="utf-8-sig", newline="") as f:
        assert [row["label"] for row in csv.DictReader(f)] == ["Cinq séances"]
    close_all(main)


def test_import_is_off_for_a_tutor(qtbot, desk, login_as):
    tutor = login_as(StaffRole.TUTOR)
    desk.ctx.staff = tutor.repo.current_staff()
    main = MainWindow(desk.ctx)
    actions = {a.objectName(): a for a in main.menuBar().findChildren(QMenu)[0].actions()}
    assert not actions["importAction"].isEnabled() and actions["exportAction"].isEnabled()
    close_all(main)
