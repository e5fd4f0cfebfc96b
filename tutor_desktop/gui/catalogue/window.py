"""The catalogue of packages (admins): what the studio sells, each with its sessions, price and how long it is
valid, the studio's currency, and what each tutor is paid. Add a package, change one, or retire it (it is no
longer offered; packages already sold keep their own price). The database checks every value and answers in the
message bar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QItemSelection, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tutor_desktop.domain import (
    CatalogueItem,
    Change,
    InvalidInput,
    PayPer,
    PayRate,
    Staff,
    parse_amount,
)
from tutor_desktop.gui.kit.assets import icon
from tutor_desktop.gui.kit.message_bar import MessageBar
from tutor_desktop.gui.kit.money import money_text
from tutor_desktop.gui.kit.tables import RowsModel, muted_text, table_view
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.latest_read import Read
from tutor_desktop.gui.shell.loaded_window import LoadedWindow
from tutor_desktop.gui.shell.operations import Mutation


@dataclass(frozen=True)
class CatalogueData:
    items: list[CatalogueItem]
    currency: str
    tutors: list[Staff]  # who teaches
    rates: dict[int, PayRate]


class CatalogueModel(RowsModel):
    headers = ("Package", "Sessions", "Price", "Valid for", "")
    numeric = frozenset({1, 2})
    currency = "USD"

    def text(self, item: CatalogueItem, column: int) -> str:
        return (item.name, str(item.sessions), money_text(item.price, self.currency),
                f"{item.validity_days} days" if item.validity_days else "Never expires",
                "" if item.active else "Retired")[column]

    def style(self, item: CatalogueItem, column: int, role: int) -> Any:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QBrush

        if role == Qt.ItemDataRole.ForegroundRole and not item.active:
            return QBrush(muted_text())
        return None


class CatalogueWindow(LoadedWindow):
    """Opened through `ctx.windows.show(CatalogueWindow)`: one per desk."""

    loaded = Signal()

    def __init__(self, ctx: DeskContext, key: None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, key, parent, reload_delay_ms=150)
        self.setWindowTitle("Catalogue and pay · Tutor Desk")
        self.setWindowIcon(icon("sell"))
        self.resize(900, 520)
        self.data: CatalogueData | None = None
        self.selected: CatalogueItem | None = None
        self.message_bar = MessageBar(self)
        self.model = CatalogueModel(self)
        self.view = table_view(self.model, "catalogueTable", stretch=0)
        self.name_edit = QLineEdit(objectName="catalogueName", placeholderText="e.g. 10-session pack", maxLength=100)
        self.sessions_spin = QSpinBox(objectName="catalogueSessions", minimum=1, maximum=1000, value=10)
        self.price_edit = QLineEdit(objectName="cataloguePrice", placeholderText="e.g. 420.00")
        self.validity_spin = QSpinBox(objectName="catalogueValidity", minimum=1, maximum=3660, value=90,
                                      suffix=" days")
        self.expires_check = QCheckBox("Expires after", objectName="catalogueExpires", checked=True)
        self.expires_check.toggled.connect(self.validity_spin.setEnabled)
        self.add_button = QPushButton(icon("sell"), "&Add to catalogue", objectName="addCatalogueButton")
        self.save_button = QPushButton("&Save changes", objectName="saveCatalogueButton")
        self.retire_button = QPushButton("&Retire", objectName="retireCatalogueButton")
        self.currency_edit = QLineEdit(objectName="currencyEdit", maxLength=3)
        self.currency_edit.setFixedWidth(70)
        self.currency_button = QPushButton("Set currency", objectName="setCurrencyButton")
        self.tutor_combo = QComboBox(objectName="payTutorCombo")
        self.rate_edit = QLineEdit(objectName="payRateEdit", placeholderText="e.g. 30.00")
        self.rate_edit.setFixedWidth(110)
        self.per_combo = QComboBox(objectName="payPerCombo")
        self.per_combo.addItem("per session", PayPer.SESSION)
        self.per_combo.addItem("per hour", PayPer.HOUR)
        self.rate_button = QPushButton("Set pay", objectName="setPayButton")
        self.rates_label = QLabel("", objectName="payRatesLabel", wordWrap=True)
        self.rates_label.setProperty("muted", True)
        self._layout()
        for widget in (self.name_edit, self.sessions_spin, self.price_edit, self.validity_spin, self.expires_check,
                       self.add_button, self.save_button, self.retire_button, self.currency_edit,
                       self.currency_button, self.tutor_combo, self.rate_edit, self.per_combo, self.rate_button):
            widget.setAccessibleName(widget.objectName())
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        self.add_button.clicked.connect(self.add_item)
        self.save_button.clicked.connect(self.save_item)
        self.retire_button.clicked.connect(self.retire_item)
        self.currency_button.clicked.connect(self.set_currency)
        self.rate_button.clicked.connect(self.set_pay_rate)
        self.tutor_combo.currentIndexChanged.connect(self._show_rate)
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)
        ctx.bus.changed.connect(self._on_change)
        self._show_selected()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow("&Name", self.name_edit)
        form.addRow("S&essions", self.sessions_spin)
        form.addRow("&Price", self.price_edit)
        form.addRow(self.expires_check, self.validity_spin)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.save_button, self.retire_button):
            buttons.addWidget(button)
        currency = QHBoxLayout()
        currency.addWidget(QLabel("Studio currency (ISO code, e.g. EUR)"))
        currency.addWidget(self.currency_edit)
        currency.addWidget(self.currency_button)
        currency.addStretch(1)
        side = QVBoxLayout()
        title = QLabel("A package of the catalogue")
        title.setProperty("subheading", True)
        side.addWidget(title)
        side.addLayout(form)
        side.addLayout(buttons)
        side.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.view, 3)
        top.addLayout(side, 2)
        pay = QHBoxLayout()
        pay.addWidget(QLabel("Tutor's pay (done and student no-show sessions)"))
        for widget in (self.tutor_combo, self.rate_edit, self.per_combo, self.rate_button):
            pay.addWidget(widget)
        pay.addStretch(1)
        root = QVBoxLayout(self)
        root.setContentsMargins(18, 14, 18, 18)
        root.addLayout(top, 1)
        root.addLayout(currency)
        root.addLayout(pay)
        root.addWidget(self.rates_label)

    # --- loading ---------------------------------------------------------------------------------------------

    def read(self) -> Read:
        studio = self.ctx.studio
        return (lambda: CatalogueData(studio.catalogue(include_retired=True), studio.currency(),
                                      [s for s in studio.list_staff() if s.teaches], studio.pay_rates())), \
            self._show_data

    def _show_data(self, data: CatalogueData) -> None:
        self.data = data
        self.model.currency = data.currency
        self.model.set_rows(data.items)
        if not self.currency_edit.hasFocus():
            self.currency_edit.setText(data.currency)
        chosen = self.tutor_combo.currentData()
        self.tutor_combo.blockSignals(True)
        self.tutor_combo.clear()
        for tutor in data.tutors:
            self.tutor_combo.addItem(tutor.display_name, tutor.id)
        self.tutor_combo.setCurrentIndex(max(0, self.tutor_combo.findData(chosen)))
        self.tutor_combo.blockSignals(False)
        self._show_rate()
        self.rates_label.setText(" · ".join(
            f"{t.display_name}: {money_text(r.amount, data.currency)} per {r.per}" if (r := data.rates.get(t.id))
            else f"{t.display_name}: no rate" for t in data.tutors))
        row = self.model.row_of(self.selected.id) if self.selected else -1
        if row >= 0:
            self.view.selectRow(row)
        self.loaded_once()
        self.loaded.emit()

    @Slot(QItemSelection, QItemSelection)
    def _on_selection(self, *_args: QItemSelection) -> None:
        rows = self.view.selectionModel().selectedRows()
        self.selected = self.model.rows[rows[0].row()] if rows else None
        self._show_selected()

    def _show_selected(self) -> None:
        item = self.selected
        self.save_button.setEnabled(item is not None)
        self.retire_button.setEnabled(item is not None and item.active)
        if item is None:
            return
        self.name_edit.setText(item.name)
        self.sessions_spin.setValue(item.sessions)
        self.price_edit.setText(f"{item.price:.2f}")
        self.expires_check.setChecked(item.validity_days is not None)
        self.validity_spin.setValue(item.validity_days or 90)

    @Slot()
    def _show_rate(self) -> None:
        rate = self.data.rates.get(self.tutor_combo.currentData()) if self.data else None
        self.rate_edit.setText(f"{rate.amount:.2f}" if rate else "")
        self.per_combo.setCurrentIndex(self.per_combo.findData(rate.per) if rate else 0)

    @Slot(object, object)
    def _on_change(self, change: Change, _origin: object) -> None:
        if change.everything or not change.package_ids:
            self.schedule_reload()

    # --- changes ---------------------------------------------------------------------------------------------

    def _values(self) -> tuple[str, int, Decimal, int | None] | None:
        try:
            price = parse_amount(self.price_edit.text(), "The price")
        except InvalidInput as error:
            self.message_bar.show_message(error.message, "warning")
            return None
        validity = self.validity_spin.value() if self.expires_check.isChecked() else None
        return self.name_edit.text(), self.sessions_spin.value(), price, validity

    def _send(self, work: Callable[[Any], Any], done: str) -> None:
        busy = [self.add_button, self.save_button, self.retire_button, self.view, self.currency_button,
                self.rate_button]
        mutation = Mutation(self.ctx, self, work, busy=busy, change=lambda _result: Change())
        mutation.on_success(lambda _result: self._done(done)).run()

    def _done(self, text: str) -> None:
        self.message_bar.show_message(text, "success")
        self.load()

    @Slot()
    def add_item(self) -> None:
        values = self._values()
        if values is not None:
            studio = self.ctx.studio
            self._send(lambda r: studio.add_catalogue_item(*values, request_id=r), f"{values[0]} is in the catalogue.")

    @Slot()
    def save_item(self) -> None:
        values, item = self._values(), self.selected
        if values is not None and item is not None:
            studio = self.ctx.studio
            self._send(lambda r: studio.update_catalogue_item(item.id, *values, active=item.active, request_id=r),
                       f"{values[0]} is saved.")

    @Slot()
    def retire_item(self) -> None:
        item = self.selected
        if item is not None:
            studio = self.ctx.studio
            self._send(lambda r: studio.update_catalogue_item(item.id, item.name, item.sessions, item.price,
                                                              item.validity_days, active=False, request_id=r),
                       f"{item.name} is retired: it is no longer offered when a package is sold.")

    @Slot()
    def set_pay_rate(self) -> None:
        staff_id, name = self.tutor_combo.currentData(), self.tutor_combo.currentText()
        if staff_id is None:
            return
        amount = None
        if self.rate_edit.text().strip():
            try:
                amount = parse_amount(self.rate_edit.text(), "The pay rate")
            except InvalidInput as error:
                self.message_bar.show_message(error.message, "warning")
                return
        per, studio = self.per_combo.currentData(), self.ctx.studio
        self._send(lambda r: studio.set_tutor_pay_rate(staff_id, amount, per, request_id=r),
                   f"{name}'s pay rate is saved." if amount is not None else f"{name} has no pay rate now.")

    @Slot()
    def set_currency(self) -> None:
        code = self.currency_edit.text()
        studio = self.ctx.studio
        self._send(lambda r: studio.set_currency(code, request_id=r), f"Amounts are now in {code.upper()}.")
