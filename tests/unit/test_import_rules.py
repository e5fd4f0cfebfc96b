"""The layers of docs/architecture.md: domain imports nothing of ours; the port only the domain; db never Qt;
gui never SQLAlchemy, psycopg or the database layer; in gui, the kit stands alone, the shell uses only the kit,
and the areas (calendar, clients, staff) never import each other nor the top-level windows; only app.py wires
db and gui together."""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "tutor_desktop"


def imports_of(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def modules(sub: str = "") -> list[Path]:
    return sorted((PACKAGE / sub).rglob("*.py")) if sub else sorted(PACKAGE.glob("*.py"))


def forbidden(names: set[str], prefixes: tuple[str, ...]) -> set[str]:
    return {n for n in names if n.split(".")[0] in prefixes or n.startswith(prefixes)}


def test_there_are_modules_to_check():
    assert len(modules("db")) >= 5


@pytest.mark.parametrize("path", modules("domain"), ids=lambda p: p.name)
def test_domain_imports_nothing_of_ours_nor_qt_nor_sqlalchemy(path):
    names = {n for n in imports_of(path) if not n.startswith("tutor_desktop.domain")}
    assert not forbidden(names, ("tutor_desktop", "PySide6", "sqlalchemy", "psycopg"))


def test_the_port_imports_only_the_domain():
    names = imports_of(PACKAGE / "ports.py")
    assert {n for n in names if n.startswith("tutor_desktop")} == {"tutor_desktop.domain"}
    assert names <= {"__future__", "collections.abc", "datetime", "decimal", "typing", "uuid", "tutor_desktop.domain"}


@pytest.mark.parametrize("path", modules("db") + [PACKAGE / "config.py", PACKAGE / "cli.py"], ids=lambda p: p.name)
def test_db_config_and_cli_never_import_qt_or_gui(path):
    assert not forbidden(imports_of(path), ("PySide6", "tutor_desktop.gui"))


GUI_MODULES = modules("gui") if (PACKAGE / "gui").is_dir() else [
    pytest.param(None, marks=pytest.mark.skip(reason="there is no gui package yet"))]


@pytest.mark.parametrize("path", GUI_MODULES, ids=lambda p: getattr(p, "name", "gui"))
def test_gui_never_imports_the_database_layer(path):
    assert not forbidden(imports_of(path), ("sqlalchemy", "psycopg", "tutor_desktop.db"))


AREAS = ("calendar", "clients", "staff", "portability", "backups", "reports", "catalogue")
TOP_WINDOWS = tuple(f"tutor_desktop.gui.{p.stem}" for p in modules("gui/") if p.parent == PACKAGE / "gui")


def gui_imports(path: Path) -> set[str]:
    return {n for n in imports_of(path) if n.startswith("tutor_desktop.gui")}


def test_the_gui_has_its_folders():
    assert {p.name for p in (PACKAGE / "gui").iterdir() if p.is_dir() and p.name != "__pycache__"} >= {
        "shell", "kit", *AREAS}
    assert "tutor_desktop.gui.main_window" in TOP_WINDOWS


@pytest.mark.parametrize("path", modules("gui/kit"), ids=lambda p: p.name)
def test_the_kit_imports_only_the_kit(path):
    assert {n for n in gui_imports(path) if not n.startswith("tutor_desktop.gui.kit")} == set()


@pytest.mark.parametrize("path", modules("gui/shell"), ids=lambda p: p.name)
def test_the_shell_imports_only_the_shell_and_the_kit(path):
    assert {n for n in gui_imports(path) if not n.startswith(("tutor_desktop.gui.shell", "tutor_desktop.gui.kit"))
            } == set()


@pytest.mark.parametrize("area", AREAS)
def test_an_area_imports_no_other_area_nor_the_top_windows(area):
    others = tuple(f"tutor_desktop.gui.{a}" for a in AREAS if a != area) + TOP_WINDOWS
    found = {(p.name, n) for p in modules(f"gui/{area}") for n in gui_imports(p) if n.startswith(others)}
    assert found == set()


def test_only_the_composition_root_wires_the_database_and_the_windows():
    both = [p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")
            if forbidden(imports_of(p), ("tutor_desktop.db",)) and forbidden(imports_of(p), ("tutor_desktop.gui",))]
    assert both == ["app.py"]


def test_the_rule_checker_catches_a_violation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtWidgets import QWidget\nimport sqlalchemy.orm\nfrom tutor_desktop.gui.clients import x\n")
    assert gui_imports(bad) == {"tutor_desktop.gui.clients"}
    assert forbidden(imports_of(bad), ("PySide6",)) == {"PySide6.QtWidgets"}
    assert forbidden(imports_of(bad), ("sqlalchemy",)) == {"sqlalchemy.orm"}


def test_only_the_shell_publishes_changes():
    """A window never announces a change by hand: its Mutation publishes the one Change, and the windows listen."""
    outside = [p for p in modules("gui") if "shell" not in p.relative_to(PACKAGE / "gui").parts]
    by_hand = [p.name for p in outside if re.search(r"bus\.(publish|changed\.emit|hear)", p.read_text("utf-8"))]
    assert outside and by_hand == []


@pytest.mark.parametrize("path", modules("portability"), ids=lambda p: p.name)
def test_portability_uses_neither_the_database_layer_nor_the_windows(path):
    """Export, import and statements are shared by the command line and the windows: plain Python (Qt's print
    support only where a PDF is written)."""
    assert not forbidden(imports_of(path), ("tutor_desktop.db", "tutor_desktop.gui", "sqlalchemy", "psycopg"))
    if path.name != "statement_pdf.py":
        assert not forbidden(imports_of(path), ("PySide6",))
