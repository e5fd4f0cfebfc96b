"""A whole-number field that never changes what a person typed. A plain spin box clamps 0 to its minimum and
999999 to its maximum when the person presses Enter, and so sells 10 sessions when 0 was typed. This one keeps the
typed number and shows it as invalid with the allowed range; the form says why and keeps OK off.

Forms declare it in Designer as a QSpinBox promoted to NumberField; the minimum and maximum set there are the
allowed range."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QSpinBox, QWidget

TYPED_LIMIT = 999_999_999  # what can be typed at all: far outside any allowed range, so nothing is clamped


class NumberField(QSpinBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.allowed = (self.minimum(), self.maximum())
        self.valueChanged.connect(self._check)

    def keep_typed(self) -> None:
        """Takes the range the form set as the allowed one and lets any number be typed."""
        self.allowed = (self.minimum(), self.maximum())
        self.setRange(-TYPED_LIMIT, TYPED_LIMIT)
        self.lineEdit().setMaxLength(len(self.prefix()) + len(str(TYPED_LIMIT)) + len(self.suffix()))
        self._check(self.value())

    def is_valid(self) -> bool:
        low, high = self.allowed
        return low <= self.value() <= high

    def problem(self, name: str) -> str:
        """What is wrong with the typed number, in a person's words ("" when nothing is)."""
        if self.is_valid():
            return ""
        low, high = self.allowed
        return f"{name} must be between {low} and {high} (it is {self.value()})."

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt's name
        low, high = self.allowed
        self.setValue(max(low, min(high, self.value() + steps)))  # the arrows stay inside what is allowed

    @Slot(int)
    def _check(self, _value: int) -> None:
        valid = self.is_valid()
        self.setProperty("invalid", not valid)
        self.style().unpolish(self)
        self.style().polish(self)
        low, high = self.allowed
        self.setToolTip("" if valid else f"Between {low} and {high}")
