"""The Backups port and the embedded database's backups agree on every method and its parameters."""

from __future__ import annotations

import inspect

import pytest

from tutor_desktop.db.backups.service import EmbeddedBackups
from tutor_desktop.ports import Backups

PORT_METHODS = sorted(name for name, value in vars(Backups).items() if inspect.isfunction(value)
                      and not name.startswith("_"))


def _parameters(function) -> list[tuple[str, object, object]]:  # noqa: ANN001
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


def test_the_port_has_methods():
    assert {"list", "backup_now", "restore", "run_due", "at_quit"} <= set(PORT_METHODS)


@pytest.mark.parametrize("name", PORT_METHODS)
def test_every_port_method_is_provided_with_the_same_parameters(name):
    assert _parameters(getattr(EmbeddedBackups, name)) == _parameters(getattr(Backups, name))
