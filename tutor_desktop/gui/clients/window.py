"""One client's window: contact details, packages with the selected one's balance and history, and sessions.
It loads in the background and appears filled, and follows every change any desk makes to its records through
one handler of the change bus."""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID

from PySide6.QtCore import QItemSelection, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from tutor_desktop.domain import (
    AttentionItem, Balance, Change, Client, HistoryEntry, LedgerEntry, Package, PackageMoney, PackageState, Payment,
    Session,
)
from tutor_desktop.gui.clients.header import ClientHeader
from tutor_desktop.gui.clients.models import MONEY_COLUMNS, LedgerModel, PackagesModel, SessionsModel
from tutor_desktop.gui.clients.money_card import MoneyCard
from tutor_desktop.gui.clients.package_card import PackageCard
from tutor_desktop.gui.kit.message_bar import MessageBar
from tutor_desktop.gui.kit.tables import table_view
from tutor_desktop.gui.kit.theme import is_dark
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.latest_read import Read
from tutor_desktop.gui.shell.loaded_window import LoadedWindow
from tutor_desktop.gui.shell.permissions import manages_packages



def attention_style() -> str:
    colours = ("#3a2a14", "#f3c98b", "#7a5322") if is_dark() else ("#fff3e0", "#7a4300", "#f0c48a")
    return "background: {}; color: {}; border: 1px solid {}; border-radius: 8px; padding: 6px 10px;".format(*colours)

@dataclass(frozen=True)
class ClientData:
    client: Client
    packages: list[Package]
    sessions: list[Session]
    history: dict[UUID, list[HistoryEntry]]  # each entry names who made it (the database resolves the login)
    ledger: dict[UUID, list[LedgerEntry]]  # the uses Reinstate may give back, with what they reverse
    money: dict[UUID, PackageMoney]  # none for a tutor's desk (which may not read money)
    payments: dict[UUID, list[Payment]]
    currency: str
    attention: list[AttentionItem]  # the needs-attention findings about this client


class ClientWindow(LoadedWindow):
    """Opened through `ctx.windows.show(ClientWindow, client_id)`: one per client and desk."""

    loaded = Signal()  # after every (re)load has been shown

    def __init__(self, ctx: DeskContext, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, client_id, parent)
        self.setWindowTitle("Client · Tutor Desk")
        self.resize(1080, 720)
        self.client_id = client_id
        self.data: ClientData | None = None
        self._selected: UUID | None = None
        self._wanted: UUID | None = None

        self.message_bar = MessageBar(self)
        self.header = ClientHeader(ctx, client_id)
        self.packages = PackagesModel(self)
        self.packages_view = table_view(self.packages, "packagesTable", stretch=0)
        self.card = PackageCard(ctx, also_busy=[self.packages_view])
        self.money_card = MoneyCard(ctx)
        self.attention_strip = QLabel("", objectName="attentionStrip", wordWrap=True, visible=False)
        self.attention_strip.setStyleSheet(attention_style())
        self.sees_money = manages_packages(ctx.staff)
        self.money_card.setVisible(self.sees_money)
        for column in MONEY_COLUMNS:
            self.packages_view.setColumnHidden(column, not self.sees_money)
        if self.sees_money:  # three more columns: room for the package's name beside them (placement keeps it on screen)
            self.resize(1260, 720)
        self.history = LedgerModel(self)
        self.history_view = table_view(self.history, "historyTable", stretch=5)
        self.sessions = SessionsModel(self)
        self.sessions_view = table_view(self.sessions, "sessionsTable", stretch=4)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.history_view, "Package history")
        self.tabs.addTab(self.sessions_view, "Sessions")
        self._layout()

        self.packages_view.selectionModel().selectionChanged.connect(self._on_selection)
        self.header.package_sold.connect(self.select_package)
        card, header = self.card, self.header
        for keys, button in (("Ctrl+U", card.use_button), ("Ctrl+R", card.reinstate_button),
                             ("Ctrl+E", header.edit_button), ("Ctrl+Shift+S", header.sell_button),
                             ("Ctrl+B", header.book_button)):
            QShortcut(QKeySequence(keys), self, button.click)
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)
        ctx.bus.changed.connect(self._on_change)

    def _layout(self) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(14)
        top = QHBoxLayout()
        top.setSpacing(14)
        top.addWidget(self.packages_view, 2)
        right = QVBoxLayout()
        right.setSpacing(10)
        right.addWidget(self.card, 1)
        right.addWidget(self.money_card)
        top.addLayout(right, 1)
        left_layout.addLayout(top, 2)
        left_layout.addWidget(self.tabs, 3)
        root = QVBoxLayout(self)
        root.setContentsMargins(18, 14, 18, 18)
        root.setSpacing(14)
        root.addWidget(self.header)
        root.addWidget(self.attention_strip)
        root.addWidget(left, 1)
        self.card.setMinimumWidth(330)
        # Tab: the packages, what to do with the selected one, its history, then the client-wide actions.
        chain = [self.packages_view, *self.card.buttons(), self.tabs, self.history_view, self.sessions_view,
                 *self.header.buttons()]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        self.packages_view.setMinimumHeight(190)

    # --- loading ---------------------------------------------------------------------------------------------

    def read(self) -> Read:
        studio, client_id, money = self.ctx.studio, self.client_id, self.sees_money

        def fetch() -> ClientData:
            packages = studio.packages_for_client(client_id)
            ids = [p.id for p in packages]
            return ClientData(
                studio.get_client(client_id),
                packages,
                studio.sessions_for_client(client_id),
                studio.package_history(ids),
                studio.ledger_for_packages(ids),
                studio.package_money(ids) if money else {},
                studio.payments_for_packages(ids) if money else {},
                studio.currency(),
                [i for i in studio.report_needs_attention() if i.client_id == client_id] if money else [],
            )

        return fetch, self._show_data

    def _show_data(self, data: ClientData) -> None:
        self.data = data
        self.setWindowTitle(f"{data.client.full_name} · Tutor Desk")
        self.header.show_client(data.client)
        self.header.packages = data.packages
        self.packages.money, self.packages.currency = data.money, data.currency
        self.history.currency = data.currency
        self.packages.set_rows(data.packages)
        self.money_card.show_money(data.money, data.payments, data.currency)
        self._show_attention(data.attention)
        self.sessions.set_rows(data.sessions)
        self.card.sessions, self.card.packages = data.sessions, data.packages
        self._restore_selection()
        self._show_selected()
        self.loaded_once()
        self.loaded.emit()

    def _show_attention(self, items: list[AttentionItem]) -> None:
        words = [f"{i.kind.label}: {f'{i.label}, ' if i.label else ''}{i.describe()}" for i in items]
        self.attention_strip.setText("Needs attention · " + " · ".join(words) if words else "")
        self.attention_strip.setVisible(bool(words))

    def first_focus(self) -> None:
        self.packages_view.setFocus()

    def _restore_selection(self) -> None:
        if self._wanted is not None and self.packages.row_of(self._wanted) >= 0:
            self._selected, self._wanted = self._wanted, None
        row = self.packages.row_of(self._selected) if self._selected else -1
        if row < 0 and self.packages.rows:
            # First usable package, else the newest.
            row = next((i for i, p in enumerate(self.packages.rows) if p.state == PackageState.ACTIVE), 0)
        self.packages_view.selectionModel().blockSignals(True)
        if row >= 0:
            self.packages_view.selectRow(row)
        else:
            self.packages_view.clearSelection()
        self.packages_view.selectionModel().blockSignals(False)
        self._selected = self.packages.rows[row].id if row >= 0 else None

    @Slot(object)
    def select_package(self, package_id: UUID) -> None:
        """Selects the package now, or when a reload brings it (one just sold)."""
        self._wanted = package_id
        if self.packages.row_of(package_id) >= 0:
            self._restore_selection()
            self._show_selected()

    @Slot(QItemSelection, QItemSelection)
    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.packages_view.selectionModel().selectedRows()
        if rows:
            self._selected = self.packages.rows[rows[0].row()].id
        self._show_selected()

    def _show_selected(self) -> None:
        package = self.selected_package()
        self.card.show_package(package)
        self.money_card.show_package(package)
        self.header.selected_package = package.id if package else None
        history = self.data.history.get(package.id, []) if (package and self.data) else []
        sessions = {s.id: s for s in self.data.sessions} if self.data else {}
        self.history.set_history(history, sessions, {p.id: p.label for p in self.packages.rows})
        self.card.ledger = self.data.ledger.get(package.id, []) if (package and self.data) else []
        self.tabs.setTabText(0, f"History of {package.label}" if package else "Package history")

    def selected_package(self) -> Package | None:
        return self.packages.find(self._selected) if self._selected else None

    # --- changes from this desk and from others --------------------------------------------------------------

    @Slot(object, object)
    def _on_change(self, change: Change, _origin: object) -> None:
        if change.balance is not None:
            self._show_balance(change.balance)
        if change.touches(packages={p.id for p in self.packages.rows}, sessions={s.id for s in self.sessions.rows},
                          clients={self.client_id}):
            self.schedule_reload()  # what the Change does not carry: the history, the sessions, the details

    def _show_balance(self, balance: Balance) -> None:
        package = self.packages.find(balance.package_id)
        if package is None:
            return
        self.supersede_reads()  # a read that left before this answer must not paint over it
        package = replace(package, sessions_used=balance.sessions_used, sessions_remaining=balance.sessions_remaining)
        self.packages.replace(package)
        if package.id == self._selected:
            self.card.show_package(package)
