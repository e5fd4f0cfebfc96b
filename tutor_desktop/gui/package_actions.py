"""What the client window does to the selected package: use one session, reinstate one, cancel the package,
change its expiry. Each asks first, sends one Mutation, publishes the Balance the database returned, and keeps
every conflicting control disabled from the first click until the reply."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from tutor_desktop.domain import Balance, Package
from tutor_desktop.gui.dialogs.expiry_dialog import ExpiryDialog
from tutor_desktop.gui.dialogs.reason_dialog import ReasonDialog
from tutor_desktop.gui.operations import Mutation, show_message

if TYPE_CHECKING:
    from tutor_desktop.gui.client_window import ClientWindow

_DONE = {
    "use": "One session used. {n} remaining.",
    "release": "One session given back. {n} remaining.",
    "cancel": "The package was cancelled. {n} sessions were left on it.",
    "expiry": "The expiry date was changed. {n} remaining.",
}


class PackageActions(QObject):
    def __init__(self, window: ClientWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.asking = False  # a confirmation is open
        self.in_flight = False  # a request is on its way
        self.reason_dialog: ReasonDialog | None = None
        self.expiry_dialog: ExpiryDialog | None = None

    @property
    def busy(self) -> bool:
        return self.asking or self.in_flight

    def ask_reason(self, prompt: str, ok_text: str, proceed: Callable[[str], None]) -> None:
        """Opens the confirmation; `proceed(reason)` runs when the desk confirms with a reason."""
        dialog = ReasonDialog(self.window, prompt, ok_text)
        dialog.reason_given.connect(proceed)
        dialog.dialog.finished.connect(self._asked)
        self.reason_dialog = dialog
        dialog.open()

    @Slot()
    def use(self) -> None:
        self._confirm("use", "Use 1 session of {label}?", "Use 1 session")

    @Slot()
    def reinstate(self) -> None:
        self._confirm("release", "Give one used session back to {label}?", "Reinstate")

    @Slot()
    def cancel_package(self) -> None:
        self._confirm("cancel", "Cancel {label}? Its sessions left can no longer be used or booked.", "Cancel package")

    @Slot()
    def change_expiry(self) -> None:
        package = self.window.selected_package()
        if package is None or self.busy:
            return
        dialog = ExpiryDialog(self.ctx, self.window, package)
        dialog.saved.connect(self._expiry_saved)
        dialog.dialog.finished.connect(self._asked)
        self.expiry_dialog = dialog
        self._set_asking(True)
        dialog.open()

    def _confirm(self, kind: str, prompt: str, ok_text: str) -> None:
        package = self.window.selected_package()
        if package is None or self.busy:
            return
        self._set_asking(True)
        self.ask_reason(prompt.format(label=package.label), ok_text, lambda reason: self._send(kind, package, reason))

    def _send(self, kind: str, package: Package, reason: str) -> None:
        self.asking = False
        studio, package_id = self.ctx.studio, package.id
        work = {
            "use": lambda request_id: studio.use_session(package_id, request_id=request_id, reason=reason),
            "release": lambda request_id: studio.reinstate_session(package_id, request_id=request_id, reason=reason),
            "cancel": lambda request_id: studio.cancel_package(package_id, reason=reason, request_id=request_id),
        }[kind]
        mutation = Mutation(self.ctx, self.window, work, busy=self.window.action_widgets())
        mutation.on_success(lambda balance: self._answered(kind, balance)).on_finished(self._finished)
        mutation.on_start(self._started)  # also when the message bar's Retry sends it again
        mutation.run()

    def _started(self) -> None:
        self.in_flight = True
        self.window.update_enabled()

    def _answered(self, kind: str, balance: Balance) -> None:
        self.ctx.bus.publish_balance(balance)
        if balance.applied:
            show_message(self.window, _DONE[kind].format(n=balance.sessions_remaining), "success")
        else:
            show_message(self.window, f"{balance.message} {balance.sessions_remaining} remaining.", "error")

    @Slot(object)
    def _expiry_saved(self, balance: Balance) -> None:
        self._answered("expiry", balance)

    @Slot()
    def _finished(self) -> None:
        self.in_flight = False
        self.window.update_enabled()

    @Slot(int)
    def _asked(self, _result: int) -> None:
        self._set_asking(False)

    def _set_asking(self, asking: bool) -> None:
        self.asking = asking
        self.window.update_enabled()
