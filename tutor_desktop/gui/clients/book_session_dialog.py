"""Books a session (or a weekly series) for one client with one tutor, on a chosen package or any usable one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from uuid import UUID

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import QComboBox, QDateEdit, QLabel, QSpinBox, QTimeEdit, QWidget

from tutor_desktop.domain import Change, InvalidInput, Package, PackageState, Staff
from tutor_desktop.gui.kit.formatting import desk_zone
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.form import FormDialog
from tutor_desktop.zones import wall_clock

ANY_PACKAGE = "Any usable package"


class BookSessionDialog(FormDialog):
    """`saved` carries the booked sessions' ids."""

    def __init__(
        self,
        ctx: DeskContext,
        parent: QWidget | None,
        client_id: int,
        client_name: str,
        tutors: Sequence[Staff],
        packages: Sequence[Package],
        preferred_package: UUID | None = None,
    ) -> None:
        super().__init__(ctx, "book_session", parent, "Book")
        self.client_id = client_id
        self.child(QLabel, "titleLabel").setText(f"Book a session for {client_name}")
        self.tutor_combo: QComboBox = self.child(QComboBox, "tutorCombo")
        self.start_date: QDateEdit = self.child(QDateEdit, "startDate")
        self.start_time: QTimeEdit = self.child(QTimeEdit, "startTime")
        self.duration_spin: QSpinBox = self.child(QSpinBox, "durationSpin")
        self.package_combo: QComboBox = self.child(QComboBox, "packageCombo")
        self.repeat_spin: QSpinBox = self.child(QSpinBox, "repeatSpin")
        for tutor in tutors:
            self.tutor_combo.addItem(tutor.display_name, tutor.id)
        self.package_combo.addItem(ANY_PACKAGE, None)
        for package in packages:
            if package.state == PackageState.ACTIVE:
                text = f"{package.label} · {package.sessions_bookable} of {package.sessions_total} bookable"
                self.package_combo.addItem(text, package.id)
        if preferred_package is not None and (index := self.package_combo.findData(preferred_package)) >= 0:
            self.package_combo.setCurrentIndex(index)
        next_hour = QTime.currentTime().hour() + 1
        self.start_date.setDate(QDate.currentDate().addDays(1 if next_hour > 20 else 0))
        self.start_time.setTime(QTime(9 if next_hour > 20 else max(next_hour, 8), 0))
        self.tutor_combo.setFocus()

    def inputs(self) -> Sequence[QWidget]:
        return (self.tutor_combo, self.start_date, self.start_time, self.duration_spin, self.package_combo,
                self.repeat_spin)

    def starts_at(self) -> datetime:
        """The picked wall-clock time in the desk's time zone; InvalidInput when the clocks skip it."""
        local = datetime.combine(self.start_date.date().toPython(), self.start_time.time().toPython())
        return wall_clock(local, desk_zone().key)

    def validate(self) -> tuple[int, datetime, int, UUID | None, int] | None:
        if self.tutor_combo.currentIndex() < 0:
            self.show_error("There is no tutor to book with yet; add one in the studio's staff list first.")
            return None
        try:
            starts = self.starts_at()
        except InvalidInput as refused:
            self.show_error(refused.message)
            return None
        return (self.tutor_combo.currentData(), starts, self.duration_spin.value(),
                self.package_combo.currentData(), self.repeat_spin.value())

    def work(self, values: tuple[int, datetime, int, UUID | None, int]) -> Callable[[UUID], list[UUID]]:
        tutor_id, starts, minutes, package_id, repeats = values
        studio, client_id, zone = self.ctx.studio, self.client_id, desk_zone().key
        ends = starts + timedelta(minutes=minutes)
        return lambda request_id: studio.book_session(
            client_id, tutor_id, starts, ends, package_id, repeats, request_id=request_id, time_zone=zone
        )

    def change(self, result: list[UUID]) -> Change:
        return Change(client_ids=frozenset({self.client_id}), session_ids=frozenset(result))
