"""What every form dialog shares: a Designer form, a message bar for the database's answers, an inline line for
what the form can tell by itself, and an OK button that sends one Mutation per user action."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any
from uuid import UUID

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QWidget

from tutor_desktop.domain import Change
from tutor_desktop.gui.kit.placement import place_window
from tutor_desktop.gui.kit.assets import load_ui
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.kit.message_bar import MessageBar
from tutor_desktop.gui.kit.number_field import NumberField
from tutor_desktop.gui.shell.operations import Mutation, alive
from tutor_desktop.gui.kit.theme import mark_primary

ERROR_COLOUR = "#d64545"  # reads on the light and the dark palette


class FormDialog(QObject):
    saved = Signal(object)  # what the database answered

    def __init__(self, ctx: DeskContext | None, form: str, parent: QWidget | None, ok_text: str) -> None:
        self.dialog = load_ui(form, parent)
        super().__init__(self.dialog)
        self.ctx = ctx
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_bar = MessageBar(self.dialog, Qt.Edge.TopEdge)
        self.dialog.message_bar = self.message_bar  # where the operations show the database's refusals
        buttons = self.child(QDialogButtonBox, "buttonBox")
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok) or buttons.button(
            QDialogButtonBox.StandardButton.Save
        )
        self.ok_button.setText(ok_text)
        mark_primary(self.ok_button)
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self._on_accept)
        buttons.rejected.connect(self.dialog.reject)
        self.error_label = self.dialog.findChild(QLabel, "errorLabel")
        if self.error_label is not None:
            self.error_label.setStyleSheet(f"color: {ERROR_COLOUR};")
            policy = self.error_label.sizePolicy()
            policy.setRetainSizeWhenHidden(True)  # its line is kept: the buttons never move when it appears
            self.error_label.setSizePolicy(policy)
            self.error_label.setMinimumHeight(self.error_label.fontMetrics().lineSpacing() + 4)
            self.error_label.hide()
        self._mutation: Mutation | None = None
        self._mutation_key: Hashable = None
        self.numbers = self.dialog.findChildren(NumberField)
        for field in self.numbers:
            field.keep_typed()
            field.valueChanged.connect(self._numbers_checked)  # the message names the number as it is now

    def number_problem(self) -> str:
        """The first typed number outside what its field allows, in a person's words ("" when none is)."""
        captions = {label.buddy(): label.text().replace("&", "") for label in self.dialog.findChildren(QLabel)}
        return next((p for field in self.numbers if (p := field.problem(captions.get(field, "The number")))), "")

    @Slot(int)
    def _numbers_checked(self, _value: int) -> None:
        problem = self.number_problem()
        self.show_error(problem)
        self.ok_button.setEnabled(not problem)

    def child(self, cls: type, name: str) -> Any:
        widget = self.dialog.findChild(cls, name)
        if widget is None:
            raise RuntimeError(f"The form has no {name}.")
        return widget

    def open(self) -> None:
        self.dialog.adjustSize()
        place_window(self.dialog, self.dialog.parentWidget())  # over its window, inside the screen
        self.dialog.open()

    def show_error(self, text: str) -> None:
        if self.error_label is not None:
            self.error_label.setText(text)
            self.error_label.setVisible(bool(text))

    # --- for the subclasses ----------------------------------------------------------------------------------

    def validate(self) -> Hashable | None:
        """The form's values, or None after showing what is missing."""
        raise NotImplementedError

    def work(self, values: Any) -> Callable[[UUID], Any]:
        raise NotImplementedError

    def inputs(self) -> Sequence[QWidget]:
        return ()

    def change(self, result: Any) -> Change:
        """What the saved form changed, for every open window."""
        return Change.of(result)

    def submit(self, values: Any) -> None:
        if self._mutation is None or self._mutation_key != values:
            # New values are a new action; the same values sent again are a retry with the same request id.
            self._mutation = Mutation(self.ctx, self.dialog, self.work(values), busy=[self.ok_button, *self.inputs()],
                                      change=self.change)
            self._mutation.on_success(self._on_saved)
            self._mutation_key = values
        self.message_bar.dismiss()
        self._mutation.run()

    @Slot()
    def _on_accept(self) -> None:
        if self.number_problem():  # Enter in a field that holds a number out of range: nothing is sent
            return
        values = self.validate()
        if values is None:
            return
        self.show_error("")
        self.submit(values)

    def _on_saved(self, result: Any) -> None:
        if not alive(self.dialog):
            return
        self.saved.emit(result)
        self.dialog.accept()
