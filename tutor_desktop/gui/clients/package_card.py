"""The selected package at a glance: the remaining count as large as the database said it, and what can be done
to it: use one session, reinstate one, change its expiry, cancel it. Each asks first, then sends one Mutation;
every conflicting control stays disabled from the first click until the reply."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from uuid import UUID

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from tutor_desktop.domain import (
    Balance, BookedSessions, Cancellation, LedgerEntry, Package, PackageState, Session, SessionStatus,
)
from tutor_desktop.gui.clients.cancel_dialog import CancelPackageDialog
from tutor_desktop.gui.clients.expiry_dialog import ExpiryDialog
from tutor_desktop.gui.clients.models import STATE_COLOURS
from tutor_desktop.gui.clients.package_words import ACTIONS, EXPIRY_CHANGED, cancelled_text
from tutor_desktop.gui.clients.reason_dialog import ReasonDialog
from tutor_desktop.gui.clients.reinstate_dialog import ReinstateDialog, live_uses
from tutor_desktop.gui.kit.assets import icon
from tutor_desktop.gui.kit.buttons import action_button
from tutor_desktop.gui.kit.elided_label import ElidedLabel
from tutor_desktop.gui.kit.formatting import amount, day
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.operations import Mutation, show_message
from tutor_desktop.gui.shell.permissions import manages_packages


def _label(text: str = "", **props: bool) -> QLabel:
    label = QLabel(text)
    for name, value in props.items():
        label.setProperty(name, value)
    return label


class PackageCard(QFrame):
    def __init__(self, ctx: DeskContext, also_busy: Sequence[QWidget] = (), parent: QWidget | None = None) -> None:
        """`also_busy`: the window's other controls that must wait while an action on the package is out."""
        super().__init__(parent)
        self.ctx = ctx
        self._also_busy = list(also_busy)
        self.asking = False  # a confirmation or the expiry dialog is open
        self.in_flight = False  # a request is on its way
        self.reason_dialog: ReasonDialog | None = None
        self.sessions: list[Session] = []  # the client's sessions and packages, as the window last read them
        self.packages: list[Package] = []
        self.expiry_dialog: ExpiryDialog | None = None
        self.setProperty("card", True)
        self.title = ElidedLabel("No package selected")
        self.title.setProperty("subheading", True)
        self.state = _label()
        self.remaining_label = _label("–", bignumber=True)
        self.remaining_label.setObjectName("remainingLabel")
        self.remaining_label.setAccessibleName("remainingLabel")
        self.caption = _label("remaining", muted=True)
        self.caption.setObjectName("remainingCaption")
        self.details = _label(muted=True)
        self.details.setWordWrap(True)
        self.use_button = action_button("&Use 1 session", "use-session", "useSessionButton",
                                        "Use one session by hand (Ctrl+U)")
        self.use_button.setProperty("primary", True)
        self.use_button.setIcon(icon("use-session", "#ffffff"))
        self.reinstate_button = action_button("&Reinstate", "reinstate", "reinstateButton",
                                              "Give one used session back (Ctrl+R)")
        self.expiry_button = action_button("Change e&xpiry", "calendar", "changeExpiryButton",
                                           "Change or remove the expiry date")
        self.cancel_button = action_button("Cancel pac&kage", "cancel", "cancelPackageButton", "Cancel this package")

        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.state, 0, Qt.AlignmentFlag.AlignTop)
        count = QHBoxLayout()
        count.setSpacing(10)
        count.addWidget(self.remaining_label, 0, Qt.AlignmentFlag.AlignBottom)
        count.addWidget(self.caption, 0, Qt.AlignmentFlag.AlignBottom)
        count.addStretch(1)
        actions = QGridLayout()
        actions.setHorizontalSpacing(8)
        actions.setVerticalSpacing(8)
        actions.addWidget(self.use_button, 0, 0)
        actions.addWidget(self.reinstate_button, 0, 1)
        actions.addWidget(self.expiry_button, 1, 0)
        actions.addWidget(self.cancel_button, 1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        layout.setSpacing(6)
        layout.addLayout(header)
        layout.addLayout(count)
        layout.addWidget(self.details)
        layout.addSpacing(8)
        layout.addLayout(actions)
        layout.addStretch(1)
        self.package: Package | None = None
        self.ledger: Sequence[LedgerEntry] = ()  # the selected package's, for naming what Reinstate gives back
        self.use_button.clicked.connect(lambda: self._confirm("use"))
        self.reinstate_button.clicked.connect(self.reinstate)
        self.cancel_button.clicked.connect(self.confirm_cancel)
        self.expiry_button.clicked.connect(self.change_expiry)
        if not manages_packages(ctx.staff):  # a tutor: the database would refuse these anyway
            for button in self.buttons():
                button.hide()
        self.show_package(None)

    def buttons(self) -> list[QPushButton]:
        return [self.use_button, self.reinstate_button, self.expiry_button, self.cancel_button]

    def show_package(self, package: Package | None) -> None:
        if package == self.package and package is not None:
            return  # a reload that brings what is shown already: nothing is painted twice
        self.package = package
        self.update_enabled()
        if package is None:
            self.title.setText("No package yet")
            self.state.setText("")
            self.remaining_label.setText("–")
            self.caption.setText("Sell a package to start using sessions.")
            self.details.setText("")
            return
        self.title.setText(package.label)
        state = package.state
        self.state.setText(state.label)
        self.state.setStyleSheet(
            f"color: {STATE_COLOURS[state]}; border: 1px solid {STATE_COLOURS[state]}; border-radius: 9px;"
            " padding: 1px 8px; font-weight: 600;"
        )
        self._show_counts(package.sessions_remaining, package.sessions_total)
        if state == PackageState.CANCELLED:
            self.caption.setText(f"of {package.sessions_total} left · cancelled: none can be used or booked")
        expiry = f"expires {day(package.expires_at)}" if package.expires_at else "never expires"
        if package.expired:
            expiry = f"expired {day(package.expires_at)}"
        self.details.setText(
            f"{package.sessions_used} used · {package.sessions_bookable} bookable · {expiry}\n"
            f"Bought {day(package.purchased_at)}"
        )

    def show_balance(self, balance: Balance) -> None:
        """Patches the counts with what a database function just returned."""
        if self.package is not None and self.package.state == PackageState.CANCELLED:
            return  # its counts are said with "cancelled"; they cannot change any more
        self._show_counts(balance.sessions_remaining, balance.sessions_total)

    def _show_counts(self, remaining: int, total: int) -> None:
        self.remaining_label.setText(str(remaining))
        self.caption.setText(f"of {total} remaining")

    # --- acting ----------------------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.asking or self.in_flight

    def update_enabled(self) -> None:
        """Off while busy, with no package, or for a tutor (hidden too, so no shortcut reaches them)."""
        ready = not self.busy and self.package is not None and manages_packages(self.ctx.staff)
        state = self.package.state if self.package is not None else None
        live = state != PackageState.CANCELLED  # a cancelled package can no longer be changed
        self.use_button.setEnabled(ready and state == PackageState.ACTIVE)  # the database would refuse the others
        self.reinstate_button.setEnabled(ready and live)
        self.expiry_button.setEnabled(ready and live)
        self.cancel_button.setEnabled(ready and live)
        for widget in self._also_busy:
            widget.setEnabled(not self.busy)

    def _confirm(self, action: str) -> None:
        package = self.package
        button = self.use_button if action == "use" else self.reinstate_button
        if package is None or self.busy or not button.isEnabled():
            return
        prompt, ok_text, back_text, _done = ACTIONS[action]
        self._set_asking(True)
        self.ask_reason(prompt.format(label=package.label), (ok_text, back_text),
                        lambda reason: self._send(action, package.id, reason))

    @Slot()
    def reinstate(self) -> None:
        """Names the use it gives back; with several live, the person picks one."""
        package, uses = self.package, live_uses(self.ledger)
        if package is None or self.busy or not self.reinstate_button.isEnabled():
            return
        if not uses:
            self._confirm("reinstate")  # the database answers "nothing to reinstate"
            return
        self._set_asking(True)
        self.ask_use(uses, lambda entry, reason: self._send("reinstate", package.id, reason, entry))

    def ask_use(self, uses: Sequence[LedgerEntry], proceed: Callable[[int, str], None]) -> None:
        """Asks which use to give back (named; a list when several) and why; `proceed(entry id, reason)`."""
        dialog = ReinstateDialog(self.window(), uses, {s.id: s for s in self.sessions})
        dialog.chosen.connect(proceed)
        dialog.dialog.finished.connect(self._asked)
        self.reason_dialog = dialog
        dialog.open()

    def ask_reason(self, prompt: str, buttons: tuple[str, str], proceed: Callable[[str], None]) -> None:
        """Opens the confirmation (`buttons`: the one that does it, the one that leaves); `proceed(reason)` runs
        when the person confirms with a reason."""
        dialog = ReasonDialog(self.window(), prompt, *buttons)
        dialog.reason_given.connect(proceed)
        dialog.dialog.finished.connect(self._asked)
        self.reason_dialog = dialog
        dialog.open()

    def booked_on(self, package: Package) -> list[Session]:
        """The sessions booked on the package that have not started, soonest first."""
        now = datetime.now(timezone.utc)
        return sorted((s for s in self.sessions if s.package_id == package.id and s.status == SessionStatus.SCHEDULED
                       and s.starts_at > now), key=lambda s: s.starts_at)

    @Slot()
    def confirm_cancel(self) -> None:
        package = self.package
        if package is None or self.busy or not self.cancel_button.isEnabled():
            return
        others = [p for p in self.packages if p.id != package.id and p.state == PackageState.ACTIVE]
        self._set_asking(True)
        self.ask_cancel(package, self.booked_on(package), others,
                        lambda reason, booked, to: self._send_cancel(package.id, reason, booked, to))

    def ask_cancel(self, package: Package, booked: list[Session], others: list[Package],
                   proceed: Callable[[str, BookedSessions, UUID | None], None]) -> None:
        """Opens the cancel dialog; `proceed(reason, what becomes of the booked sessions, package to move them to)`
        runs when the person confirms."""
        dialog = CancelPackageDialog(self.window(), package, booked, others)
        dialog.cancel_chosen.connect(proceed)
        dialog.dialog.finished.connect(self._asked)
        self.reason_dialog = dialog
        dialog.open()

    def _send_cancel(self, package_id: UUID, reason: str, booked: BookedSessions, move_to: UUID | None) -> None:
        self.asking = False
        studio = self.ctx.studio
        self._run(lambda request_id: studio.cancel_package(package_id, reason, request_id, booked, move_to),
                  self._cancelled)

    def _cancelled(self, answer: Cancellation) -> None:
        if not answer.applied:
            self._answered("", answer)
            return
        show_message(self, cancelled_text(answer, {p.id: p.label for p in self.packages}), "success")

    @Slot()
    def change_expiry(self) -> None:
        if self.package is None or self.busy:
            return
        dialog = ExpiryDialog(self.ctx, self.window(), self.package, self.booked_on(self.package))
        dialog.saved.connect(lambda balance: self._answered(EXPIRY_CHANGED, balance))
        dialog.dialog.finished.connect(self._asked)
        self.expiry_dialog = dialog
        self._set_asking(True)
        dialog.open()

    def _send(self, action: str, package_id: UUID, reason: str, entry: int | None = None) -> None:
        self.asking = False
        studio = self.ctx.studio
        work: Callable[[UUID], Balance] = {
            "use": lambda request_id: studio.use_session(package_id, request_id=request_id, reason=reason),
            "reinstate": lambda request_id: studio.reinstate_session(package_id, request_id=request_id,
                                                                      reason=reason, entry_id=entry),
        }[action]
        self._run(work, lambda balance: self._answered(ACTIONS[action][3], balance))

    def _run(self, work: Callable[[UUID], Balance], answered: Callable[[Balance], None]) -> None:
        mutation = Mutation(self.ctx, self, work, busy=[*self.buttons(), *self._also_busy])
        mutation.on_success(answered)
        mutation.on_start(self._started)  # also when the message bar's Retry sends it again
        mutation.on_finished(self._finished)
        mutation.run()

    def _started(self) -> None:
        self.in_flight = True
        self.update_enabled()

    def _answered(self, done: str, balance: Balance) -> None:
        """The message only: the count itself arrives with the Change, like every other desk's."""
        if balance.applied:
            n = balance.sessions_remaining
            show_message(self, done.format(n=n, left=amount(n, "session")), "success")
        else:
            show_message(self, f"{balance.message} {balance.sessions_remaining} remaining.", "error")

    @Slot()
    def _finished(self) -> None:
        self.in_flight = False
        self.update_enabled()

    @Slot(int)
    def _asked(self, _result: int) -> None:
        self._set_asking(False)

    def _set_asking(self, asking: bool) -> None:
        self.asking = asking
        self.update_enabled()
