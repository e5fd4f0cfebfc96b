"""Composition root: configuration -> database -> repository -> task runner, change bus, listener -> windows.
The only module that wires the database layer and the windows together."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QApplication

from tutor_desktop import config, credentials
from tutor_desktop.config import DatabaseChoice
from tutor_desktop.db.bootstrap import OpenDatabase, open_database
from tutor_desktop.db.demo import load_demo
from tutor_desktop.db.engine import make_engine, with_login
from tutor_desktop.db.listener import ChangeListener
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import Staff, TutorDeskError
from tutor_desktop.gui.assets import app_icon
from tutor_desktop.gui.bus import ChangeBus
from tutor_desktop.gui.context import DeskContext
from tutor_desktop.gui.startup_report import demo_without_asking, report_first_paint
from tutor_desktop.gui.startup_window import StartupWindow
from tutor_desktop.gui.tasks import TaskRunner
from tutor_desktop.gui.theme import apply_theme

log = logging.getLogger(__name__)


@dataclass
class Desk:
    ctx: DeskContext
    listener: ChangeListener

    def close(self, *, dispose_engine: bool = True) -> None:
        self.listener.stop()
        self.ctx.runner.shutdown()
        if dispose_engine:
            self.ctx.studio.close()


def start_desk(repo: Repository, listen_url: str, server_label: str = "Local database") -> Desk:
    """The runner, the bus and the listener for one desk; call in the GUI thread with a QApplication."""
    runner = TaskRunner()
    bus = ChangeBus()
    listener = ChangeListener(
        listen_url,
        on_change=bus.hear,
        on_state=bus.hear_state,
    )
    listener.start()
    return Desk(DeskContext(runner, bus, repo, server_label=server_label), listener)


class Startup(QObject):
    """Opens the database in the background while the startup window shows progress, offers the demo or an
    empty studio on a fresh embedded database, then shows the main window once its first week is loaded."""

    def __init__(self, dsn: str | None = None) -> None:
        super().__init__()
        self._dsn = dsn
        self._runner = TaskRunner(self)
        self.window = StartupWindow()
        self.opened: OpenDatabase | None = None
        self.repo: Repository | None = None
        self.desk: Desk | None = None
        self.main = None  # the MainWindow, once the studio is open
        self.login = None  # the LoginDialog, for a studio server
        self.window.demo_chosen.connect(self._load_demo)
        self.window.empty_chosen.connect(self._create_studio)
        self.window.retry_requested.connect(self.start)
        self.window.settings_requested.connect(self._settings)

    @Slot()
    def start(self) -> None:
        choice = self._choice()
        if choice is None:
            return
        if not choice.embedded and not urlsplit(choice.dsn).password:
            self._ask_login(choice)
            return
        first_run = choice.embedded and not (config.data_dir() / "pgdata").exists()
        self.window.show_progress(
            "Creating the studio database…" if first_run else "Opening the studio database…",
            "This takes a few seconds the first time." if first_run else _where(choice),
        )
        self.window.show()
        self._runner.submit(lambda: self._open(choice), self._opened, write=True)

    def _choice(self) -> DatabaseChoice | None:
        try:
            return config.choose_database(self._dsn)
        except TutorDeskError as error:
            self.window.show_error(error.message)
            self.window.show()
            return None

    def _ask_login(self, choice: DatabaseChoice) -> None:
        from tutor_desktop.gui.login_dialog import LoginDialog

        login = config.remembered_login() or urlsplit(choice.dsn).username or ""
        self.login = LoginDialog(choice.dsn, login, credentials.saved_password(choice.dsn, login),
                                 keyring=credentials.keyring_available(), parent=self.window)
        self.login.submitted.connect(lambda name, password, remember: self._sign_in(choice, name, password, remember))
        self.login.cancelled.connect(lambda: self.window.show_error("Not signed in."))
        self.window.show_progress("Signing in…", _where(choice))
        self.window.show()
        self.login.show()

    def _sign_in(self, choice: DatabaseChoice, name: str, password: str, remember: bool) -> None:
        signed = DatabaseChoice(with_login(choice.dsn, name, password), choice.source)

        def done(result: tuple[bool, str] | None, error: BaseException | None) -> None:
            if not self.login.dialog.isVisible():  # cancelled while the server was asked: stay signed out
                self._close_database()
                return
            if error is not None:
                self.login.refused(_message(error))
                return
            config.remember_login(name)
            if remember:
                credentials.save_password(choice.dsn, name, password)
            else:
                credentials.forget_password(choice.dsn, name)
            self.login.close()
            self._opened(result, None)

        self._runner.submit(lambda: self._open(signed), done, write=True)

    def _open(self, choice: DatabaseChoice) -> tuple[bool, str]:
        self._close_database()
        opened = open_database(choice, config.data_dir())
        self.opened = opened
        self.repo = Repository(make_engine(opened.app_url))
        self.repo.ping()
        empty = self.repo.studio_is_empty()
        return empty, _where(choice)

    def _opened(self, result: tuple[bool, str] | None, error: BaseException | None) -> None:
        if error is not None:
            self.window.show_error(_message(error))
            return
        empty, where = result
        if empty and self.opened is not None and self.opened.embedded:
            self._load_demo() if demo_without_asking() else self.window.show_choice()
        else:
            self._show_main(where)

    @Slot()
    def _load_demo(self) -> None:
        self.window.show_progress("Loading the demo studio…", "40 clients, their packages and four weeks of sessions.")
        self._runner.submit(lambda: load_demo(self.repo), lambda _r, e: self._after_setup(e), write=True)

    @Slot(str)
    def _create_studio(self, name: str) -> None:
        self.window.show_progress("Creating your studio…")
        self._runner.submit(lambda: self.repo.claim_empty_studio(name), lambda _r, e: self._after_setup(e),
                            write=True)

    def _after_setup(self, error: BaseException | None) -> None:
        if error is not None:
            self.window.show_error(_message(error))
        else:
            self._show_main("On this computer")

    def _show_main(self, where: str) -> None:
        self.window.show_progress("Opening the calendar…", where)
        self._runner.submit(self.repo.current_staff, lambda staff, error: self._build_main(where, staff, error),
                            write=False)

    def _build_main(self, where: str, staff: Staff | None, error: BaseException | None) -> None:
        from tutor_desktop.gui.main_window import MainWindow  # loaded while the startup window already shows

        if error is not None:
            self.window.show_error(_message(error))
            return
        if staff is None:
            self.window.show_error("This login is not an active staff account of this studio. An admin can add it "
                                   "with the staff window or `tutor-desktop staff add`.")
            return
        self.desk = start_desk(self.repo, self.opened.app_url, where)
        self.desk.ctx.staff = staff
        self.main = MainWindow(self.desk.ctx)
        self.main.calendar.loaded.connect(self._first_week_loaded, Qt.ConnectionType.SingleShotConnection)
        self.main.start()

    @Slot()
    def _first_week_loaded(self) -> None:
        report_first_paint(self.main)
        self.main.show()
        self.main.calendar.view.setFocus()
        self.window.close()

    @Slot()
    def quit_unless_open(self) -> None:
        if self.main is None or not self.main.isVisible():
            QApplication.quit()

    @Slot()
    def _settings(self) -> None:
        from tutor_desktop.gui.settings_dialog import SettingsDialog

        self._settings_dialog = SettingsDialog(self.window)
        self._settings_dialog.open_and_report(self.window)

    def _close_database(self) -> None:
        if self.repo is not None:
            self.repo.close()
            self.repo = None
        if self.opened is not None:
            self.opened.close()
            self.opened = None

    def shutdown(self) -> None:
        if self.desk is not None:
            self.desk.close(dispose_engine=False)
        self._runner.shutdown()
        self._close_database()


def _where(choice: DatabaseChoice) -> str:
    """Where the studio lives, for people: never the password."""
    if choice.embedded:
        return "On this computer"
    parts = urlsplit(choice.dsn)
    return f"Studio server {parts.hostname or 'local'}{parts.path}"


def _message(error: BaseException) -> str:
    if isinstance(error, TutorDeskError):
        return error.message
    log.exception("startup failed", exc_info=error)
    return f"Something unexpected went wrong: {error}"


def run(dsn: str | None = None) -> int:
    """Opens the main window; on the embedded database a first run creates it and offers the demo studio."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Tutor Desk")
    app.setOrganizationName("Tutor Desk")
    app.setWindowIcon(app_icon())
    app.setQuitOnLastWindowClosed(False)
    apply_theme(app)
    startup = Startup(dsn)
    startup.window.closed.connect(startup.quit_unless_open)
    startup.start()
    code = app.exec()
    startup.shutdown()
    return code
