"""Adding a staff member and resetting a password. What the form can tell by itself (empty fields, a repeat that
does not match, a login name the server would refuse) keeps OK off with a line saying why; the database decides
the rest. Passwords go to the studio and nowhere else: never into a message, a title or a log."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from uuid import UUID

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget

from tutor_desktop.domain import Change, Staff, StaffRole
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.form import FormDialog

ROLE_TEXT = {StaffRole.TUTOR: "Tutor", StaffRole.FRONT_DESK: "Front desk", StaffRole.ADMIN: "Admin"}
PASSWORD_MIN_LENGTH = 8  # the studio checks it again before anything is sent
_LOGIN = re.compile(r"[a-z_][a-z0-9_]*")
_RESERVED = ("pg_", "tutor_desk_")


def role_text(role: StaffRole) -> str:
    return ROLE_TEXT.get(role, str(role).replace("_", " ").capitalize())


def suggested_login(display_name: str) -> str:
    """"Maria López" -> "maria_lopez": a login name the server accepts, from the name as typed."""
    plain = display_name.strip().lower()
    plain = plain.translate(str.maketrans("áàâäãåéèêëíìîïóòôöõúùûüñçýÿ", "aaaaaaeeeeiiiiooooouuuuncyy"))
    login = re.sub(r"[^a-z0-9]+", "_", plain).strip("_")
    if login[:1].isdigit():
        login = f"_{login}"
    return login[:63]


def password_problem(password: str, repeat: str) -> str:
    if not password:
        return "Choose a password."
    if len(password) < PASSWORD_MIN_LENGTH:
        return f"A password has at least {PASSWORD_MIN_LENGTH} characters."
    if not repeat:
        return "Type the password once more."
    if password != repeat:
        return "The two passwords do not match."
    return ""


def login_problem(login: str) -> str:
    if not login:
        return "Choose a login name."
    if not _LOGIN.fullmatch(login):
        return "A login name uses lower-case letters, digits and underscores, and does not start with a digit."
    if login.startswith(_RESERVED):
        return f"The login name {login} is reserved."
    return ""


class _PasswordForm(FormDialog):
    """A form with a password and its repeat: OK is on only while every field is filled in and sensible. Saved,
    it answers with the staff member's id."""

    def change(self, result: int) -> Change:
        return Change(staff_ids=frozenset({result}))

    def _setup_passwords(self) -> None:
        self.password_edit: QLineEdit = self.child(QLineEdit, "passwordEdit")
        self.repeat_edit: QLineEdit = self.child(QLineEdit, "repeatEdit")
        for edit in (self.password_edit, self.repeat_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.textChanged.connect(self._refresh)

    def problem(self) -> str:
        raise NotImplementedError

    def _touched(self) -> bool:
        """Whether to say what is missing yet: not before the person has typed anything."""
        return bool(self.password_edit.text() or self.repeat_edit.text())

    @Slot()
    def _refresh(self) -> None:
        problem = self.problem()
        self.ok_button.setEnabled(not problem)
        self.show_error(problem if self._touched() else "")

    def validate(self) -> tuple | None:
        problem = self.problem()
        if problem:
            self.show_error(problem)
            return None
        return self.values()

    def values(self) -> tuple:
        raise NotImplementedError


class AddStaffDialog(_PasswordForm):
    """`saved` carries the new staff member's id."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None) -> None:
        super().__init__(ctx, "staff_account", parent, "Add staff")
        self.name_edit: QLineEdit = self.child(QLineEdit, "nameEdit")
        self.role_combo: QComboBox = self.child(QComboBox, "roleCombo")
        self.login_edit: QLineEdit = self.child(QLineEdit, "loginEdit")
        self.teaches_check: QCheckBox = self.child(QCheckBox, "teachesCheck")
        for role in (StaffRole.TUTOR, StaffRole.FRONT_DESK, StaffRole.ADMIN):
            self.role_combo.addItem(ROLE_TEXT[role], role)
        self.role_combo.setMinimumWidth(180)
        self._setup_passwords()
        self._login_typed = False
        self.name_edit.textChanged.connect(self._on_name)
        self.login_edit.textEdited.connect(self._on_login_typed)
        self.login_edit.textChanged.connect(self._refresh)
        self.role_combo.currentIndexChanged.connect(self._on_role)
        self._on_role()
        self.name_edit.setFocus()
        self._refresh()

    def inputs(self) -> Sequence[QWidget]:
        return (self.name_edit, self.role_combo, self.teaches_check, self.login_edit, self.password_edit,
                self.repeat_edit)

    @Slot()
    def _on_role(self) -> None:
        """A tutor always teaches (checked and locked); for the other roles the default is no."""
        tutor = self.role_combo.currentData() == StaffRole.TUTOR
        self.teaches_check.setChecked(tutor)
        self.teaches_check.setEnabled(not tutor)

    @Slot(str)
    def _on_name(self, name: str) -> None:
        if not self._login_typed:
            self.login_edit.setText(suggested_login(name))
        self._refresh()

    @Slot(str)
    def _on_login_typed(self, text: str) -> None:
        self._login_typed = bool(text)  # cleared: follow the name again

    def _touched(self) -> bool:
        return bool(self.name_edit.text().strip() and self.login_edit.text()) or super()._touched()

    def problem(self) -> str:
        if not self.name_edit.text().strip():
            return "Enter the staff member's name."
        return login_problem(self.login_edit.text().strip()) or password_problem(
            self.password_edit.text(), self.repeat_edit.text())

    def values(self) -> tuple[str, StaffRole, str, str, bool]:
        return (self.name_edit.text().strip(), self.role_combo.currentData(), self.login_edit.text().strip(),
                self.password_edit.text(), self.teaches_check.isChecked())

    def fill(self, name: str, role: StaffRole, login: str, password: str, repeat: str | None = None,
             teaches: bool | None = None) -> None:
        """Types the whole form at once (for scripts and tests)."""
        self.name_edit.setText(name)
        self.role_combo.setCurrentIndex(self.role_combo.findData(role))
        if teaches is not None and self.teaches_check.isEnabled():
            self.teaches_check.setChecked(teaches)
        self.login_edit.setText(login)
        self._login_typed = True
        self.password_edit.setText(password)
        self.repeat_edit.setText(password if repeat is None else repeat)

    def work(self, values: tuple[str, StaffRole, str, str, bool]) -> Callable[[UUID], int]:
        name, role, login, password, teaches = values
        studio = self.ctx.studio
        return lambda request_id: studio.create_staff_account(name, role, login, password, request_id=request_id,
                                                              teaches=teaches)


class ResetPasswordDialog(_PasswordForm):
    """`saved` carries the staff member's id."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None, staff: Staff) -> None:
        super().__init__(ctx, "staff_password", parent, "Reset password")
        self.staff = staff
        self.dialog.setWindowTitle(f"Reset password · {staff.display_name}")
        self.child(QLabel, "titleLabel").setText(f"New password for {staff.display_name}")
        self._setup_passwords()
        self.password_edit.setFocus()
        self._refresh()

    def inputs(self) -> Sequence[QWidget]:
        return (self.password_edit, self.repeat_edit)

    def problem(self) -> str:
        return password_problem(self.password_edit.text(), self.repeat_edit.text())

    def values(self) -> tuple[str]:
        return (self.password_edit.text(),)

    def fill(self, password: str, repeat: str | None = None) -> None:
        self.password_edit.setText(password)
        self.repeat_edit.setText(password if repeat is None else repeat)

    def work(self, values: tuple[str]) -> Callable[[UUID], int]:
        (password,) = values
        studio, staff_id = self.ctx.studio, self.staff.id

        def reset(request_id: UUID) -> int:
            studio.reset_staff_password(staff_id, password, request_id=request_id)
            return staff_id

        return reset
