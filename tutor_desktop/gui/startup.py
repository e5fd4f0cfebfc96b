"""The start of the app: opens the studio in the background while the startup window shows progress, signs in
to a server that asks for a password, offers the demo or an empty studio on a fresh embedded database, then shows
the main window once its first week is loaded."""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QApplication

from tutor_desktop import config, credentials
from tutor_desktop.config import DatabaseChoice
from tutor_desktop.domain import Staff, TutorDeskError
from tutor_desktop.gui.shell.desk import Desk, open_desk
from tutor_desktop.gui.shell.tasks import TaskRunner
from tutor_desktop.gui.startup_report import demo_without_asking, report_first_paint
from tutor_desktop.gui.startup_window import StartupWindow
from tutor_desktop.ports import OpenedStudio

OpenStudio = Callable[[DatabaseChoice, "tuple[str, str] | None"], OpenedStudio]
log = logging.getLogger(__name__)


class Startup(QObject):
    """Opens the database in the background while the startup window shows progress, offers the demo or an
    empty studio on a fresh embedded database, then shows the main window once its first week is loaded."""

    def __init__(self, open_studio: OpenStudio, dsn: str | None = None,
                 opening_note: Callable[[], str | None] | None = None) -> None:
        """`open_studio(choice, login)` opens (and on first run creates) the studio; login is (name, password)
        for a server that asks for one. `opening_note()`: what opening the local database does first, if anything
        takes long (an upgrade), for the progress page."""
        super().__init__()
        self._opening_note = opening_note
        self._dsn = dsn
        self._open_studio = open_studio
        self._runner = TaskRunner(self)
        self.window = StartupWindow()
        self.opened: OpenedStudio | None = None
        self.desk: Desk | None = None
        self.main = None  # the MainWindow, once the studio is open
        self.moved_to: str | None = None  # where this computer's studio was moved to, if it was
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
        note = self._opening_note() if choice.embedded and self._opening_note else None
        self.window.show_progress(
            "Creating the studio database…" if first_run else "Opening the studio database…",
            "This takes a few seconds the first time." if first_run else note or _where(choice),
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

        self._runner.submit(lambda: self._open(choice, (name, password)), done, write=True)

    def _open(self, choice: DatabaseChoice, login: tuple[str, str] | None = None) -> tuple[bool, str]:
        self._close_database()
        self.opened = self._open_studio(choice, login)
        return self.opened.studio.studio_is_empty(), _where(choice)

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
        self._runner.submit(self.opened.load_demo, lambda _r, e: self._after_setup(e), write=True)

    @Slot(str)
    def _create_studio(self, name: str) -> None:
        self.window.show_progress("Creating your studio…")
        self._runner.submit(lambda: self.opened.studio.claim_empty_studio(name), lambda _r, e: self._after_setup(e),
                            write=True)

    def _after_setup(self, error: BaseException | None) -> None:
        if error is not None:
            self.window.show_error(_message(error))
        else:
            self._show_main("On this computer")

    def _show_main(self, where: str) -> None:
        self.window.show_progress("Opening the calendar…", where)
        opened = self.opened
        self._runner.submit(lambda: (opened.studio.current_staff(), opened.moved_to()),
                            lambda found, error: self._build_main(where, found, error), write=False)

    def _build_main(self, where: str, found: tuple[Staff | None, str | None] | None,
                    error: BaseException | None) -> None:
        from tutor_desktop.gui.main_window import MainWindow  # loaded while the startup window already shows

        if error is not None:
            self.window.show_error(_message(error))
            return
        staff, self.moved_to = found
        if staff is None:
            self.window.show_error("This login is not an active staff account of this studio. An admin can add it "
                                   "with the staff window or `tutor-desktop staff add`.")
            return
        self.desk = open_desk(self.opened.studio, self.opened.listen, where)
        self.desk.ctx.staff = staff
        self.desk.ctx.move_to_server = self.opened.move_to_server if self.opened.embedded else None
        self.desk.ctx.backups = getattr(self.opened, "backups", None)
        self.main = MainWindow(self.desk.ctx)
        self.main.signed_out.connect(self._signed_out)
        self.main.reopen.connect(self._reopen)
        self.main.calendar.loaded.connect(self._first_week_loaded, Qt.ConnectionType.SingleShotConnection)
        self.main.start()

    @Slot()
    def _first_week_loaded(self) -> None:
        report_first_paint(self.main)
        for note in getattr(self.opened, "notes", []):
            self.main.message_bar.show_message(note, "info", sticky=True)
        self.main.show()
        self.main.calendar.view.setFocus()
        self.window.close()
        if self.moved_to:
            self.main.message_bar.show_message(
                f"This studio was moved to {self.moved_to}. This is the copy left on this computer: what you change "
                "here stays here. Settings chooses the server.", "warning", sticky=True)

    @Slot(str)
    def _signed_out(self, message: str) -> None:
        """The staff account was deactivated: back to the start window, whose Try again signs in afresh."""
        self.main = None
        self.window.show_error(message)
        self.window.show()
        QTimer.singleShot(0, self._close_signed_out_desk)  # not inside the reply that brought the refusal

    @Slot(str)
    def _reopen(self, message: str) -> None:
        """A backup was restored into a new database: close this desk and open the studio again, from it."""
        main, self.main = self.main, None
        for window in self.desk.ctx.windows.open_windows() if self.desk else []:
            window.close()
        if main is not None:
            main.signed_out.disconnect(self._signed_out)
            main.hide()
            main.deleteLater()
        log.info("%s", message)
        QTimer.singleShot(0, self._open_again)  # not inside the reply that brought the news

    @Slot()
    def _open_again(self) -> None:
        self._close_signed_out_desk()
        self.start()

    @Slot()
    def _close_signed_out_desk(self) -> None:
        if self.desk is not None:
            self.desk.close(close_studio=False)
            self.desk = None
        self._close_database()

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
        if self.opened is not None:
            self.opened.close()
            self.opened = None

    def shutdown(self) -> None:
        if self.desk is not None:
            self.desk.close(close_studio=False)
        self._runner.shutdown()
        self._backup_at_quit()
        self._close_database()

    def _backup_at_quit(self) -> None:
        """A backup of the studio on this computer when it changed since the newest one (the windows are gone)."""
        backups = getattr(self.opened, "backups", None)
        if backups is None or self.main is None:
            return
        if self.main.backup_scheduler is not None:
            self.main.backup_scheduler.stop()  # a daily backup under way finishes first
        try:
            backups.at_quit()
        except Exception:  # noqa: BLE001 - quitting goes on; the next start backs up
            log.exception("the backup at quit failed")


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
