"""Books a session (or a weekly series) for one client with one tutor, on a chosen package or any usable one. A
start that has passed needs "Record a past session"; more sessions than the packages have bookable are warned
about once (a second Book goes on); a session in the way is named on this desk's clock and the dialog stays."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QFormLayout, QLabel, QSpinBox, QTimeEdit, QWidget

from tutor_desktop.domain import BookingConflict, Busy, Change, DatabaseUnavailable, InvalidInput, Package
from tutor_desktop.domain import PackageState, Session, Staff, TutorDeskError
from tutor_desktop.gui.clients.booking_words import PAST, conflict, too_many, usual_tutor
from tutor_desktop.gui.kit.formatting import desk_time, desk_zone
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.form import FormDialog
from tutor_desktop.gui.shell.operations import show_message
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
        tutor_id: int | None = None,
        starts_at: datetime | None = None,
    ) -> None:
        super().__init__(ctx, "book_session", parent, "Book")
        self.client_id = client_id
        self.packages = packages
        self._warned: Any = None  # the values a warning was shown for: Book again goes on
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
        for index in range(self.package_combo.count()):  # equal ids, not the same objects: findData would miss
            if preferred_package is not None and self.package_combo.itemData(index) == preferred_package:
                self.package_combo.setCurrentIndex(index)
        if tutor_id is not None and (index := self.tutor_combo.findData(tutor_id)) >= 0:
            self.tutor_combo.setCurrentIndex(index)
        self.past_check = QCheckBox("Record a past session (it already happened)")
        self.past_check.setObjectName("recordPastCheck")
        self.past_check.setAccessibleName("recordPastCheck")
        self.child(QFormLayout, "form").addRow("", self.past_check)
        if starts_at is not None:
            local = desk_time(starts_at)
            self.start_date.setDate(QDate(local.year, local.month, local.day))
            self.start_time.setTime(QTime(local.hour, local.minute))
        else:
            next_hour = QTime.currentTime().hour() + 1
            self.start_date.setDate(QDate.currentDate().addDays(1 if next_hour > 20 else 0))
            self.start_time.setTime(QTime(9 if next_hour > 20 else max(next_hour, 8), 0))
        self.tutor_combo.setFocus()

    def inputs(self) -> Sequence[QWidget]:
        return (self.tutor_combo, self.start_date, self.start_time, self.duration_spin, self.package_combo,
                self.repeat_spin, self.past_check)

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
        if starts < datetime.now(timezone.utc) and not self.past_check.isChecked():
            self.show_error(PAST)
            return None
        values = (self.tutor_combo.currentData(), starts, self.duration_spin.value(),
                  self.package_combo.currentData(), self.repeat_spin.value())
        warning = too_many(values[4] + 1, self.packages, values[3])
        if warning and self._warned != values:
            self._warned = values
            self.show_error(warning)
            return None
        return values

    def submit(self, values: Any) -> None:
        super().submit(values)
        self._mutation.on_failure(self._refused)

    def _refused(self, error: TutorDeskError) -> None:
        """The dialog stays open and says why, on this desk's clock for a session in the way."""
        if isinstance(error, BookingConflict):
            self.show_error(conflict(error))
            return
        retry = ("Retry", self._mutation.run) if isinstance(error, (Busy, DatabaseUnavailable)) else None
        show_message(self.dialog, error.message, "error", action=retry)

    def work(self, values: tuple[int, datetime, int, UUID | None, int]) -> Callable[[UUID], list[UUID]]:
        tutor_id, starts, minutes, package_id, repeats = values
        studio, client_id, zone = self.ctx.studio, self.client_id, desk_zone().key
        ends = starts + timedelta(minutes=minutes)
        return lambda request_id: studio.book_session(
            client_id, tutor_id, starts, ends, package_id, repeats, request_id=request_id, time_zone=zone
        )

    def change(self, result: list[UUID]) -> Change:
        return Change(client_ids=frozenset({self.client_id}), session_ids=frozenset(result))


def open_booking(ctx: DeskContext, parent: QWidget, client_id: int, client_name: str,
                 found: tuple[Sequence[Staff], Sequence[Package], Sequence[Session]],
                 preferred_package: UUID | None = None, tutor_id: int | None = None,
                 starts_at: datetime | None = None) -> BookSessionDialog:
    """The dialog, filled from what was read: the teaching staff, the client's packages and sessions (for the
    tutor they usually see, unless a tutor is given)."""
    staff, packages, sessions = found
    tutors = [s for s in staff if s.teaches and s.active]
    dialog = BookSessionDialog(ctx, parent, client_id, client_name, tutors, packages, preferred_package,
                               tutor_id if tutor_id is not None else usual_tutor(sessions), starts_at)
    dialog.open()
    return dialog


def booking_reads(ctx: DeskContext, client_id: int) -> Callable[[], tuple[list[Staff], list[Package], list[Session]]]:
    studio = ctx.studio
    return lambda: (studio.list_staff(), studio.packages_for_client(client_id), studio.sessions_for_client(client_id))
