"""One client's window: contact details, packages with the selected one's balance and history, and sessions.
It loads in the background and appears filled, and follows every change any desk makes to its records."""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QTabWidget, QVBoxLayout, QWidget

from tutor_desktop.domain import Balance, Client, LedgerEntry, Package, Session
from tutor_desktop.gui.balance_card import BalanceCard
from tutor_desktop.gui.client_header import ClientHeader
from tutor_desktop.gui.client_models import LedgerModel, PackagesModel, SessionsModel, package_state
from tutor_desktop.gui.context import DeskContext
from tutor_desktop.gui.message_bar import MessageBar
from tutor_desktop.gui.latest_read import LatestRead
from tutor_desktop.gui.package_actions import PackageActions
from tutor_desktop.gui.permissions import manages_packages
from tutor_desktop.gui.record_table import record_table
from tutor_desktop.gui.record_actions import RecordActions

RELOAD_DELAY_MS = 100
_open: dict[tuple[int, int], ClientWindow] = {}


@dataclass(frozen=True)
class ClientData:
    client: Client
    packages: list[Package]
    sessions: list[Session]
    history: dict[UUID, list[LedgerEntry]]
    staff_names: dict[str, str]  # login -> the staff member's name, for the history's "Who"


def open_client_window(ctx: DeskContext, client_id: int, parent: QWidget | None = None) -> ClientWindow:
    """The client's window: the one already open on this desk (brought to the front), or a new one that shows
    itself once its records are loaded."""
    window = _open.get((id(ctx), client_id))
    if window is not None and not window.isVisible() and not window._shown_once:
        return window  # still loading: it shows itself, filled, when its records arrive
    if window is not None:
        window.showNormal() if window.isMinimized() else window.show()
        window.raise_()
        window.activateWindow()
        return window
    window = ClientWindow(ctx, client_id, parent)
    _open[(id(ctx), client_id)] = window
    window.reload()
    return window


class ClientWindow(QWidget):
    loaded = Signal()  # after every (re)load has been shown

    def __init__(self, ctx: DeskContext, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Client · Tutor Desk")
        self.resize(1080, 720)
        self.ctx = ctx
        self.client_id = client_id
        self.data: ClientData | None = None
        self._selected: UUID | None = None
        self._wanted: UUID | None = None
        self._reads = LatestRead(ctx, self, self._read, after=self._loaded)
        self._shown_once = False
        self._answers = 0  # database answers (balances) received: a read older than the last one is dropped

        self.message_bar = MessageBar(self)
        self.header = ClientHeader()
        self.card = BalanceCard()
        self.packages = PackagesModel(self)
        self.packages_view = record_table(self.packages, "packagesTable", stretch=0)
        self.history = LedgerModel(self)
        self.history_view = record_table(self.history, "historyTable", stretch=5)
        self.sessions = SessionsModel(self)
        self.sessions_view = record_table(self.sessions, "sessionsTable", stretch=4)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.history_view, "Package history")
        self.tabs.addTab(self.sessions_view, "Sessions")
        self.actions = PackageActions(self)
        self.records = RecordActions(self)
        self._layout()

        self.packages_view.selectionModel().selectionChanged.connect(self._on_selection)
        card = self.card
        card.use_button.clicked.connect(self.actions.use)
        card.reinstate_button.clicked.connect(self.actions.reinstate)
        card.cancel_button.clicked.connect(self.actions.cancel_package)
        card.expiry_button.clicked.connect(self.actions.change_expiry)
        self.header.edit_button.clicked.connect(self.records.edit_client)
        self.header.sell_button.clicked.connect(self.records.sell_package)
        self.header.book_button.clicked.connect(self.records.book_session)
        for keys, button in (("Ctrl+U", card.use_button), ("Ctrl+R", card.reinstate_button),
                             ("Ctrl+E", self.header.edit_button), ("Ctrl+Shift+S", self.header.sell_button),
                             ("Ctrl+B", self.header.book_button)):
            QShortcut(QKeySequence(keys), self, button.click)
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)

        self._reload_timer = QTimer(self, singleShot=True, interval=RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)
        bus = ctx.bus
        bus.balance_changed.connect(self._on_balance)
        bus.package_changed.connect(self._on_package_changed)
        bus.session_changed.connect(self._on_session_changed)
        bus.client_changed.connect(self._on_client_changed)
        bus.studio_changed.connect(self.schedule_reload)
        bus.connection_restored.connect(self.schedule_reload)
        if not manages_packages(ctx.staff):  # a tutor: the database would refuse these anyway
            for button in (card.use_button, card.reinstate_button, card.cancel_button, card.expiry_button,
                           self.header.edit_button, self.header.sell_button, self.header.book_button):
                button.hide()
        self.update_enabled()

    def _layout(self) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(14)
        top = QHBoxLayout()
        top.setSpacing(14)
        top.addWidget(self.packages_view, 3)
        top.addWidget(self.card, 2)
        left_layout.addLayout(top, 2)
        left_layout.addWidget(self.tabs, 3)
        root = QVBoxLayout(self)
        root.setContentsMargins(18, 14, 18, 18)
        root.setSpacing(14)
        root.addWidget(self.message_bar)
        root.addWidget(self.header)
        root.addWidget(left, 1)
        self.card.setMinimumWidth(330)
        # Tab: the packages, what to do with the selected one, its history, then the client-wide actions.
        chain = [self.packages_view, *self.card.buttons(), self.tabs, self.history_view, self.sessions_view,
                 self.header.edit_button, self.header.sell_button, self.header.book_button]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        self.packages_view.setMinimumHeight(190)

    # --- loading ---------------------------------------------------------------------------------------------

    @Slot()
    def schedule_reload(self) -> None:
        self._reload_timer.start()

    @Slot()
    def reload(self) -> None:
        self._reads.request()

    @property
    def reading(self) -> bool:
        """A read of this client's records is out (or about to be sent)."""
        return self._reads.running or self._reload_timer.isActive()

    def _read(self):  # noqa: ANN202 - a LatestRead's (work, show)
        studio, client_id, answers = self.ctx.studio, self.client_id, self._answers

        def fetch() -> ClientData:
            packages = studio.packages_for_client(client_id)
            return ClientData(
                studio.get_client(client_id),
                packages,
                studio.sessions_for_client(client_id),
                studio.ledger_for_packages([p.id for p in packages]),
                {s.login_role: s.display_name for s in studio.list_staff(include_inactive=True) if s.login_role},
            )

        return fetch, lambda data: self._show_data(data, answers)

    def _loaded(self) -> None:
        if not self._shown_once:  # a first load that failed: show the window with its message
            self._show_window()

    def _show_data(self, data: ClientData, answers: int | None = None) -> None:
        if answers is not None and answers != self._answers:
            # A database answer arrived after this read left: it may hold older counts. Read once more.
            self._reads.again_after_this()
            return
        self.data = data
        self.setWindowTitle(f"{data.client.full_name} · Tutor Desk")
        self.header.show_client(data.client)
        self.packages.set_rows(data.packages)
        self.sessions.set_rows(data.sessions)
        self._restore_selection()
        self._show_selected()
        self._show_window()
        self.loaded.emit()

    def _show_window(self) -> None:
        if not self._shown_once:
            self._shown_once = True
            self.show()
            self.packages_view.setFocus()

    def _restore_selection(self) -> None:
        if self._wanted is not None and self.packages.row_of(self._wanted) >= 0:
            self._selected, self._wanted = self._wanted, None
        row = self.packages.row_of(self._selected) if self._selected else -1
        if row < 0 and self.packages.rows:
            # First usable package, else the newest.
            row = next((i for i, p in enumerate(self.packages.rows) if package_state(p) == "Active"), 0)
        self.packages_view.selectionModel().blockSignals(True)
        if row >= 0:
            self.packages_view.selectRow(row)
        else:
            self.packages_view.clearSelection()
        self.packages_view.selectionModel().blockSignals(False)
        self._selected = self.packages.rows[row].id if row >= 0 else None

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
        history = self.data.history.get(package.id, []) if (package and self.data) else []
        sessions = {s.id: s for s in self.data.sessions} if self.data else {}
        self.history.set_history(history, sessions, self.data.staff_names if self.data else {})
        self.tabs.setTabText(0, f"History of {package.label}" if package else "Package history")
        self.update_enabled()

    def selected_package(self) -> Package | None:
        return self.packages.find(self._selected) if self._selected else None

    # --- what may be clicked ---------------------------------------------------------------------------------

    def action_widgets(self) -> list[QWidget]:
        """Everything that would conflict with a change of the selected package while it is in flight."""
        return [*self.card.buttons(), self.packages_view]

    def update_enabled(self) -> None:
        idle = not self.actions.busy
        has_package = self.selected_package() is not None
        allowed = manages_packages(self.ctx.staff)  # hidden for a tutor, and off so no shortcut reaches them
        for button in self.card.buttons():
            button.setEnabled(idle and has_package and allowed)
        for button in (self.header.edit_button, self.header.sell_button, self.header.book_button):
            button.setEnabled(allowed)
        self.packages_view.setEnabled(idle)

    # --- changes from this desk and from others --------------------------------------------------------------

    @Slot(object)
    def _on_balance(self, balance: Balance) -> None:
        package = self.packages.find(balance.package_id)
        if package is None:
            return
        self._answers += 1
        self.packages.replace(replace(package, sessions_used=balance.sessions_used,
                                      sessions_remaining=balance.sessions_remaining))
        if balance.package_id == self._selected:
            self.card.show_balance(balance)

    @Slot(object)
    def _on_package_changed(self, package_id: UUID) -> None:
        if self.packages.row_of(package_id) >= 0:
            self.schedule_reload()

    @Slot(object)
    def _on_session_changed(self, session_id: UUID) -> None:
        if self.sessions.row_of(session_id) >= 0:
            self.schedule_reload()

    @Slot(object)
    def _on_client_changed(self, client_id: int) -> None:
        if client_id == self.client_id:
            self.schedule_reload()

    def closeEvent(self, event: QCloseEvent) -> None:
        if _open.get((id(self.ctx), self.client_id)) is self:
            del _open[(id(self.ctx), self.client_id)]
        super().closeEvent(event)
