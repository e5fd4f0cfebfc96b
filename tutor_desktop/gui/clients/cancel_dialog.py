"""Asks before a package is cancelled: why, and what becomes of the sessions still booked on it (listed): move
them to another active package of the client, cancel them, or keep them with no package."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QButtonGroup, QComboBox, QLabel, QRadioButton, QVBoxLayout, QWidget

from tutor_desktop.domain import BookedSessions, Package, Session
from tutor_desktop.gui.clients.reason_dialog import ReasonDialog
from tutor_desktop.gui.kit.formatting import amount, clock, desk_time

_LISTED = 6  # sessions named one by one; more are counted


def session_list(sessions: Sequence[Session]) -> str:
    """ "Thu 4 Mar 10:00, Thu 11 Mar 10:00" (and "and 3 more" past a few)."""
    named = ", ".join(f"{desk_time(s.starts_at):%a} {desk_time(s.starts_at).day} {desk_time(s.starts_at):%b}"
                      f" {clock(s.starts_at)}" for s in sessions[:_LISTED])
    rest = len(sessions) - _LISTED
    return named + (f" and {rest} more" if rest > 0 else "")


class CancelPackageDialog(ReasonDialog):
    """`cancel_chosen(reason, BookedSessions, package id to move to or None)` when the person confirms."""

    cancel_chosen = Signal(str, object, object)

    def __init__(self, parent: QWidget | None, package: Package, booked: Sequence[Session],
                 others: Sequence[Package]) -> None:
        super().__init__(parent, f"Cancel {package.label}? Its sessions left can no longer be used or booked.",
                         "Cancel package", "Keep package")
        self.booked = list(booked)
        self.targets = {other.id: other for other in others}
        self.choices = QButtonGroup(self.dialog)
        self.move_radio = QRadioButton("Move them to")
        self.move_radio.setObjectName("moveBookedRadio")
        self.target_combo = QComboBox()
        self.target_combo.setObjectName("moveTargetCombo")
        for other in others:
            self.target_combo.addItem(f"{other.label} ({amount(other.sessions_bookable, 'session')} bookable)",
                                      other.id)
        self.room_label = QLabel()
        self.room_label.setObjectName("moveRoomLabel")
        self.room_label.setWordWrap(True)
        self.room_label.setStyleSheet("color: #d9822b;")
        self.cancel_radio = QRadioButton("Cancel them")
        self.cancel_radio.setObjectName("cancelBookedRadio")
        self.keep_radio = QRadioButton("Keep them booked, on no package")
        self.keep_radio.setToolTip("Marked done, they use the client's package that expires first.")
        self.keep_radio.setObjectName("keepBookedRadio")
        self.booked_label = QLabel()
        self.booked_label.setObjectName("bookedSessionsLabel")
        self.booked_label.setWordWrap(True)
        box = QWidget()
        box.setObjectName("bookedChoice")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addWidget(self.booked_label)
        for choice, radio in ((BookedSessions.MOVE, self.move_radio), (BookedSessions.CANCEL, self.cancel_radio),
                              (BookedSessions.KEEP, self.keep_radio)):
            self.choices.addButton(radio)
            radio.setProperty("choice", str(choice))
            layout.addWidget(radio)
            if radio is self.move_radio:
                layout.addWidget(self.target_combo)
                layout.addWidget(self.room_label)
        main: QVBoxLayout = self.dialog.layout()
        main.insertWidget(main.indexOf(self.child(QLabel, "promptLabel")) + 1, box)
        if self.booked:
            self.booked_label.setText(
                f"{amount(len(self.booked), 'booked session').capitalize()} still use this package: "
                f"{session_list(self.booked)}.")
            (self.move_radio if others else self.cancel_radio).setChecked(True)
        else:
            box.hide()
        self.move_radio.setEnabled(bool(others))
        self.target_combo.setEnabled(bool(others))
        if not others:
            self.move_radio.setText("Move them to another package (the client has no other active package)")
            self.target_combo.hide()
        self.choices.buttonToggled.connect(self._on_choice)
        self.target_combo.currentIndexChanged.connect(self._on_choice)
        self._on_choice()

    @Slot()
    def _on_choice(self, *_args: object) -> None:
        moving = self.move_radio.isChecked()
        self.target_combo.setEnabled(moving)
        target = self.targets.get(self.target_combo.currentData())
        short = len(self.booked) - max(target.sessions_bookable, 0) if moving and target is not None else 0
        if short > 0:
            self.room_label.setText(
                f"{target.label} has {amount(target.sessions_bookable, 'session')} bookable: "
                f"{short} of the {amount(len(self.booked), 'moved session')} would have none to use."
                if len(self.booked) > 1 else
                f"{target.label} has no session bookable: the moved session would have none to use.")
        self.room_label.setVisible(short > 0)
        self.dialog.adjustSize()

    def choice(self) -> tuple[BookedSessions, UUID | None]:
        if not self.booked:
            return BookedSessions.KEEP, None
        if self.move_radio.isChecked():
            return BookedSessions.MOVE, self.target_combo.currentData()
        return (BookedSessions.CANCEL if self.cancel_radio.isChecked() else BookedSessions.KEEP), None

    def submit(self, values: str) -> None:
        booked, move_to = self.choice()
        self.cancel_chosen.emit(values, booked, move_to)
        self.dialog.accept()
