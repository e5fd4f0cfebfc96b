"""The layers of DESIGN.md: domain imports nothing of ours; the port only the domain; db never Qt; gui never
SQLAlchemy or psycopg; only app.py wires db and gui together."""

import ast
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


@pytest.mark.parametrize("path", [PACKAGE / "domain.py"], ids=str)
def test_domain_imports_nothing_of_ours_nor_qt_nor_sqlalchemy(path):
    assert not forbidden(imports_of(path), ("tutor_desktop", "PySide6", "sqlalchemy", "psycopg"))


def test_the_port_imports_only_the_domain():
    names = imports_of(PACKAGE / "ports.py")
    assert {n for n in names if n.startswith("tutor_desktop")} == {"tutor_desktop.domain"}
    assert names <= {"__future__", "datetime", "typing", "uuid", "tutor_desktop.domain"}


@pytest.mark.parametrize("path", modules("db") + [PACKAGE / "config.py", PACKAGE / "cli.py"], ids=lambda p: p.name)
def test_db_config_and_cli_never_import_qt_or_gui(path):
    assert not forbidden(imports_of(path), ("PySide6", "tutor_desktop.gui"))


GUI_MODULES = modules("gui") if (PACKAGE / "gui").is_dir() else [
    pytest.param(None, marks=pytest.mark.skip(reason="there is no gui package yet"))]


@pytest.mark.parametrize("path", GUI_MODULES, ids=lambda p: getattr(p, "name", "gui"))
def test_gui_never_imports_the_database_layer(path):
    assert not forbidden(imports_of(path), ("sqlalchemy", "psycopg", "tutor_desktop.db"))


def test_the_rule_checker_catches_a_violation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtWidgets import QWidget\nimport sqlalchemy.orm\n")
    assert forbidden(imports_of(bad), ("PySide6",)) == {"PySide6.QtWidgets"}
    assert forbidden(imports_of(bad), ("sqlalchemy",)) == {"sqlalchemy.orm"}
