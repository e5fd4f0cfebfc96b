"""A message floating over the edge of a window: refusals, confirmations and the lost-connection banner, without
a modal box in the way and without moving anything under the mouse (it is in no layout: it floats above the
window's own widgets, at the bottom of a window or the top of a dialog)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsDropShadowEffect,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tutor_desktop.gui.kit.assets import icon
from tutor_desktop.gui.kit.theme import is_dark

_KINDS = {
    # kind: (icon, foreground, background, border)
    "info": ("info", "#1f4fa8", "#e8f0fd", "#b9cff5"),
    "success": ("done", "#1d6b3e", "#e6f5ec", "#b4dec4"),
    "warning": ("warning", "#7a5300", "#fdf4dc", "#f0d992"),
    "error": ("warning", "#9b2424", "#fdeaea", "#f3bcbc"),
}
_DARK_KINDS = {
    "info": ("info", "#a9c6f7", "#1e2a40", "#2f4a78"),
    "success": ("done", "#9fdcb6", "#1b3326", "#2e5a40"),
    "warning": ("warning", "#f3d58a", "#3a3020", "#6b5626"),
    "error": ("warning", "#f4a9a9", "#3d2224", "#6e3337"),
}
SUCCESS_SHOWN_MS = 6000
MARGIN = 12
MAX_WIDTH = 760


class MessageBar(QFrame):
    def __init__(self, host: QWidget, edge: Qt.Edge = Qt.Edge.BottomEdge) -> None:
        """Floats over `host`, centred at its `edge` (top or bottom)."""
        super().__init__(host)
        self._edge = edge
        host.installEventFilter(self)
        shadow = QGraphicsDropShadowEffect(self, blurRadius=18, xOffset=0, yOffset=3)
        shadow.setColor(QColor(0, 0, 0, 70))
        self.setGraphicsEffect(shadow)
        self.setObjectName("messageBar")
        self.setAccessibleName("messageBar")
        self._icon = QLabel()
        self._text = QLabel()
        self._text.setObjectName("messageText")
        self._text.setWordWrap(True)
        self._text.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote what people typed
        self._action = QPushButton()
        self._action.setObjectName("messageAction")
        self._action.clicked.connect(self._act)
        self._action.hide()
        self._details = QLabel()  # what the server or driver said, on demand
        self._details.setObjectName("messageDetails")
        self._details.setWordWrap(True)
        self._details.setTextFormat(Qt.TextFormat.PlainText)
        self._details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._details.hide()
        self._details_button = QToolButton()
        self._details_button.setObjectName("messageDetailsButton")
        self._details_button.setText("Details")
        self._details_button.setAutoRaise(True)
        self._details_button.setCheckable(True)
        self._details_button.toggled.connect(self._show_details)
        self._details_button.hide()
        self._callback: Callable[[], None] | None = None
        self._close = QToolButton()
        self._close.setAutoRaise(True)
        self._close.setToolTip("Dismiss")
        self._close.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self._icon)
        words = QVBoxLayout()
        words.setSpacing(2)
        words.addWidget(self._text)
        words.addWidget(self._details)
        layout.addLayout(words, 1)
        layout.addWidget(self._details_button)
        layout.addWidget(self._action)
        layout.addWidget(self._close)
        self._hide_timer = QTimer(self, singleShot=True)
        self._hide_timer.timeout.connect(self.dismiss)
        self.kind = ""
        self.hide()

    def text(self) -> str:
        return self._text.text() if self.isVisibleTo(self.parentWidget()) else ""

    def details(self) -> str:
        """The technical details, once Details was pressed."""
        shown = self.isVisibleTo(self.parentWidget()) and self._details.isVisibleTo(self)
        return self._details.text() if shown else ""

    def show_message(self, text: str, kind: str = "info", *, sticky: bool = False,
                     action: tuple[str, Callable[[], None]] | None = None, details: str = "") -> None:
        """`action`: a button (label, callback) in the bar, e.g. Retry; it is pressed at most once. `details`:
        technical words (what the server said) behind a Details button, never in the message itself."""
        kinds = _DARK_KINDS if is_dark() else _KINDS
        glyph, fg, bg, border = kinds.get(kind, kinds["info"])
        self.kind = kind
        self.setStyleSheet(
            f"QFrame#messageBar {{ background: {bg}; border: 1px solid {border}; border-radius: 8px; }}"
            f" QLabel {{ color: {fg}; background: transparent; }}"
        )
        self._icon.setPixmap(icon(glyph, fg).pixmap(18, 18))
        self._close.setIcon(icon("close", fg))
        self._text.setText(text)
        self._details.setText(details)
        self._details_button.setChecked(False)
        self._details_button.setVisible(bool(details))
        self._details_button.setToolTip(details)
        self._close.setVisible(not sticky)
        self._callback = action[1] if action else None
        self._action.setText(action[0] if action else "")
        self._action.setVisible(action is not None)
        self.show()
        self._place()
        self._hide_timer.stop()
        if kind in ("success", "info") and not sticky:
            self._hide_timer.start(SUCCESS_SHOWN_MS)

    def offers(self, callback: Callable[[], None]) -> bool:
        """The bar is showing, with `callback` behind its action button (not pressed yet)."""
        return self.isVisibleTo(self.parentWidget()) and self._callback is not None and self._callback == callback

    @Slot(bool)
    def _show_details(self, shown: bool) -> None:
        self._details.setVisible(shown)
        if shown:
            self._hide_timer.stop()  # being read
        self._place()

    @Slot()
    def _act(self) -> None:
        callback, self._callback = self._callback, None
        self.dismiss()
        if callback is not None:
            callback()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False

    def _place(self) -> None:
        host = self.parentWidget()
        width = max(120, min(host.width() - 2 * MARGIN, MAX_WIDTH))
        height = self.layout().totalHeightForWidth(width) if self.layout().hasHeightForWidth() else \
            self.sizeHint().height()
        top = MARGIN if self._edge == Qt.Edge.TopEdge else host.height() - height - MARGIN
        self.setGeometry((host.width() - width) // 2, max(0, top), width, height)
        self.raise_()

    def dismiss(self) -> None:
        self._hide_timer.stop()
        self.kind = ""
        self.hide()
