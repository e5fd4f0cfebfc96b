"""The selected package at a glance: the remaining count as large as the database said it, and the actions on
the package. A view only: the client window decides what the buttons do."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from tutor_desktop.domain import Balance, Package
from tutor_desktop.gui.assets import icon
from tutor_desktop.gui.buttons import action_button
from tutor_desktop.gui.client_models import STATE_COLOURS, day, package_state


def _label(text: str = "", **props: bool) -> QLabel:
    label = QLabel(text)
    for name, value in props.items():
        label.setProperty(name, value)
    return label


class BalanceCard(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("card", True)
        self.title = _label("No package selected", subheading=True)
        self.title.setWordWrap(True)
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
        self.show_package(None)


    def buttons(self) -> list[QPushButton]:
        return [self.use_button, self.reinstate_button, self.expiry_button, self.cancel_button]

    def show_package(self, package: Package | None) -> None:
        self.package = package
        if package is None:
            self.title.setText("No package yet")
            self.state.setText("")
            self.remaining_label.setText("–")
            self.caption.setText("Sell a package to start using sessions.")
            self.details.setText("")
            return
        self.title.setText(package.label)
        state = package_state(package)
        self.state.setText(state)
        self.state.setStyleSheet(
            f"color: {STATE_COLOURS[state]}; border: 1px solid {STATE_COLOURS[state]}; border-radius: 9px;"
            " padding: 1px 8px; font-weight: 600;"
        )
        self._show_counts(package.sessions_remaining, package.sessions_total)
        expiry = f"expires {day(package.expires_at)}" if package.expires_at else "never expires"
        if package.expired:
            expiry = f"expired {day(package.expires_at)}"
        self.details.setText(
            f"{package.sessions_used} used · {package.sessions_bookable} bookable · {expiry}\n"
            f"Bought {day(package.purchased_at)}"
        )

    def show_balance(self, balance: Balance) -> None:
        """Patches the counts with what a database function just returned."""
        self._show_counts(balance.sessions_remaining, balance.sessions_total)

    def _show_counts(self, remaining: int, total: int) -> None:
        self.remaining_label.setText(str(remaining))
        self.caption.setText(f"of {total} remaining")
