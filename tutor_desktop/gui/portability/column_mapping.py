"""The Import window's column choices: for each field of the import, which column of the file holds it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from tutor_desktop.domain import FIELD_LABELS, ImportKind

NOT_IN_FILE = "— not in the file —"


class ColumnMapping(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("columnMapping")
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setVerticalSpacing(6)
        self.combos: dict[str, QComboBox] = {}

    def show_fields(self, kind: ImportKind, headers: tuple[str, ...], chosen: dict[str, int | None]) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.combos = {}
        for field in kind.fields:
            combo = QComboBox()
            combo.setObjectName(f"column_{field}")
            combo.setMinimumContentsLength(16)
            combo.setAccessibleName(f"Column for {FIELD_LABELS[field]}")
            combo.addItem(NOT_IN_FILE, None)
            for index, header in enumerate(headers):
                combo.addItem(header or f"Column {index + 1}", index)
            combo.setCurrentIndex(0 if chosen.get(field) is None else chosen[field] + 1)
            combo.currentIndexChanged.connect(self.changed)
            label = QLabel(FIELD_LABELS[field] + (" *" if field in kind.required else ""))
            self.form.addRow(label, combo)
            self.combos[field] = combo

    def mapping(self) -> dict[str, int | None]:
        return {field: combo.currentData() for field, combo in self.combos.items()}

    def choose(self, field: str, header_index: int | None) -> None:
        combo = self.combos[field]
        combo.setCurrentIndex(combo.findData(header_index) if header_index is not None else 0)
