"""The staff window: who can sign in at this studio, in which role, and the admin's three actions on them: add a
staff member, deactivate one, reset a password. The database decides who may do what; the window shows what it
answered, refusals included, in its message bar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget,
)

from tutor_desktop.domain import Change, Staff, StaffRole
from tutor_desktop.gui.kit.assets import icon
from tutor_desktop.gui.kit.confirm import confirm
from tutor_desktop.gui.kit.message_bar import MessageBar
from tutor_desktop.gui.kit.tables import table_view
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.latest_read import Read
from tutor_desktop.gui.shell.operations import Mutation
from tutor_desktop.gui.shell.loaded_window import LoadedWindow
from tutor_desktop.gui.staff.dialogs import AddStaffDialog, ResetPasswordDialog
from tutor_desktop.gui.staff.model import StaffModel

@dataclass(frozen=True)
class StaffData:
    staff: list[Staff]
    me: Staff | None  # who is signed in at this desk


class StaffWindow(LoadedWindow):
    """Opened through `ctx.windows.show(StaffWindow)`: one per desk."""

    loaded = Signal()  # after every (re)load has been shown

    def __init__(self, ctx: DeskContext, key: None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, key, parent, reload_delay_ms=150)
        self.setWindowTitle("Staff · Tutor Desk")
        self.setWindowIcon(icon("staff"))
        self.resize(840, 520)
        self.data: StaffData | None = None
        self.add_dialog: AddStaffDialog | None = None
        self.reset_dialog: ResetPasswordDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self._selected: int | None = None
        self._in_flight: Mutation | None = None

        self.message_bar = MessageBar(self)
        self.model = StaffModel(self)
        self.view = table_view(self.model, "staffTable", stretch=0)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(StaffModel.STATUS, QHeaderView.ResizeMode.ResizeToContents)
        self.view.verticalHeader().setDefaultSectionSize(34)
        self.view.setStyleSheet("QTableView::item { padding-left: 8px; padding-right: 14px; }")
        self.show_deactivated = QCheckBox("Show deactivated")
        self.show_deactivated.setChecked(True)
        self.add_button = self._button("Add staff…", "staff", primary=True)
        self.deactivate_button = self._button("Deactivate…", "cancel")
        self.reset_button = self._button("Reset password…", "edit")
        self.count_label = QLabel()
        self.count_label.setProperty("muted", True)
        self._layout()

        self.add_button.clicked.connect(self.add_staff)
        self.deactivate_button.clicked.connect(self.deactivate)
        self.reset_button.clicked.connect(self.reset_password)
        self.show_deactivated.toggled.connect(self._show_rows)
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        QShortcut(QKeySequence.StandardKey.New, self, self.add_button.click)
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)
        ctx.bus.changed.connect(self._on_change)
        self.update_enabled()

    def _button(self, text: str, glyph: str, primary: bool = False) -> QPushButton:
        button = QPushButton(icon("staff" if primary else glyph, "#ffffff" if primary else None), text)
        words = text.rstrip("…").split()
        button.setObjectName(words[0].lower() + "".join(w.capitalize() for w in words[1:]) + "Button")
        button.setAccessibleName(text.rstrip("…"))
        button.setProperty("primary", primary)
        return button

    def _layout(self) -> None:
        title = QLabel("Staff")
        title.setProperty("heading", True)
        intro = QLabel("Who can sign in at this studio's desks, and in which role. "
                       "Deactivated accounts keep their history but cannot sign in.")
        intro.setProperty("muted", True)
        intro.setWordWrap(True)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.add_button)
        actions.addWidget(self.reset_button)
        actions.addWidget(self.deactivate_button)
        actions.addStretch(1)
        actions.addWidget(self.count_label)
        actions.addSpacing(12)
        actions.addWidget(self.show_deactivated)
        root = QVBoxLayout(self)
        root.setContentsMargins(20, 16, 20, 18)
        root.setSpacing(12)
        root.addWidget(title)
        root.addWidget(intro)
        root.addSpacing(4)
        root.addLayout(actions)
        root.addWidget(self.view, 1)

    # --- loading ---------------------------------------------------------------------------------------------

    @Slot(object, object)
    def _on_change(self, change: Change, _origin: object) -> None:
        if change.everything or change.staff_ids:
            self.schedule_reload()

    def read(self) -> Read:
        studio = self.ctx.studio
        return lambda: StaffData(studio.list_staff(True), studio.current_staff()), self._show_data

    def _show_data(self, data: StaffData) -> None:
        self.data = data
        self._show_rows()
        self.loaded_once()
        if not self.is_admin():
            self.message_bar.show_message("Only an admin can add staff, deactivate them or reset passwords.",
                                          "info", sticky=True)
        self.loaded.emit()

    @Slot()
    def _show_rows(self) -> None:
        if self.data is None:
            return
        rows = [s for s in self.data.staff if s.active or self.show_deactivated.isChecked()]
        rows.sort(key=lambda s: (not s.active, s.display_name.casefold(), s.id))
        self.model.me = self.data.me.id if self.data.me else None
        self.model.set_rows(rows)
        active = sum(1 for s in self.data.staff if s.active)
        inactive = len(self.data.staff) - active
        self.count_label.setText(f"{active} active" + (f" · {inactive} deactivated" if inactive else ""))
        self.view.selectionModel().blockSignals(True)
        row = self.model.row_of(self._selected) if self._selected is not None else -1
        if row >= 0:
            self.view.selectRow(row)
        else:
            self.view.clearSelection()
            self._selected = None
        self.view.selectionModel().blockSignals(False)
        self.update_enabled()

    def first_focus(self) -> None:
        self.view.setFocus()

    # --- selection -------------------------------------------------------------------------------------------

    def is_admin(self) -> bool:
        me = self.data.me if self.data is not None else self.ctx.staff
        return me is not None and me.role == StaffRole.ADMIN

    def selected(self) -> Staff | None:
        row = self.model.row_of(self._selected) if self._selected is not None else -1
        return self.model.rows[row] if row >= 0 else None

    def select_staff(self, staff_id: int) -> None:
        self._selected = staff_id
        row = self.model.row_of(staff_id)
        if row >= 0:
            self.view.selectRow(row)

    @Slot()
    def _on_selection(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        self._selected = self.model.rows[rows[0].row()].id if rows else None
        self.update_enabled()

    def update_enabled(self) -> None:
        busy = self._in_flight is not None and self._in_flight.running
        admin, staff = self.is_admin(), self.selected()
        self.add_button.setEnabled(admin and not busy)
        self.deactivate_button.setEnabled(admin and not busy and staff is not None and staff.active)
        self.reset_button.setEnabled(admin and not busy and staff is not None and staff.active
                                     and staff.login_role is not None)

    def _busy(self) -> list[QWidget]:
        return [self.add_button, self.deactivate_button, self.reset_button]

    # --- actions ---------------------------------------------------------------------------------------------

    @Slot()
    def add_staff(self) -> None:
        dialog = AddStaffDialog(self.ctx, self)
        dialog.saved.connect(self._on_added)
        self._watch(dialog)
        self.add_dialog = dialog
        dialog.open()

    @Slot()
    def reset_password(self) -> None:
        staff = self.selected()
        if staff is None or not self.reset_button.isEnabled():
            return
        dialog = ResetPasswordDialog(self.ctx, self, staff)
        dialog.saved.connect(lambda _id, name=staff.display_name: self._done(f"The password of {name} was reset."))
        self._watch(dialog)
        self.reset_dialog = dialog
        dialog.open()

    def _watch(self, dialog: AddStaffDialog | ResetPasswordDialog) -> None:
        """While a dialog is open or sending, the window's actions wait; they come back however it ends."""
        for button in self._busy():
            button.setEnabled(False)
        dialog.dialog.finished.connect(self.update_enabled)

    def _on_added(self, staff_id: int) -> None:
        dialog = self.add_dialog
        name = dialog.name_edit.text().strip() if dialog is not None else "The staff member"
        self._selected = staff_id
        self._done(f"{name} was added and can sign in now.")

    @Slot()
    def deactivate(self) -> None:
        staff = self.selected()
        if staff is None or not self.deactivate_button.isEnabled():
            return
        self.confirm(
            f"Deactivate {staff.display_name}?",
            f"{staff.display_name} will no longer be able to sign in at any desk. Their sessions and history stay "
            "as they are.",
            "Deactivate",
            lambda: self._deactivate(staff),
        )

    def confirm(self, question: str, detail: str, ok_text: str, proceed: Callable[[], None]) -> None:
        self.confirm_box = confirm(self, question, detail, ok_text, proceed)

    def _deactivate(self, staff: Staff) -> None:
        studio = self.ctx.studio
        mutation = Mutation(self.ctx, self, lambda request_id: studio.deactivate_staff(staff.id, request_id=request_id),
                            busy=self._busy(), change=lambda _none: Change(staff_ids=frozenset({staff.id})))
        mutation.on_success(lambda _r: self._done(f"{staff.display_name} was deactivated."))
        mutation.on_finished(self.update_enabled)
        self._in_flight = mutation
        self.message_bar.dismiss()
        mutation.run()

    def _done(self, text: str) -> None:
        self.message_bar.show_message(text, "success")
