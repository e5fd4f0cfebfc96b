"""What a person sees before the main window: progress while the database starts (and, the first time, is
created), the choice between the demo studio and an empty one, or a clear message when it cannot start."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tutor_desktop.gui.kit.assets import app_icon, icon


class StartupWindow(QWidget):
    demo_chosen = Signal()
    empty_chosen = Signal(str)  # the first admin's name
    retry_requested = Signal()
    settings_requested = Signal()
    closed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("startupWindow")
        self.setWindowTitle("Tutor Desk")
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(16)
        top = QHBoxLayout()
        top.addWidget(QLabel(pixmap=app_icon().pixmap(48, 48)))
        title = QLabel("Tutor Desk")
        title.setProperty("heading", True)
        top.addWidget(title)
        top.addStretch(1)
        layout.addLayout(top)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages)
        self._progress_page()
        self._choice_page()
        self._error_page()

    # --- pages -----------------------------------------------------------------------------------------------

    def _progress_page(self) -> None:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 8, 0, 8)
        self.progress_text = QLabel("Starting…")
        self.progress_text.setObjectName("progressText")
        self.progress_detail = QLabel("")
        self.progress_detail.setProperty("muted", True)
        self.progress_detail.setWordWrap(True)
        bar = QProgressBar()
        bar.setRange(0, 0)
        bar.setTextVisible(False)
        bar.setMaximumHeight(8)
        box.addWidget(self.progress_text)
        box.addWidget(bar)
        box.addWidget(self.progress_detail)
        box.addStretch(1)
        self.pages.addWidget(page)
        self._progress = page

    def _choice_page(self) -> None:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(12)
        intro = QLabel("Welcome! Your studio database is ready on this computer. How would you like to start?")
        intro.setWordWrap(True)
        box.addWidget(intro)

        demo = _card()
        demo_box = QVBoxLayout(demo)
        head = QLabel("Explore the demo studio")
        head.setProperty("subheading", True)
        text = QLabel("Three tutors, a front desk, 40 clients with packages and four weeks of sessions, to try "
                      "every action on before your own studio.")
        text.setWordWrap(True)
        text.setProperty("muted", True)
        self.demo_button = QPushButton(icon("calendar", "#ffffff"), "Open the demo studio")
        self.demo_button.setObjectName("demoButton")
        self.demo_button.setProperty("primary", True)
        self.demo_button.clicked.connect(self.demo_chosen)
        demo_box.addWidget(head)
        demo_box.addWidget(text)
        demo_box.addWidget(self.demo_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(demo)

        empty = _card()
        empty_box = QVBoxLayout(empty)
        head = QLabel("Start an empty studio")
        head.setProperty("subheading", True)
        text = QLabel("You become the studio's first admin; add tutors, clients and packages as you go.")
        text.setWordWrap(True)
        text.setProperty("muted", True)
        row = QHBoxLayout()
        self.admin_name = QLineEdit()
        self.admin_name.setObjectName("adminNameEdit")
        self.admin_name.setPlaceholderText("Your name")
        self.admin_name.setMaxLength(120)
        self.empty_button = QPushButton("Create studio")
        self.empty_button.setObjectName("emptyStudioButton")
        self.empty_button.setEnabled(False)
        self.admin_name.textChanged.connect(lambda t: self.empty_button.setEnabled(bool(t.strip())))
        self.admin_name.returnPressed.connect(self._empty_clicked)
        self.empty_button.clicked.connect(self._empty_clicked)
        row.addWidget(self.admin_name, 1)
        row.addWidget(self.empty_button)
        empty_box.addWidget(head)
        empty_box.addWidget(text)
        empty_box.addLayout(row)
        box.addWidget(empty)
        self.pages.addWidget(page)
        self._choice = page

    def _error_page(self) -> None:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        head = QLabel("Tutor Desk could not open the studio")
        head.setProperty("subheading", True)
        self.error_text = QLabel()
        self.error_text.setObjectName("startupError")
        self.error_text.setWordWrap(True)
        self.error_text.setTextFormat(Qt.TextFormat.PlainText)
        self.error_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        settings = QPushButton(icon("settings"), "Settings…")
        settings.clicked.connect(self.settings_requested)
        retry = QPushButton(icon("refresh"), "Try again")
        retry.setProperty("primary", True)
        retry.clicked.connect(self.retry_requested)
        quit_button = QPushButton("Quit")
        quit_button.clicked.connect(self.close)
        buttons.addWidget(settings)
        buttons.addStretch(1)
        buttons.addWidget(quit_button)
        buttons.addWidget(retry)
        box.addWidget(head)
        box.addWidget(self.error_text)
        box.addStretch(1)
        box.addLayout(buttons)
        self.pages.addWidget(page)
        self._error = page

    # --- switching -------------------------------------------------------------------------------------------

    def show_progress(self, text: str, detail: str = "") -> None:
        self.progress_text.setText(text)
        self.progress_detail.setText(detail)
        self.pages.setCurrentWidget(self._progress)

    def show_choice(self) -> None:
        self.pages.setCurrentWidget(self._choice)
        self.demo_button.setFocus()

    def show_error(self, message: str) -> None:
        self.error_text.setText(message)
        self.pages.setCurrentWidget(self._error)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        super().closeEvent(event)
        self.closed.emit()

    @Slot()
    def _empty_clicked(self) -> None:
        name = self.admin_name.text().strip()
        if name:
            self.empty_chosen.emit(name)


def _card() -> QFrame:
    frame = QFrame()
    frame.setProperty("card", True)
    return frame
