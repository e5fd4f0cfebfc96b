import os

import pytest

# Qt tests render offscreen; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_FIGURES: list[str] = []


@pytest.fixture
def report_figure():
    """Collects a measured figure for the summary at the end of the run (shown without -s)."""
    return _FIGURES.append


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001 - pytest's reporter
    if _FIGURES:
        terminalreporter.section("measured figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)
