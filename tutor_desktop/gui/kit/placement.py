"""Where a window opens: centred over the window it came from, and inside the screen's available area (never
wider or taller than the screen, whatever it holds)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

UNSHOWN_FRAME = QSize(16, 40)  # a window not shown yet has no frame: room for a usual title bar and borders


def place_window(window: QWidget, over: QWidget | None = None) -> QRect:
    """Sizes `window` to fit the available screen and centres it over `over` (or the screen); returns where."""
    anchor = over.window() if over is not None and over.isVisible() else None
    screen = (anchor.screen() if anchor is not None else None) or QGuiApplication.primaryScreen()
    room = screen.availableGeometry()
    frame = window.frameGeometry().size() - window.geometry().size()  # the title bar and borders, once shown
    if frame.isEmpty():
        frame = UNSHOWN_FRAME
    width = min(max(window.width(), window.minimumSizeHint().width()), room.width() - frame.width())
    height = min(max(window.height(), window.minimumSizeHint().height()), room.height() - frame.height())
    window.resize(width, height)
    centre = anchor.frameGeometry().center() if anchor is not None else room.center()
    top_left = QPoint(centre.x() - width // 2, centre.y() - height // 2)
    x = max(room.left(), min(top_left.x(), room.right() - width - frame.width() + 1))
    y = max(room.top(), min(top_left.y(), room.bottom() - height - frame.height() + 1))
    window.move(x, y)
    return QRect(x, y, width, height)
