"""Settings > Move this studio to a server: the studio on this computer copied to an empty studio server (every
row with its ids, checked there), the admin given a login of the server, and this desk pointed at the server,
now (Use the server now) or from its next start. The studio on this computer stays as it was, marked as moved."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from tutor_desktop import config, credentials
from tutor_desktop.domain import MoveOutcome, TutorDeskError
from tutor_desktop.gui.kit.formatting import amount
from tutor_desktop.gui.kit.message_bar import MessageBar
from tutor_desktop.gui.kit.theme import mark_primary
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.operations import Query

EXPLAIN = ("Copies every client, package, session, ledger and audit row to an empty database on a studio server, "
           "checks there that every count matches and reconcile finds nothing, and then uses the server (at once, "
           "or from the next start). The studio on this computer is kept as it was, marked as moved.")


class MoveDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None,
                 switch: Callable[[str], None] | None = None) -> None:
        """`switch(message)`: reopens the desk on the server once the studio is there (None: from the next start)."""
        super().__init__(parent)
        self.switch = switch
        self.ctx = ctx
        self.outcome: MoveOutcome | None = None
        self.setObjectName("moveDialog")
        self.setWindowTitle("Move this studio to a server · Tutor Desk")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        explain = QLabel(EXPLAIN)
        explain.setWordWrap(True)
        self.url = QLineEdit()
        self.url.setObjectName("moveServerUrl")
        self.url.setPlaceholderText("postgresql://postgres@studio-server/studio")
        self.url.setToolTip("A superuser URL of the server's empty database (the move creates the schema and your "
                            "login); the password is asked for by the server, or set PGPASSWORD")
        self.login = QLineEdit()
        self.login.setObjectName("moveLogin")
        self.login.setPlaceholderText("e.g. ada")
        self.password = QLineEdit()
        self.password.setObjectName("movePassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setObjectName("movePasswordAgain")
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow("Server (superuser URL)", self.url)
        form.addRow("Your login there", self.login)
        form.addRow("Its password", self.password)
        form.addRow("Once more", self.again)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.move_button = self.buttons.addButton("Move the studio", QDialogButtonBox.ButtonRole.AcceptRole)
        self.move_button.setObjectName("moveStudioButton")
        mark_primary(self.move_button)
        self.buttons.accepted.connect(self.move)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        layout.addSpacing(76)  # the message bar floats here (two lines), over no button, and nothing moves
        self.message_bar = MessageBar(self)
        self.resize(640, 400)

    @Slot()
    def move(self) -> None:
        if self.password.text() != self.again.text():
            self.message_bar.show_message("The two passwords differ.", "error")
            return
        try:
            url = config.validate_dsn(self.url.text())
        except TutorDeskError as error:
            self.message_bar.show_message(error.message, "error")
            return
        login, password, mover = self.login.text().strip(), self.password.text(), self.ctx.move_to_server
        self.message_bar.show_message("Moving the studio…", "info", sticky=True)
        self.query = Query(self.ctx, self, lambda: mover(url, login, password),
                           busy=[self.move_button, self.url, self.login, self.password, self.again])
        self.query.on_success(self._moved).run()

    def _moved(self, outcome: MoveOutcome) -> None:
        self.outcome = outcome
        config.write_config_dsn(outcome.desk_url)
        config.remember_login(outcome.admin_login)
        credentials.save_password(outcome.desk_url, outcome.admin_login, self.password.text())
        counts = outcome.counts
        dropped = (f" {', '.join(outcome.logins_waiting)} keep their logins; set a password for each with Reset "
                   "password… in the staff window before they sign in." if outcome.logins_waiting else "")
        dropped += (f" The server already uses the login names of {', '.join(outcome.logins_dropped)}; add them an"
                    " account of their own in the staff window." if outcome.logins_dropped else "")
        self.message_bar.show_message(
            f"Moved {amount(counts['clients'], 'client')}, {amount(counts['packages'], 'package')} and "
            f"{amount(counts['sessions'], 'session')}; "
            f"every count matches on the server. {'Use it now, or' if self.switch else 'Tutor Desk uses it'} from "
            f"its next start.{dropped}", "success", sticky=True)
        self.move_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")
        if self.switch is not None:
            self.use_now_button = self.buttons.addButton("Use the server now", QDialogButtonBox.ButtonRole.ActionRole)
            self.use_now_button.setObjectName("useServerNowButton")
            mark_primary(self.use_now_button)
            self.use_now_button.clicked.connect(self._use_now)

    @Slot()
    def _use_now(self) -> None:
        switch, self.switch = self.switch, None
        self.accept()
        switch("The studio moved to the studio server; this desk now uses it.")
