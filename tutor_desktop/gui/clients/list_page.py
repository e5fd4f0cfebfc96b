"""The clients tab: instant search by name, email or phone, each client's active packages, and a new client.
Enter or a double-click opens the client's window."""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, QTimer, Qt, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from tutor_desktop.domain import Change, Client, Package
from tutor_desktop.gui.kit.assets import icon
from tutor_desktop.gui.clients.models import ClientsModel
from tutor_desktop.gui.clients.window import ClientWindow
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.clients.client_dialog import ClientDialog
from tutor_desktop.gui.kit.message_bar import MessageBar
from tutor_desktop.gui.shell.latest_read import LatestRead
from tutor_desktop.gui.shell.operations import Query, show_message
from tutor_desktop.gui.shell.permissions import manages_packages
from tutor_desktop.gui.kit.tables import ID_ROLE, SORT_ROLE, table_view

SEARCH_DELAY_MS = 150
RELOAD_DELAY_MS = 100


class _SearchField(QLineEdit):
    """Down arrow moves from the search into the results."""

    def __init__(self, page: ClientListPage) -> None:
        super().__init__()
        self._page = page

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down and self._page.model.rows:
            self._page.table.setFocus()
            self._page.table.selectRow(0)
            return
        super().keyPressEvent(event)


class ClientListPage(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.message_bar = MessageBar(self)
        self.search = _SearchField(self)
        self.search.setObjectName("clientSearch")
        self.search.setAccessibleName("clientSearch")
        self.search.setPlaceholderText("Search clients by name, email or phone")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setMinimumHeight(34)
        self.new_button = QPushButton(icon("client-plus", "#ffffff"), "&New client")
        self.new_button.setObjectName("newClientButton")
        self.new_button.setProperty("primary", True)
        self.new_button.setMinimumHeight(34)
        self.count_label = QLabel("")
        self.count_label.setProperty("muted", True)
        self.show_archived = QCheckBox("Show archived")
        self.show_archived.setObjectName("showArchivedCheck")
        self.model = ClientsModel(self)
        self.sorted = QSortFilterProxyModel(self)  # the columns sort; the model keeps the database's order
        self.sorted.setSourceModel(self.model)
        self.sorted.setSortRole(SORT_ROLE)
        self.sorted.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = table_view(self.sorted, "clientTable", stretch=0)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.empty_label = QLabel("")
        self.empty_label.setProperty("muted", True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()
        self.client_dialog: ClientDialog | None = None
        self._select_after_reload: int | None = None

        bar = QHBoxLayout()
        bar.setSpacing(10)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 18)
        layout.setSpacing(10)
        layout.addLayout(bar)
        counts = QHBoxLayout()
        counts.addWidget(self.count_label, 1)
        counts.addWidget(self.show_archived)
        layout.addLayout(counts)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        self.setTabOrder(self.search, self.new_button)
        self.setTabOrder(self.new_button, self.table)

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self._packages_timer = QTimer(self, singleShot=True, interval=RELOAD_DELAY_MS)
        self._packages_timer.timeout.connect(self.reload_packages)
        self._reads = LatestRead(ctx, self, self._read)
        self._packages_query: Query | None = None
        self.search.textChanged.connect(self._search_timer.start)
        self.show_archived.toggled.connect(self.reload)
        self.search.returnPressed.connect(self._open_first)
        self.table.activated.connect(self._open_index)
        self.new_button.clicked.connect(self.new_client)
        allowed = manages_packages(ctx.staff)  # a tutor: hidden before use, not refused after the form is filled
        self.new_button.setVisible(allowed)
        self.new_button.setEnabled(allowed)
        QShortcut(QKeySequence("Ctrl+N"), self, self.new_client, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        ctx.bus.changed.connect(self._on_change)
        self.reload()
        self.reload_packages()

    @Slot()
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # --- loading ---------------------------------------------------------------------------------------------

    @Slot()
    def reload(self) -> None:
        self._reads.request()  # typed on while a search was out: the latest text is searched after it

    def _read(self):  # noqa: ANN202 - a LatestRead's (work, show)
        text, archived, studio = self.search.text().strip(), self.show_archived.isChecked(), self.ctx.studio
        return lambda: studio.list_clients(text, archived), lambda clients: self._show_clients(text, clients)

    def _show_clients(self, text: str, clients: list[Client]) -> None:
        if text != self.search.text().strip():
            return  # an older search; the newer one is on its way
        current = self._select_after_reload or self.current_client_id()
        self.model.set_rows(clients)
        row = self.model.row_of(current) if current is not None else -1
        if row >= 0:
            self._select_after_reload = None
            shown = self.sorted.mapFromSource(self.model.index(row, 0))
            self.table.selectRow(shown.row())
            self.table.scrollTo(shown)
        n = len(clients)
        self.count_label.setText(f"{n} client{'s' if n != 1 else ''}" + (f" matching “{text}”" if text else ""))
        self.empty_label.setText(f"No client matches “{text}”." if text else "No clients yet. Add the first one.")
        self.empty_label.setVisible(n == 0)

    @Slot()
    def reload_packages(self) -> None:
        if self._packages_query is not None and self._packages_query.running:
            self._packages_timer.start()
            return
        self._packages_query = Query(self.ctx, self, self.ctx.studio.studio_packages)
        self._packages_query.on_success(self._show_packages)
        self._packages_query.run()

    def _show_packages(self, rows: list[tuple[Client, Package]]) -> None:
        by_client: dict[int, list[Package]] = defaultdict(list)
        for client, package in rows:
            by_client[client.id].append(package)
        self.model.set_packages(by_client)

    @Slot(object, object)
    def _on_change(self, change: Change, _origin: object) -> None:
        if change.everything or change.client_ids:
            self._search_timer.start()  # a name, an email or a new client
        if change.everything or change.client_ids or change.package_ids:
            self._packages_timer.start()

    # --- opening and adding ----------------------------------------------------------------------------------

    def current_client_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    @Slot(QModelIndex)
    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_client(index.data(ID_ROLE))

    @Slot()
    def _open_first(self) -> None:
        if self.model.rows:
            self.open_client(self.current_client_id() or self.sorted.index(0, 0).data(ID_ROLE))

    def open_client(self, client_id: int) -> ClientWindow:
        return self.ctx.windows.show(ClientWindow, client_id, self.window())

    @Slot()
    def new_client(self) -> None:
        if not self.new_button.isEnabled():
            return
        self.client_dialog = ClientDialog(self.ctx, self)
        self.client_dialog.saved.connect(self._client_created)
        self.client_dialog.open()

    @Slot(object)
    def _client_created(self, client_id: int) -> None:
        show_message(self, "The client was added.", "success")
        self._select_after_reload = client_id
        self.search.clear()  # shows every client, the new one selected: the Change reloads the list
