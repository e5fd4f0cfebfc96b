"""An inline message strip at the top of a window: refusals, confirmations and the lost-connection banner,
without a modal box in the way."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from tutor_desktop.gui.assets import icon

_KINDS = {
    # kind: (icon, foreground, background, border)
    "info": ("info", "#1f4fa8", "#e8f0fd", "#b9cff5"),
    "success": ("done", "#1d6b3e", "#e6f5ec", "#b4dec4"),
    "warning": ("warning", "#7a5300", "#fdf4dc", "#f0d992"),
    "error": ("warning", "#9b2424", "#fdeaea", "#f3bcbc"),
}
SUCCESS_SHOWN_MS = 6000


class MessageBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setAccessibleName("messageBar")
        self._icon = QLabel()
        self._text = QLabel()
        self._text.setObjectName("messageText")
        self._text.setWordWrap(True)
        self._text.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote what people typed
        self._close = QToolButton()
        self._close.setAutoRaise(True)
        self._close.setToolTip("Dismiss")
        self._close.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self._icon)
        layout.addWidget(self._text, 1)
        layout.addWidget(self._close)
        self._hide_timer = QTimer(self, singleShot=True)
        self._hide_timer.timeout.connect(self.dismiss)
        self.kind = ""
        self.hide()

    def text(self) -> str:
        return self._text.text() if self.isVisibleTo(self.parentWidget()) else ""

    def show_message(self, text: str, kind: str = "info", *, sticky: bool = False) -> None:
        glyph, fg, bg, border = _KINDS.get(kind, _KINDS["info"])
        self.kind = kind
        self.setStyleSheet(
            f"QFrame#messageBar {{ background: {bg}; border: 1px solid {border}; border-radius: 8px; }}"
            f" QLabel {{ color: {fg}; background: transparent; }}"
        )
        self._icon.setPixmap(icon(glyph, fg).pixmap(18, 18))
        self._close.setIcon(icon("close", fg))
        self._text.setText(text)
        self._close.setVisible(not sticky)
        self.show()
        self._hide_timer.stop()
        if kind in ("success", "info") and not sticky:
            self._hide_timer.start(SUCCESS_SHOWN_MS)

    def dismiss(self) -> None:
        self._hide_timer.stop()
        self.kind = ""
        self.hide()
